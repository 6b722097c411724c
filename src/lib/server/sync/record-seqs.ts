/**
 * Conflicts are decided by the till's event sequence, not its clock: a record version carries the
 * highest seq among the batch's events that name it, and replaces the stored version only when
 * that seq is higher. Pure.
 */

/** `${entity}:${id}` → the highest seq among the events that name that record. */
export function recordSeqs(
	events: readonly { seq: number; entity: string; entityId: string }[]
): Map<string, number> {
	const seqs = new Map<string, number>();
	for (const e of events) {
		const key = `${e.entity}:${e.entityId}`;
		seqs.set(key, Math.max(seqs.get(key) ?? 0, e.seq));
	}
	return seqs;
}

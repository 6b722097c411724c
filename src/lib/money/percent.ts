/** A rate typed as a percent ("8.25", "8,25 %") → basis points (825); at most two decimals. */
export function basisPoints(text: string): number {
	const match = /^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*%?\s*$/.exec(text);
	if (!match) throw new Error('Type the rate as a percent, e.g. 8.25');
	const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
	if (bp > 10_000) throw new Error('A tax rate is at most 100 %.');
	return bp;
}

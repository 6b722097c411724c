/**
 * What the till knows of its network, pure (issue 14): the browser says whether it has a network at
 * all; only an answer from the POS server says the server can be reached. "Since" is when the
 * current trouble began, kept across offline → back online while the server still does not answer.
 */
export type NetworkState =
	| { kind: 'online'; since: number }
	| { kind: 'offline'; since: number }
	| { kind: 'unreachable'; since: number };

export interface NetworkObservation {
	/** `navigator.onLine`. */
	browserOnline: boolean;
	/** The last call to the server was answered (`true`), failed (`false`), or none since (`null`). */
	serverReached: boolean | null;
}

export function nextNetworkState(
	previous: NetworkState,
	seen: NetworkObservation,
	now: number
): NetworkState {
	const troubleSince = previous.kind === 'online' ? now : previous.since;
	if (!seen.browserOnline) {
		return { kind: 'offline', since: previous.kind === 'offline' ? previous.since : now };
	}
	if (seen.serverReached === true) {
		return previous.kind === 'online' ? previous : { kind: 'online', since: now };
	}
	if (seen.serverReached === false || previous.kind !== 'online') {
		// Back on a network but not heard from the server yet: still cut off from it.
		return { kind: 'unreachable', since: troubleSince };
	}
	return previous;
}

/** Words for the cashier; `time` formats a clock time. */
export function describeNetwork(
	state: NetworkState,
	time: (at: number) => string
): { label: string; tone: 'ok' | 'warn' | 'bad' } {
	switch (state.kind) {
		case 'online':
			return { label: 'Online', tone: 'ok' };
		case 'offline':
			return { label: `Offline since ${time(state.since)}`, tone: 'bad' };
		case 'unreachable':
			return { label: `Server unreachable since ${time(state.since)}`, tone: 'warn' };
	}
}

export interface ScannerOptions {
	onScan: (code: string) => void;
	/** Shortest code accepted; shorter bursts are typing. */
	minLength?: number;
	/** Longest gap between keys of one scan. Scanners type every few ms; people take 80 ms+. */
	maxIntervalMs?: number;
}

export interface ScannerKey {
	key: string;
	timeStamp: number;
}

/** Keys a scanner may send inside a code without meaning anything (e.g. Shift for capitals). */
const NEUTRAL = new Set(['Shift', 'CapsLock']);

/**
 * Recognises a keyboard-wedge barcode scanner: a burst of characters, each within
 * `maxIntervalMs` of the last, ended by Enter. Feed it every `keydown`; it returns `true` when it
 * took the Enter as the end of a scan (the caller should then `preventDefault()` it). Characters
 * are never consumed: they still reach a focused field, so typing is unaffected.
 */
export function createScannerListener({
	onScan,
	minLength = 6,
	maxIntervalMs = 35
}: ScannerOptions): (event: ScannerKey) => boolean {
	let buffer = '';
	let last = -Infinity;

	return ({ key, timeStamp }) => {
		const gap = timeStamp - last;
		const inBurst = gap >= 0 && gap <= maxIntervalMs;
		if (NEUTRAL.has(key)) return false;
		if (key === 'Enter') {
			const code = buffer;
			buffer = '';
			last = -Infinity;
			if (inBurst && code.length >= minLength) {
				onScan(code);
				return true;
			}
			return false;
		}
		if ([...key].length !== 1) {
			// Backspace, arrows, Tab...: a person at the keyboard.
			buffer = '';
			last = -Infinity;
			return false;
		}
		buffer = inBurst ? buffer + key : key;
		last = timeStamp;
		return false;
	};
}

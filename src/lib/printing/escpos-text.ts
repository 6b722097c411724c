/**
 * What an ESC/POS job would print, as text: the simulated printer (demo mode) shows it. Reads the
 * commands `receipt-escpos.ts` sends; marks a cut, a drawer kick and images, skips the rest.
 */
const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
/** Box drawing of code page 437 (the encoder's rules), else Latin-1. */
const CP437: Record<number, string> = { 0xc4: '─', 0xcd: '═' };

export function escPosText(bytes: Uint8Array): string {
	let out = '';
	let i = 0;
	const at = (k: number) => bytes[i + k] ?? 0;
	while (i < bytes.length) {
		const byte = at(0);
		if (byte === ESC) {
			const command = String.fromCharCode(at(1));
			if (command === 'p') {
				out += '[drawer opens]\n';
				i += 5;
			} else if (command === '*') {
				const dots = at(3) + at(4) * 256;
				i += 5 + dots * (at(2) >= 32 ? 3 : 1);
				out += '[image]\n';
			} else i += '@2<'.includes(command) ? 2 : 3;
		} else if (byte === GS) {
			const command = String.fromCharCode(at(1));
			if (command === 'V') {
				out += '[cut]\n';
				i += at(2) >= 65 ? 4 : 3;
			} else if (command === 'v') {
				i += 8 + (at(4) + at(5) * 256) * (at(6) + at(7) * 256);
				out += '[image]\n';
			} else if (command === '(') i += 5 + at(3) + at(4) * 256;
			else i += 3;
		} else if (byte === FS) {
			i += String.fromCharCode(at(1)) === 'C' ? 3 : 2;
		} else {
			if (byte === 0x0a) out += '\n';
			else if (byte >= 0x20) out += CP437[byte] ?? String.fromCharCode(byte);
			i += 1;
		}
	}
	return out;
}

/**
 * The EAN-13 check digit of the first 12 digits (GS1 General Specifications §7.9: weights 1 and
 * 3 alternating from the left, then the distance up to the next multiple of 10).
 */
export function ean13CheckDigit(first12: string): number {
	if (!/^\d{12}$/.test(first12)) throw new RangeError('An EAN-13 body is exactly 12 digits');
	let sum = 0;
	for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
	return (10 - (sum % 10)) % 10;
}

/** The full 13-digit code for a 12-digit body. */
export function ean13(first12: string): string {
	return first12 + ean13CheckDigit(first12);
}

export function isValidEan13(code: string): boolean {
	return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

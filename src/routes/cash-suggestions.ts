import { exponentOf } from '$lib/money';

/**
 * Quick-cash buttons: the exact amount, then the next round amounts a customer is likely to hand
 * over (next whole unit, then the next 5, 10, 20, 50 and 100 in major units). Currencies without
 * minor units (JPY) have no small notes, so their steps start at 100.
 */
export function cashSuggestions(due: number, currency: string): number[] {
	if (due <= 0) return [];
	const exponent = exponentOf(currency);
	const unit = exponent === 0 ? 100 : 10 ** exponent;
	const steps = [1, 5, 10, 20, 50, 100].map((major) => major * unit);
	const out = new Set<number>([due]);
	for (const step of steps) {
		const rounded = Math.ceil(due / step) * step;
		if (rounded > due) out.add(rounded);
	}
	return [...out].sort((a, b) => a - b).slice(0, 5);
}

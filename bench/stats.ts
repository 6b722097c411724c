/** Figures and percentiles shared by the browser and Node suites. */

export interface Figure {
	bench: string;
	[field: string]: string | number | boolean;
}

/** Nearest-rank percentile of unsorted samples, in the samples' unit. */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(samples: readonly number[]): number {
	return percentile(samples, 50);
}

/** Milliseconds rounded to 3 decimals: performance.now() is coarser than that anyway. */
export function ms(value: number): number {
	return Math.round(value * 1000) / 1000;
}

/** Times one async call, in ms. */
export async function timed(body: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await body();
	return performance.now() - start;
}

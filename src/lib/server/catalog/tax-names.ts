/** "8.25 %" for 825 basis points (up to two decimals, no trailing zeros). */
export function percentText(rateBp: number): string {
	return `${(rateBp / 100).toFixed(2).replace(/\.?0+$/, '')} %`;
}

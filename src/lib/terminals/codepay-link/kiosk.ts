/** Kiosk mode: a device-local param of a pay-by-link terminal (set on the till, in Settings). */
export const KIOSK_PARAM = 'kiosk';

export function isKiosk(params: Readonly<Record<string, unknown>>): boolean {
	const value = params[KIOSK_PARAM];
	return value === true || value === 'true' || value === 1 || value === '1';
}

/**
 * ISO 4217 currencies and their minor-unit exponents: how many decimal places separate the major
 * unit from the minor unit the POS counts in (USD 2 → cents, JPY 0 → yen, KWD 3 → fils).
 *
 * Exponents are the ISO ones. Codes are the upper-case three-letter ISO codes; anything else
 * (including `'usd'`) is unknown, so a typo fails loudly instead of being priced in the wrong unit.
 */

const EXPONENTS = {
	// Exponent 0: the major unit is the smallest unit.
	BIF: 0,
	CLP: 0,
	DJF: 0,
	GNF: 0,
	ISK: 0,
	JPY: 0,
	KMF: 0,
	KRW: 0,
	PYG: 0,
	RWF: 0,
	UGX: 0,
	VND: 0,
	VUV: 0,
	XAF: 0,
	XOF: 0,
	XPF: 0,
	// Exponent 3.
	BHD: 3,
	IQD: 3,
	JOD: 3,
	KWD: 3,
	LYD: 3,
	OMR: 3,
	TND: 3,
	// Exponent 2.
	AED: 2,
	ARS: 2,
	AUD: 2,
	BDT: 2,
	BGN: 2,
	BRL: 2,
	BWP: 2,
	CAD: 2,
	CHF: 2,
	CNY: 2,
	COP: 2,
	CZK: 2,
	DKK: 2,
	EGP: 2,
	EUR: 2,
	GBP: 2,
	GHS: 2,
	HKD: 2,
	HUF: 2,
	IDR: 2,
	ILS: 2,
	INR: 2,
	KES: 2,
	KZT: 2,
	LKR: 2,
	MAD: 2,
	MOP: 2,
	MXN: 2,
	MYR: 2,
	NAD: 2,
	NGN: 2,
	NOK: 2,
	NZD: 2,
	PEN: 2,
	PHP: 2,
	PKR: 2,
	PLN: 2,
	QAR: 2,
	RON: 2,
	RSD: 2,
	SAR: 2,
	SEK: 2,
	SGD: 2,
	THB: 2,
	TRY: 2,
	TWD: 2,
	UAH: 2,
	USD: 2,
	ZAR: 2,
	ZMW: 2
} as const satisfies Record<string, number>;

export type CurrencyCode = keyof typeof EXPONENTS;

/** Every currency code the POS knows, sorted. */
export const CURRENCY_CODES = Object.freeze(
	Object.keys(EXPONENTS).sort()
) as readonly CurrencyCode[];

export class UnknownCurrencyError extends Error {
	readonly code = 'unknown_currency';
	constructor(readonly currency: string) {
		super(
			`Unknown currency ${JSON.stringify(currency)}: expected an upper-case ISO 4217 code such as "USD"`
		);
		this.name = 'UnknownCurrencyError';
	}
}

export function isCurrency(code: string): code is CurrencyCode {
	return Object.hasOwn(EXPONENTS, code);
}

/** Decimal places of the minor unit; throws `UnknownCurrencyError` for a code not in the table. */
export function exponentOf(code: string): number {
	if (!isCurrency(code)) throw new UnknownCurrencyError(code);
	return EXPONENTS[code];
}

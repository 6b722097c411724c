export {
	CURRENCY_CODES,
	UnknownCurrencyError,
	exponentOf,
	isCurrency,
	type CurrencyCode
} from './currency';
export {
	MoneyError,
	add,
	allocate,
	multiply,
	percentOf,
	splitEvenly,
	sub,
	sum,
	taxIncludedIn,
	type MoneyErrorCode
} from './money';
export {
	MoneyParseError,
	formatMoney,
	parseCashierInput,
	parseDecimal,
	toDecimalString,
	type MoneyParseErrorCode
} from './format';

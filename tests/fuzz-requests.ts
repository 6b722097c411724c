/**
 * What the route fuzz (`fuzz.e2e.ts`) sends: fast-check arbitraries of requests to the API, each
 * with one part hostile (body, query string, method or one header) and the rest as a till sends
 * it, so that the hostile part gets past the guard to the parsers and handlers; or all random.
 * Hostile means what broke the server before (issue 8 §5): NUL and lone surrogates in any string
 * or key, nesting thousands deep, huge strings and headers, numbers past any range, bad dates,
 * broken percent-encoding, garbage credentials and content types.
 */
import fc from 'fast-check';
import { CASHIER_PIN, MANAGER_PIN, PAIRING_CODE } from './fixtures';

export const RELAY_PATH = '/api/terminals/relay';

export interface Route {
	path: string;
	methods: string[];
}

/** The paired till the probes speak for: its device, token and cashier session. */
export interface Till {
	deviceId: string;
	token: string;
	session: string;
}

/** Characters a database refuses in text: NUL and lone surrogates (issue 8 §4). */
const UNCLEAN = ['\u0000', '\ud800', '\udc00', 'a\u0000b', '\udbff\u0041', 'ok\udfff'];
const code = (min: number, max: number) =>
	fc.integer({ min, max }).map((c) => String.fromCharCode(c));
/** Any UTF-16 code units, lone surrogates and NUL included. */
const anyText = fc.string({ unit: code(0, 0xffff), maxLength: 40 });
/** What a header value may carry at all (HTTP refuses CR, LF and NUL outright). */
const headerText = fc.string({ unit: code(0x20, 0x7e), maxLength: 200 });

const hostileString = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom(...UNCLEAN) },
	fc.constantFrom(...UNCLEAN, '', ' ', '0', '-1', '1e309', '__proto__', 'constructor', '%00'),
	anyText,
	fc.integer({ min: 65, max: 200_000 }).map((n) => 'x'.repeat(n))
);
/**
 * Nesting deeper than any record has, up to thousands of levels: a stand-in that `stringify`
 * writes out as text, since JSON.stringify itself overflows its stack on such values.
 */
class Deep {
	constructor(
		readonly depth: number,
		readonly arrays: boolean
	) {}
	toJSON(): string {
		return `__deep_${this.depth}_${this.arrays}__`;
	}
}
const deep = fc
	.tuple(fc.integer({ min: 20, max: 6000 }), fc.boolean())
	.map(([depth, arrays]) => new Deep(depth, arrays));
/** `n` levels of arrays or objects around 1. */
function nested(depth: number, arrays: boolean): string {
	return arrays
		? '['.repeat(depth) + '1' + ']'.repeat(depth)
		: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
/** JSON text of a fuzz value, `Deep` stand-ins written out. */
function stringify(value: unknown): string {
	return (JSON.stringify(value) ?? 'null').replace(
		/"__deep_(\d+)_(true|false)__"/g,
		(_, depth, arrays) => nested(Number(depth), arrays === 'true')
	);
}
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: hostileString },
	{ weight: 2, arbitrary: deep },
	fc.constantFrom(
		null,
		true,
		0,
		-1,
		0.5,
		1e308,
		-1e308,
		2 ** 53,
		2 ** 63,
		Number.MAX_SAFE_INTEGER,
		[],
		{}
	),
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.jsonValue({ maxDepth: 3 }),
	fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })
);

/** `base` with one field replaced by, or one key added with, a hostile value. */
function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
	return fc
		.tuple(
			fc.oneof(fc.constantFrom(...Object.keys(base)), fc.constant('__extra__')),
			hostileString,
			hostileValue
		)
		.map(([field, extraKey, value]) =>
			field === '__extra__' ? { ...base, [extraKey]: value } : { ...base, [field]: value }
		);
}

export const order = {
	id: 'fz-order',
	number: 'FZ1-1',
	currency: 'USD',
	lines: [],
	orderDiscount: null,
	subtotal: 450,
	discount: 0,
	tax: 0,
	total: 450,
	staffId: 'casey',
	createdAt: 1_700_000_000_000,
	updatedAt: 1_700_000_000_000,
	day: '2026-12-02',
	status: 'open',
	tip: 0,
	paid: 0,
	refunded: 0,
	deviceId: 'ignored'
};
const attempt = {
	id: 'fz-attempt',
	orderId: 'fz-order',
	kind: 'sale',
	rail: 'simulated',
	terminalId: 'sim-1',
	merchantOrderNo: 'FZ1x1',
	amount: 450,
	tip: 0,
	currency: 'USD',
	state: 'approved',
	createdAt: 1_700_000_000_000,
	updatedAt: 1_700_000_000_001
};
const tender = {
	id: 'fz-tender',
	orderId: 'fz-order',
	day: '2026-12-02',
	kind: 'cash',
	amount: 450,
	tip: 0,
	status: 'completed',
	refundedAmount: 0,
	createdAt: 1_700_000_000_000
};
const journalEvent = {
	seq: 1,
	at: 1_700_000_000_000,
	entity: 'order',
	entityId: 'fz-order',
	orderId: 'fz-order',
	type: 'order.created'
};
export const approval = {
	pin: MANAGER_PIN,
	action: 'refund',
	orderId: 'fz-order',
	origAttemptId: 'fz-attempt',
	origMerchantOrderNo: 'FZ1x1',
	amount: 100
};

/**
 * Bodies shaped like each route's own, one field hostile. A pairing body carries the right code
 * or one the edge refuses, and a PIN is the right one or malformed: valid-looking wrong guesses
 * only trip lock-outs, which the guessing tests cover.
 */
function shapedBody(path: string, till: () => Till): fc.Arbitrary<unknown> {
	const uncleanOrOdd = fc.oneof(
		fc.constantFrom(...UNCLEAN),
		hostileValue.filter((v) => typeof v !== 'string')
	);
	switch (path) {
		case '/api/devices/pair':
			return fc.oneof(
				mutated({ code: PAIRING_CODE, name: 'Fuzz' }).filter((b) => b.code === PAIRING_CODE),
				fc.record({ code: uncleanOrOdd, name: hostileValue })
			);
		case '/api/auth/login':
			return fc.record({ pin: uncleanOrOdd });
		case '/api/auth/manager':
			return mutated(approval).filter((b) => b.pin === MANAGER_PIN || typeof b.pin !== 'string');
		case '/api/sync':
			return fc
				.tuple(
					fc.option(mutated(order), { nil: undefined }),
					fc.option(mutated(attempt), { nil: undefined }),
					fc.option(mutated(tender), { nil: undefined }),
					fc.option(mutated(journalEvent), { nil: undefined }),
					fc.oneof(fc.constant(till().deviceId), hostileValue)
				)
				.map(([o, a, t, e, deviceId]) => ({
					deviceId,
					orders: o ? [o] : [],
					attempts: a ? [a] : [],
					tenders: t ? [t] : [],
					events: e ? [e] : []
				}));
		default:
			return fc.jsonValue({ maxDepth: 3 });
	}
}

/** The body as sent: JSON of a (maybe hostile) value, or text that is not JSON at all. */
function bodyText(path: string, till: () => Till): fc.Arbitrary<string | undefined> {
	return fc.oneof(
		fc.constant(undefined),
		shapedBody(path, till).map(stringify),
		fc.jsonValue().map((v) => JSON.stringify(v)),
		hostileValue.map(stringify),
		anyText,
		fc.constantFrom('{', '[1,', '{"a":}', 'null', '"\\ud800"', '{"\\u0000":1}', '\u0000', '{}{}')
	);
}

const queryValue = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.constantFrom(
			'%00',
			'%ZZ',
			'%',
			'%ED%A0%80',
			'%C0%80',
			'%FF',
			'%E2%82',
			'2026-13-45',
			'2026-02-30'
		)
	},
	fc.constantFrom('-1', '0', '1e309', 'Infinity', 'NaN', '99999999999999999999', '0x10', '1.5'),
	headerText.map(encodeURIComponent),
	fc.integer().map(String)
);
const query = fc
	.array(
		fc.tuple(
			fc.oneof(
				{ weight: 3, arbitrary: fc.constantFrom('q', 'day', 'limit', 'offset', 'terminal') },
				fc.constantFrom('status', '%00', 'x', '')
			),
			queryValue
		),
		{ minLength: 1, maxLength: 4 }
	)
	.map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

// Mostly the real credentials, so that most probes get past the guard to the handlers.
const authorization = fc.oneof(
	{ weight: 8, arbitrary: fc.constant<string | undefined>('Bearer TOKEN') },
	fc.constant(undefined),
	headerText.map((t) => `Bearer ${t}`),
	headerText,
	fc.constantFrom('Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${'A'.repeat(129)}`),
	// Long, but within Node's 16 KiB of headers: to reach the guard (a 40 kB one is tried below).
	fc.integer({ min: 1000, max: 12_000 }).map((n) => `Bearer ${'A'.repeat(n)}`)
);
const staffSession = fc.oneof(
	{ weight: 6, arbitrary: fc.constant<string | undefined>('SESSION') },
	fc.constant(undefined),
	headerText,
	fc.constantFrom('v1', 'v1..', 'v1.e30.', 'v1.AAAA.BBBB', 'v2.a.b.c'),
	fc
		.jsonValue({ maxDepth: 2 })
		.map(
			(v) => `v1.${Buffer.from(JSON.stringify(v) ?? '').toString('base64url')}.${'A'.repeat(43)}`
		),
	fc.integer({ min: 1000, max: 12_000 }).map((n) => 'v1.'.padEnd(n, 'A'))
);
const contentType = fc.oneof(
	{ weight: 6, arbitrary: fc.constant<string | undefined>('application/json') },
	fc.constant(undefined),
	fc.constantFrom('text/plain', 'application/json; charset=utf-16', 'multipart/form-data', '*/*'),
	headerText
);

export interface Probe {
	method: string;
	path: string;
	body: string | undefined;
	headers: Record<string, string>;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** A request each route accepts as it is: the base a probe makes one part of hostile. */
function validBody(path: string, till: () => Till): string | undefined {
	const bodies: Record<string, unknown> = {
		'/api/devices/pair': { code: PAIRING_CODE, name: 'Fuzz' },
		'/api/auth/login': { pin: CASHIER_PIN },
		'/api/auth/manager': approval,
		'/api/sync': {
			deviceId: till().deviceId,
			orders: [order],
			attempts: [attempt],
			tenders: [tender],
			events: [journalEvent]
		}
	};
	return path in bodies ? JSON.stringify(bodies[path]) : undefined;
}

interface Parts {
	method: string;
	path: string;
	body: string | undefined;
	authorization: string | undefined;
	session: string | undefined;
	contentType: string | undefined;
}

/**
 * One part hostile and the rest as a till sends it (so that the hostile part reaches the code
 * behind the guard and the parsers before it), or everything random at once.
 */
function probesOf(route: Route, till: () => Till): fc.Arbitrary<Parts> {
	const method = fc.constantFrom(...(route.methods.length ? route.methods : ['GET']));
	const path = route.path.replace(/\[[^\]]+\]/g, 'x');
	const valid = {
		method,
		path: fc.constant(path),
		body: fc.constant(validBody(route.path, till)),
		authorization: fc.constant<string | undefined>('Bearer TOKEN'),
		session: fc.constant<string | undefined>('SESSION'),
		contentType: fc.constant<string | undefined>('application/json')
	};
	const anyPath = fc
		.tuple(
			fc.oneof(
				{ weight: 6, arbitrary: fc.constant(path) },
				fc.constantFrom(`${path}/`, `${path}/%00`, `${path}%00`)
			),
			query
		)
		.map(([p, q]) => p + q);
	return fc.oneof(
		{ weight: 4, arbitrary: fc.record({ ...valid, body: bodyText(route.path, till) }) },
		{ weight: 2, arbitrary: fc.record({ ...valid, path: anyPath }) },
		fc.record({ ...valid, method: fc.constantFrom(...METHODS) }),
		fc.record({ ...valid, authorization }),
		fc.record({ ...valid, session: staffSession }),
		fc.record({ ...valid, contentType }),
		fc.record({
			method: fc.constantFrom(...METHODS),
			path: anyPath,
			body: bodyText(route.path, till),
			authorization,
			session: staffSession,
			contentType
		})
	);
}

/**
 * Requests to `routes` (and the relay's path over plain HTTP), carrying `till`'s credentials
 * where they carry the real ones.
 */
export function probes(routes: Route[], till: () => Till): fc.Arbitrary<Probe> {
	return fc
		.constantFrom(...routes, { path: RELAY_PATH, methods: ['GET'] })
		.chain((route) => probesOf(route, till))
		.map(({ method, path, body, authorization, session, contentType }) => {
			const headers: Record<string, string> = {};
			if (authorization) headers.authorization = authorization.replace('TOKEN', till().token);
			if (session) headers['x-staff-session'] = session.replace('SESSION', till().session);
			if (contentType) headers['content-type'] = contentType;
			return {
				method,
				path,
				body: method === 'GET' || method === 'HEAD' ? undefined : body,
				headers
			};
		});
}

/** A probe in a line of a test report: long bodies and headers shortened. */
export function describeProbe(p: Probe): string {
	const text = p.body ?? '';
	const shown = text.length > 600 ? `${text.slice(0, 300)}…${text.slice(-300)}` : text;
	const body = p.body === undefined ? '' : ` body(${text.length}) ${JSON.stringify(shown)}`;
	const headers = Object.fromEntries(
		Object.entries(p.headers).map(([k, v]) => [
			k,
			v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v
		])
	);
	return `${p.method} ${p.path.slice(0, 200)} ${JSON.stringify(headers)}${body}`;
}

/**
 * A CodePay cloud gateway for tests and demos (specs/codepay-cloud-open-api.txt, NOTES.md §2): the
 * Open API entry point (POST /api/entry), a virtual terminal per `terminal_sn` that "approves"
 * pushed orders after a while, and signed notifications to `notify_url` with retries.
 *
 * Plain JavaScript (runs on Node 20 with no build) and deliberately sharing no code with the POS:
 * its canonical string, signing and checks are a second, independent reading of the spec.
 *
 * Codes: `0` success. The rest are this simulator's own, since no table is published:
 *   40001 missing or invalid parameter · 40002 bad signature · 40003 timestamp out of window
 *   40004 unknown app id or merchant · 40005 unknown method · 40006 duplicate merchant_order_no
 *   40007 order not found · 40008 order cannot be closed (already finished)
 *   40009 original order missing or not eligible
 *
 * Control (not part of the Open API; loopback only): POST /control/faults {…faults},
 * POST /control/reset, GET /control/orders, GET /control/requests, GET /control/notifications.
 */
import { createServer } from 'node:http';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { hostedCheckout } from './hosted.js';
import { merchantCheckout } from './merchant-checkout.js';

const WINDOW_MS = 15 * 60 * 1000;
const ORDER_NO = /^[A-Za-z0-9_\-|*@]{1,32}$/;
const EXPONENT = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };
const COMMON = { format: 'JSON', charset: 'UTF-8', sign_type: 'RSA2', version: '1.0' };

class Refusal extends Error {
	/** @param {string} code @param {string} message */
	constructor(code, message) {
		super(message);
		this.code = code;
	}
}

/** @param {Record<string, unknown>} fields */
export function canonical(fields) {
	return Object.keys(fields)
		.filter(
			(k) => k !== 'sign' && fields[k] !== null && fields[k] !== undefined && fields[k] !== ''
		)
		.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
		.map((k) => {
			const v = fields[k];
			return `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
		})
		.join('&');
}

/** @param {string} currency */
const exponentOf = (currency) => /** @type {Record<string, number>} */ (EXPONENT)[currency] ?? 2;

/** Major-unit number or numeric string → minor units; throws on more decimals than allowed. */
function toMinor(/** @type {unknown} */ value, /** @type {string} */ currency, field) {
	const text = typeof value === 'number' ? String(value) : value;
	const match = typeof text === 'string' ? /^(\d+)(?:\.(\d+))?$/.exec(text) : null;
	const exponent = exponentOf(currency);
	if (!match || (match[2] ?? '').length > exponent) {
		throw new Refusal('40001', `${field} is not a valid ${currency} amount`);
	}
	return Number(match[1] + (match[2] ?? '').padEnd(exponent, '0'));
}

/** Minor units → a major-unit string with the currency's decimals. */
function toMajor(/** @type {number} */ minor, /** @type {string} */ currency) {
	const e = exponentOf(currency);
	if (e === 0) return String(minor);
	const digits = String(minor).padStart(e + 1, '0');
	return `${digits.slice(0, -e)}.${digits.slice(-e)}`;
}

/** Required fields and their maximum lengths, per method (the spec's tables). */
const REQUIRED = {
	'wisehub.cloud.pay.order': {
		merchant_no: 32,
		terminal_sn: 32,
		message_receiving_application: 32,
		price_currency: 8,
		order_amount: 0,
		trans_type: 0,
		merchant_order_no: 32,
		description: 128,
		expires: 0,
		api_version: 0
	},
	'wisehub.cloud.pay.close': {
		merchant_no: 32,
		terminal_sn: 32,
		merchant_order_no: 32,
		message_receiving_application: 32
	},
	'order.query': { merchant_no: 32 },
	'order.refund.submit': {
		merchant_no: 32,
		merchant_order_no: 32,
		price_currency: 8,
		order_amount: 0,
		description: 64
	},
	'order.refund.query': { merchant_no: 32 },
	'tip.adjustment': { merchant_no: 32, merchant_order_no: 32, tip_adjustment_amount: 0 },
	'batch.close': { merchant_no: 32, terminal_sn: 32 }
};
const OPTIONAL_LENGTHS = {
	store_no: 32,
	orig_merchant_order_no: 32,
	notify_url: 256,
	attach: 128,
	trans_no: 32,
	orig_trans_no: 32
};

/**
 * @param {{
 *   port?: number; host?: string; appId?: string; merchantNo?: string;
 *   merchantPublicKey: string; gatewayPrivateKey: string;
 *   approveMs?: number; retryMs?: number; log?: (line: string) => void;
 *   allowLoopbackNotify?: boolean;
 * }} options
 */
export async function startCloudGatewaySimulator(options) {
	const {
		port = 35780,
		host = '127.0.0.1',
		appId = 'sim-cloud-app',
		merchantNo = '302300000926',
		approveMs = 1500,
		retryMs = 1000,
		log = () => {}
	} = options;
	const merchantKey = createPublicKey(options.merchantPublicKey);
	const gatewayKey = createPrivateKey(options.gatewayPrivateKey);

	const initialFaults = {
		/** The virtual terminal declines (trans_status 1). */
		decline: false,
		/** The customer cancels on the terminal (trans_status 3). */
		cancelOnTerminal: false,
		/** Responses carry a wrong signature (one flipped character). */
		badResponseSignature: false,
		/** Responses carry no `sign`. */
		unsignedResponse: false,
		/** No notification is ever sent (the POS must query). */
		noNotification: false,
		/** Each notification is sent this many times (duplicates are normal). */
		notificationCopies: 1,
		/** Before the final notification, a stale "in progress" one arrives after it. */
		outOfOrder: false,
		/** The notification states another amount than the order's. */
		amountMismatch: false,
		/** Notifications carry a timestamp 20 minutes old. */
		staleNotification: false,
		/** The gateway's clock runs this far off (its window check refuses our requests). */
		clockSkewMs: 0,
		/** Every answer waits this long. */
		slowMs: 0,
		/** With `on_screen_tip`, the tip the customer chooses on the terminal (% of the amount). */
		screenTipPercent: 15,
		/** The customer takes this much longer at the terminal (time to cancel from the POS). */
		terminalDelayMs: 0,
		/** Notifications leave this much later (a customer back on the return page first). */
		notifyDelayMs: 0,
		/** Answer 502 instead. */
		http5xx: false,
		/** Take the request (and act on it), then never answer. */
		timeout: false
	};
	let faults = { ...initialFaults };

	/** @type {Map<string, any>} */
	const orders = new Map();
	/** @type {any[]} */
	const requests = [];
	/** @type {any[]} */
	const notifications = [];
	let sequence = 0;
	const transNo = () => `5021${String(Date.now()).slice(-9)}${String(++sequence).padStart(6, '0')}`;
	const timers = new Set();
	const later = (/** @type {() => void} */ fn, /** @type {number} */ ms) => {
		const t = setTimeout(() => {
			timers.delete(t);
			fn();
		}, ms);
		timers.add(t);
	};

	/** @param {Record<string, unknown>} fields */
	function signed(fields) {
		return {
			...fields,
			sign: sign('sha256', Buffer.from(canonical(fields)), gatewayKey).toString('base64')
		};
	}

	/**
	 * A signed answer. The signature is computed on libuv's thread pool, as a gateway serving many
	 * merchants would spread it over its cores; the bench runs this process beside the POS's.
	 * @param {string} code @param {string} msg @param {unknown} [data]
	 */
	async function envelope(code, msg, data) {
		/** @type {Record<string, unknown>} */
		const body = { code, msg, psn: String(Date.now()).padStart(20, '0') };
		if (data !== undefined) body.data = data;
		const signature = await new Promise((resolve, reject) =>
			sign('sha256', Buffer.from(canonical(body)), gatewayKey, (error, value) =>
				error ? reject(error) : resolve(value.toString('base64'))
			)
		);
		/** @type {Record<string, unknown>} */
		const out = { ...body, sign: signature };
		if (faults.unsignedResponse) delete out.sign;
		else if (faults.badResponseSignature) {
			const s = /** @type {string} */ (out.sign);
			out.sign = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
		}
		return out;
	}

	/** @param {Record<string, unknown>} req */
	function check(req) {
		if (req.app_id !== appId) throw new Refusal('40004', 'unknown app_id');
		for (const [k, v] of Object.entries(COMMON)) {
			if (req[k] !== v) throw new Refusal('40001', `${k} must be ${v}`);
		}
		const ts = String(req.timestamp ?? '');
		if (!/^\d{13}$/.test(ts)) throw new Refusal('40001', 'timestamp must be 13 digits');
		if (Math.abs(Number(ts) - (Date.now() + faults.clockSkewMs)) > WINDOW_MS) {
			throw new Refusal('40003', 'timestamp outside the 15-minute window');
		}
		if (typeof req.sign !== 'string' || req.sign === '') throw new Refusal('40002', 'sign missing');
		const ok = verify(
			'sha256',
			Buffer.from(canonical(req)),
			merchantKey,
			Buffer.from(req.sign, 'base64')
		);
		if (!ok) throw new Refusal('40002', 'sign does not verify');
		const method = String(req.method);
		const required =
			/** @type {Record<string, Record<string, number>>} */ (REQUIRED)[method] ??
			extensions.find((x) => Object.hasOwn(x.required, method))?.required[method];
		if (!required) throw new Refusal('40005', `unknown method ${method}`);
		for (const [field, max] of Object.entries(required)) {
			const v = req[field];
			if (v === undefined || v === null || v === '')
				throw new Refusal('40001', `${field} is required`);
			if (max > 0 && String(v).length > max)
				throw new Refusal('40001', `${field} is longer than ${max}`);
		}
		for (const [field, max] of Object.entries(OPTIONAL_LENGTHS)) {
			if (req[field] !== undefined && String(req[field]).length > max) {
				throw new Refusal('40001', `${field} is longer than ${max}`);
			}
		}
		if (req.merchant_no !== merchantNo) throw new Refusal('40004', 'unknown merchant_no');
		if (req.merchant_order_no !== undefined && !ORDER_NO.test(String(req.merchant_order_no))) {
			throw new Refusal('40001', 'merchant_order_no has characters outside [A-Za-z0-9_-|*@]');
		}
		return method;
	}

	/** The order's fields as query and notifications show them. */
	function view(/** @type {any} */ o) {
		return {
			trans_no: o.transNo,
			merchant_order_no: o.merchantOrderNo,
			store_no: o.storeNo,
			terminal_sn: o.terminalSn,
			trans_status: o.status,
			trans_type: o.transType,
			price_currency: o.currency,
			order_amount: toMajor(o.amount, o.currency),
			tip_amount: toMajor(o.tip, o.currency),
			trans_amount: toMajor(o.amount + o.tip, o.currency),
			paid_amount: o.status === 2 ? toMajor(o.amount + o.tip, o.currency) : '0',
			pay_method_id: o.status === 2 ? (o.payMethodId ?? 'Visa') : undefined,
			card_no: o.status === 2 ? (o.cardNo ?? '411111******1111') : undefined,
			auth_no: o.status === 2 ? String(100000 + (sequence % 900000)) : undefined,
			resp_msg: o.respMsg,
			trans_end_time: o.endTime,
			attach: o.attach
		};
	}

	/** Sends signed notifications of `o`'s state to its notify_url, retrying until "success". */
	function notify(/** @type {any} */ o, /** @type {Record<string, unknown>} */ override = {}) {
		if (!o.notifyUrl || faults.noNotification) return;
		const ts = Date.now() - (faults.staleNotification ? 20 * 60 * 1000 : 0);
		const fields = JSON.parse(JSON.stringify({ ...view(o), ...override }));
		if (faults.amountMismatch) fields.order_amount = toMajor(o.amount + 100, o.currency);
		const body = JSON.stringify(
			signed({
				...fields,
				app_id: appId,
				merchant_no: merchantNo,
				timestamp: String(ts),
				sign_type: 'RSA2'
			})
		);
		const copies = Math.max(1, Number(faults.notificationCopies) || 1);
		const delay = Number(faults.notifyDelayMs) || 0;
		for (let copy = 0; copy < copies; copy++) send(o, body, 1, delay + copy * 50);
	}

	function send(
		/** @type {any} */ o,
		/** @type {string} */ body,
		/** @type {number} */ attempt,
		delay
	) {
		later(async () => {
			let answer = '';
			try {
				const r = await fetch(o.notifyUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body,
					signal: AbortSignal.timeout(5000)
				});
				answer = (await r.text()).trim();
			} catch (error) {
				answer = `error: ${/** @type {Error} */ (error).message}`;
			}
			notifications.push({ merchantOrderNo: o.merchantOrderNo, attempt, answer, body });
			log(`notify ${o.merchantOrderNo} #${attempt}: ${answer.slice(0, 40)}`);
			// The real gateway retries 15 times over about 12 hours; here quickly.
			if (answer !== 'success' && attempt < 15) send(o, body, attempt + 1, retryMs * attempt);
		}, delay);
	}

	/** The virtual terminal works the order, then finishes it. */
	function runTerminal(/** @type {any} */ o) {
		later(() => {
			if (o.status !== 9) return;
			o.status = 0;
			later(
				() => {
					if (o.status !== 0) return;
					if (faults.outOfOrder) {
						// A late "in progress" after the final state: the POS must not go backwards.
						const progress = { trans_status: 0 };
						later(() => notify(o, progress), 400);
					}
					finish(o, faults.decline ? 1 : faults.cancelOnTerminal ? 3 : 2);
				},
				approveMs + (Number(faults.terminalDelayMs) || 0)
			);
		}, 100);
	}

	function finish(/** @type {any} */ o, /** @type {number} */ status) {
		o.status = status;
		// The customer picked a tip on the terminal's screen: the gateway reports it in tip_amount.
		if (status === 2 && o.onScreenTip) {
			o.tip = Math.round((o.amount * Number(faults.screenTipPercent || 0)) / 100);
		}
		o.respMsg =
			o.respMsgOverride ??
			(status === 2 ? '[000]APPROVAL' : status === 1 ? '[051]DECLINED' : 'Cancelled');
		o.endTime = new Date().toISOString().slice(0, 19).replace('T', ' ');
		if (status === 2 && o.orig) {
			const orig = orders.get(o.orig);
			if (orig && o.transType === 2) orig.voided = true;
			if (orig && o.transType === 3) orig.refunded += o.amount;
		}
		log(`terminal ${o.terminalSn}: ${o.merchantOrderNo} -> ${status}`);
		notify(o);
	}

	let baseUrl = '';
	/** Methods and pages in files of their own (`hosted.js`: hosted checkout). */
	const extensions = [
		hostedCheckout({
			Refusal,
			orders,
			transNo,
			toMinor,
			toMajor,
			finish,
			later,
			faults: () => faults,
			baseUrl: () => baseUrl,
			log
		}),
		merchantCheckout({
			Refusal,
			gatewayKey,
			orders,
			transNo,
			toMinor,
			finish,
			baseUrl: () => baseUrl
		})
	];

	/** @param {string} method @param {any} req */
	function handle(method, req) {
		for (const extension of extensions) {
			const data = extension.handle(method, req);
			if (data !== undefined) return data;
		}
		if (method === 'wisehub.cloud.pay.order') {
			if (orders.has(req.merchant_order_no))
				throw new Refusal('40006', 'duplicate merchant_order_no');
			const transType = Number(req.trans_type);
			if (![1, 2, 3, 4, 5, 6, 7, 8, 11].includes(transType))
				throw new Refusal('40001', 'trans_type');
			const currency = String(req.price_currency);
			const amount = toMinor(req.order_amount, currency, 'order_amount');
			const tip =
				req.tip_amount === undefined ? 0 : toMinor(req.tip_amount, currency, 'tip_amount');
			let orig;
			if ([2, 3, 6].includes(transType)) {
				orig = orders.get(String(req.orig_merchant_order_no ?? ''));
				if (!orig || orig.status !== 2)
					throw new Refusal('40009', 'original order missing or not paid');
				if (transType === 3 && orig.refunded + amount > orig.amount + orig.tip) {
					throw new Refusal('40009', 'refund exceeds the amount paid');
				}
			}
			const o = {
				merchantOrderNo: req.merchant_order_no,
				transNo: transNo(),
				terminalSn: req.terminal_sn,
				storeNo: req.store_no,
				transType,
				currency,
				amount,
				tip,
				refunded: 0,
				status: 9,
				onScreenTip: req.on_screen_tip === true,
				notifyUrl: req.notify_url,
				attach: req.attach,
				orig: orig?.merchantOrderNo,
				expiresAt: Date.now() + Number(req.expires) * 1000
			};
			orders.set(o.merchantOrderNo, o);
			runTerminal(o);
			return {
				message_id: `M${o.transNo.slice(1)}`,
				trans_no: o.transNo,
				terminal_online_status: 'online'
			};
		}
		if (method === 'wisehub.cloud.pay.close') {
			const o = orders.get(req.merchant_order_no);
			if (!o) throw new Refusal('40007', 'order not found');
			// A payment that completed first wins over the close.
			if (o.status !== 9 && o.status !== 0) throw new Refusal('40008', 'order already finished');
			finish(o, 3);
			return { message_id: `M${o.transNo.slice(1)}`, trans_no: o.transNo };
		}
		if (method === 'order.query' || method === 'order.refund.query') {
			const o = req.trans_no
				? [...orders.values()].find((x) => x.transNo === req.trans_no)
				: orders.get(req.merchant_order_no);
			if (!o) throw new Refusal('40007', 'order not found');
			return view(o);
		}
		if (method === 'order.refund.submit') {
			const orig = orders.get(String(req.orig_merchant_order_no ?? ''));
			if (!orig || orig.status !== 2)
				throw new Refusal('40009', 'original order missing or not paid');
			if (orders.has(req.merchant_order_no))
				throw new Refusal('40006', 'duplicate merchant_order_no');
			const amount = toMinor(req.order_amount, orig.currency, 'order_amount');
			if (orig.refunded + amount > orig.amount + orig.tip)
				throw new Refusal('40009', 'refund exceeds paid');
			const o = {
				...orig,
				merchantOrderNo: req.merchant_order_no,
				transNo: transNo(),
				transType: 3,
				amount,
				tip: 0,
				status: 2,
				orig: orig.merchantOrderNo,
				notifyUrl: req.notify_url
			};
			orig.refunded += amount;
			orders.set(o.merchantOrderNo, o);
			return {
				trans_no: o.transNo,
				trans_amount: toMajor(amount, o.currency),
				trans_fee_c: '0',
				vat_amount: '0'
			};
		}
		if (method === 'tip.adjustment') {
			const o = orders.get(req.merchant_order_no);
			if (!o || o.status !== 2) throw new Refusal('40009', 'order missing or not paid');
			o.tip = toMinor(req.tip_adjustment_amount, o.currency, 'tip_adjustment_amount');
			return {};
		}
		if (method === 'batch.close') return {};
		throw new Refusal('40005', `unknown method ${method}`);
	}

	const server = createServer(async (request, response) => {
		let text = '';
		for await (const chunk of request) text += chunk;
		const reply = (/** @type {number} */ status, /** @type {unknown} */ value) => {
			response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
			response.end(typeof value === 'string' ? value : JSON.stringify(value));
		};
		const url = request.url ?? '';
		if (url.startsWith('/control/')) {
			const route = `${request.method} ${url}`;
			if (route === 'POST /control/faults') faults = { ...faults, ...JSON.parse(text || '{}') };
			else if (route === 'POST /control/reset') faults = { ...initialFaults };
			else if (route === 'GET /control/orders') return reply(200, [...orders.values()].map(view));
			else if (route === 'GET /control/requests') return reply(200, requests);
			else if (route === 'GET /control/notifications') return reply(200, notifications);
			else return reply(404, { error: 'unknown control route' });
			return reply(200, { faults });
		}
		if (extensions.some((extension) => extension.route(request, response))) return;
		if (request.method !== 'POST' || url !== '/api/entry')
			return reply(404, { error: 'not found' });
		/** @type {any} */
		let req;
		try {
			req = JSON.parse(text);
		} catch {
			return reply(200, await envelope('40001', 'body is not JSON'));
		}
		requests.push(req);
		let answer;
		try {
			const method = check(req);
			answer = await envelope('0', 'success', handle(method, req));
			log(`${method} ${req.merchant_order_no ?? ''} -> 0`);
		} catch (error) {
			const code = error instanceof Refusal ? error.code : '50000';
			answer = await envelope(code, /** @type {Error} */ (error).message);
			log(
				`${req?.method} ${req?.merchant_order_no ?? ''} -> ${code} ${/** @type {Error} */ (error).message}`
			);
		}
		if (faults.timeout) return; // acted on, never answered
		if (faults.slowMs > 0) await new Promise((r) => setTimeout(r, faults.slowMs));
		if (faults.http5xx) return reply(502, 'Bad Gateway');
		reply(200, answer);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	baseUrl = `http://${host}:${address.port}`;
	return {
		port: address.port,
		url: `http://${host}:${address.port}/api/entry`,
		controlUrl: `http://${host}:${address.port}/control`,
		get faults() {
			return { ...faults };
		},
		setFaults(/** @type {Partial<typeof initialFaults>} */ next) {
			faults = { ...faults, ...next };
		},
		orders: () => [...orders.values()].map(view),
		requests: () => [...requests],
		notifications: () => [...notifications],
		async close() {
			for (const t of timers) clearTimeout(t);
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		}
	};
}

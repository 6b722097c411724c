/**
 * The simulator's hosted checkout (spec "CodePay Hosted Checkout", "Cancel Order"; issue 11):
 * `pay.checkout` and its PayCloud alias `pay.paycloud.checkout` open an order and answer a
 * `pay_url` on this server, where a small page lets the "customer" pay, fail or abandon; the order
 * closes by itself at its expiry. Each outcome is notified (signed, with the server's fault
 * switches) and the browser is sent on to `return_url`, with query parameters of the simulator's
 * own that the POS must not believe. `order.revoker` cancels an unpaid order, and refunds a paid
 * one, as the spec says it does.
 *
 * Plain JavaScript beside `server.js`, which registers it (`extension(ctx)`).
 */
import { randomBytes } from 'node:crypto';

const MAX_EXPIRES_S = 7 * 24 * 3600;

/** Required fields and their maximum lengths (0: no length limit), per method. */
const CHECKOUT_REQUIRED = {
	merchant_no: 32,
	merchant_order_no: 32,
	price_currency: 8,
	order_amount: 0,
	expires: 0,
	description: 128
};

/** @param {string} text */
const escape = (text) =>
	text.replace(
		/[&<>"']/g,
		(c) =>
			/** @type {Record<string, string>} */ ({
				'&': '&amp;',
				'<': '&lt;',
				'>': '&gt;',
				'"': '&quot;',
				"'": '&#39;'
			})[c] ?? c
	);

/**
 * @param {{
 *   Refusal: new (code: string, message: string) => Error;
 *   orders: Map<string, any>;
 *   transNo: () => string;
 *   toMinor: (value: unknown, currency: string, field: string) => number;
 *   toMajor: (minor: number, currency: string) => string;
 *   finish: (o: any, status: number) => void;
 *   later: (fn: () => void, ms: number) => void;
 *   faults: () => Record<string, unknown>;
 *   baseUrl: () => string;
 *   log: (line: string) => void;
 * }} ctx
 */
export function hostedCheckout(ctx) {
	/** @type {Map<string, string>} page token → merchant_order_no */
	const pages = new Map();

	/** @param {any} req */
	function checkout(req) {
		const { Refusal } = ctx;
		if (ctx.orders.has(req.merchant_order_no)) {
			throw new Refusal('40006', 'duplicate merchant_order_no');
		}
		const expires = Number(req.expires);
		if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_S) {
			throw new Refusal('40001', `expires must be an integer of 1..${MAX_EXPIRES_S} seconds`);
		}
		for (const field of ['return_url', 'notify_url']) {
			if (req[field] === undefined) continue;
			let url;
			try {
				url = new URL(String(req[field]));
			} catch {
				throw new Refusal('40001', `${field} is not a URL`);
			}
			if (url.protocol !== 'http:' && url.protocol !== 'https:') {
				throw new Refusal('40001', `${field} must be http(s)`);
			}
		}
		if (req.term_ip !== undefined && String(req.term_ip).length > 32) {
			throw new Refusal('40001', 'term_ip is longer than 32');
		}
		let detail;
		if (req.order_detail !== undefined) {
			// Sent as pre-serialised JSON text (the spec's sample): anything else is refused.
			try {
				detail = typeof req.order_detail === 'string' ? JSON.parse(req.order_detail) : null;
			} catch {
				detail = null;
			}
			if (
				!detail ||
				typeof detail !== 'object' ||
				!detail.data ||
				!Array.isArray(detail.data.items ?? [])
			) {
				throw new Refusal('40001', 'order_detail must be the JSON text of {data, type}');
			}
		}
		const currency = String(req.price_currency);
		if (!/^[A-Z]{3}$/.test(currency)) throw new Refusal('40001', 'price_currency');
		const amount = ctx.toMinor(req.order_amount, currency, 'order_amount');
		if (amount <= 0) throw new Refusal('40001', 'order_amount must be positive');
		const token = randomBytes(16).toString('hex');
		const o = {
			merchantOrderNo: req.merchant_order_no,
			transNo: ctx.transNo(),
			storeNo: req.store_no,
			transType: 1,
			currency,
			amount,
			tip: 0,
			refunded: 0,
			status: 9,
			hosted: true,
			method: req.method,
			description: String(req.description),
			items: detail?.data?.items ?? [],
			notifyUrl: req.notify_url,
			returnUrl: req.return_url,
			attach: req.attach,
			expiresAt: Date.now() + expires * 1000,
			token
		};
		ctx.orders.set(o.merchantOrderNo, o);
		pages.set(token, o.merchantOrderNo);
		// At its expiry the order can no longer be paid: the gateway closes it.
		ctx.later(() => {
			if (o.status === 9 || o.status === 0) {
				o.respMsgOverride = 'Order expired';
				ctx.finish(o, 1);
				ctx.log(`checkout ${o.merchantOrderNo} expired`);
			}
		}, expires * 1000);
		return { pay_url: `${ctx.baseUrl()}/checkout/${token}` };
	}

	/** @param {any} req */
	function revoke(req) {
		const o = ctx.orders.get(req.merchant_order_no);
		if (!o) throw new ctx.Refusal('40007', 'order not found');
		if (o.status === 9 || o.status === 0) ctx.finish(o, 3);
		else if (o.status === 2) {
			// Cancel Order refunds a payment that went through (spec "Cancel Order").
			o.refunded = o.amount;
			o.revokedAfterPayment = true;
			ctx.finish(o, 3);
		}
		return { message_id: `M${o.transNo.slice(1)}`, trans_no: o.transNo };
	}

	/** The page the customer sees. @param {any} o */
	function page(o, note = '') {
		const open = o.status === 9 || o.status === 0;
		const amount = `${ctx.toMajor(o.amount, o.currency)} ${o.currency}`;
		const items = o.items
			.map(
				(/** @type {any} */ i) =>
					`<li>${escape(String(i.quantity))} × ${escape(String(i.name))}</li>`
			)
			.join('');
		const state =
			o.status === 2
				? 'Paid'
				: o.status === 1
					? 'Closed'
					: o.status === 3
						? 'Cancelled'
						: 'Waiting';
		return `<!doctype html><html><head><meta charset="utf-8"><title>Checkout (simulator)</title>
<meta name="viewport" content="width=device-width"></head><body>
<h1>Checkout (simulator)</h1><p>${escape(o.description)}</p><ul>${items}</ul>
<p>Amount: <strong data-testid="amount">${escape(amount)}</strong></p>
<p>Status: <strong data-testid="status">${state}</strong></p>${note ? `<p>${escape(note)}</p>` : ''}
${
	open
		? `<form method="post" action="/checkout/${o.token}/pay"><button>Pay</button></form>
<form method="post" action="/checkout/${o.token}/fail"><button>Fail</button></form>
<form method="post" action="/checkout/${o.token}/abandon"><button>Abandon</button></form>`
		: ''
}</body></html>`;
	}

	/** Where the customer goes after the page: return_url, with parameters the POS must ignore. */
	function returnTo(/** @type {any} */ o) {
		if (!o.returnUrl) return null;
		const url = new URL(o.returnUrl);
		url.searchParams.set('merchant_order_no', o.merchantOrderNo);
		url.searchParams.set('trans_status', String(o.status));
		return url.href;
	}

	/**
	 * GET /checkout/<token>, POST /checkout/<token>/(pay|fail|abandon). True when it answered.
	 * @param {import('node:http').IncomingMessage} request
	 * @param {import('node:http').ServerResponse} response
	 */
	function route(request, response) {
		const match = /^\/checkout\/([0-9a-f]{32})(?:\/(pay|fail|abandon))?$/.exec(
			(request.url ?? '').split('?')[0] ?? ''
		);
		if (!match) return false;
		const html = (/** @type {number} */ status, /** @type {string} */ body) => {
			response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
			response.end(body);
		};
		const o = ctx.orders.get(pages.get(match[1] ?? '') ?? '');
		if (!o) {
			html(404, '<!doctype html><p>No such checkout.</p>');
			return true;
		}
		const action = match[2];
		if (!action) {
			html(200, page(o));
			return true;
		}
		if (request.method !== 'POST') {
			html(405, '<!doctype html><p>Use the buttons.</p>');
			return true;
		}
		const open = o.status === 9 || o.status === 0;
		if (open && action === 'pay') ctx.finish(o, ctx.faults().decline ? 1 : 2);
		else if (open && action === 'fail') ctx.finish(o, 1);
		ctx.log(`checkout ${o.merchantOrderNo}: ${action} -> ${o.status}`);
		const next = returnTo(o);
		if (next) {
			response.writeHead(303, { location: next });
			response.end();
		} else html(200, page(o, 'You can close this page.'));
		return true;
	}

	return {
		required: {
			'pay.checkout': CHECKOUT_REQUIRED,
			'pay.paycloud.checkout': CHECKOUT_REQUIRED,
			'order.revoker': { merchant_no: 32, merchant_order_no: 32 }
		},
		/** @param {string} method @param {any} req */
		handle(method, req) {
			if (method === 'pay.checkout' || method === 'pay.paycloud.checkout') return checkout(req);
			if (method === 'order.revoker') return revoke(req);
			return undefined;
		},
		route
	};
}

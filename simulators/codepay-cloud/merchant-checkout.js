/**
 * `pay.merchant.checkout` for the CodePay cloud gateway simulator (spec: Merchant Hosted Checkout,
 * NOTES.md §2): strict field checks, the card decrypted with the gateway's private key (RSA-OAEP
 * SHA-1, 256-byte blocks, base64), checked (Luhn, expiry, security code) and decided by its number,
 * with an optional 3-D Secure page at `redirect_url_3dsecure` whose "Complete" / "Fail" finish the
 * order, notify, and send the cardholder back to `return_url`.
 *
 * Plain JavaScript beside `server.js`, which registers it as an extension, like `hosted.js`.
 *
 * Test cards (any future expiry, any holder; security code 3 digits, 4 on Amex):
 *   4111 1111 1111 1111, 5555 5555 5555 4444, 3782 822463 10005 and any other valid number: approved
 *   4000 0000 0000 3220: 3-D Secure required (the page decides)
 *   4000 0000 0000 0002: declined ("Do not honour")
 *   4000 0000 0000 9995: declined ("Insufficient funds")
 * A number failing Luhn, an expired card or a security code of the wrong length: code 40001.
 */
import { constants, privateDecrypt, randomBytes } from 'node:crypto';

export const THREE_DS_CARD = '4000000000003220';
const DECLINES = {
	4000000000000002: '[05]Do not honour',
	4000000000009995: '[51]Insufficient funds'
};

/** Fields the method requires, with their maximum lengths (0: no length to check). */
const REQUIRED = {
	merchant_no: 32,
	card: 0,
	billing_address: 0,
	merchant_order_no: 32,
	price_currency: 8,
	order_amount: 0,
	expires: 0,
	description: 128
};
const OPTIONAL = { return_url: 256, notify_url: 256, term_ip: 32, attach: 128, store_no: 32 };

function luhn(/** @type {string} */ digits) {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return sum % 10 === 0;
}

/**
 * @param {{
 *   gatewayKey: import('node:crypto').KeyObject;
 *   orders: Map<string, any>;
 *   transNo: () => string;
 *   toMinor: (value: unknown, currency: string, field: string) => number;
 *   finish: (order: any, status: number) => void;
 *   Refusal: new (code: string, message: string) => Error;
 *   baseUrl: () => string;
 * }} ctx
 */
export function merchantCheckout(ctx) {
	const refuse = (/** @type {string} */ code, /** @type {string} */ message) =>
		new ctx.Refusal(code, message);
	/** @type {Map<string, string>} token → merchant_order_no */
	const challenges = new Map();

	/** The card's JSON, decrypted block by block; refused when it is not what the spec says. */
	function decryptCard(/** @type {unknown} */ card) {
		if (typeof card !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(card)) {
			throw refuse('40001', 'card must be base64 ciphertext');
		}
		const bytes = Buffer.from(card, 'base64');
		if (bytes.length === 0 || bytes.length % 256 !== 0) {
			throw refuse('40001', 'card is not whole 256-byte RSA blocks');
		}
		const parts = [];
		try {
			for (let at = 0; at < bytes.length; at += 256) {
				parts.push(
					privateDecrypt(
						{ key: ctx.gatewayKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
						bytes.subarray(at, at + 256)
					)
				);
			}
		} catch {
			throw refuse('40001', 'card does not decrypt with the gateway key (RSA-OAEP SHA-1)');
		}
		let value;
		try {
			value = JSON.parse(Buffer.concat(parts).toString('utf8'));
		} catch {
			throw refuse('40001', 'card is not JSON once decrypted');
		}
		return value;
	}

	function checkCard(/** @type {any} */ card) {
		if (!card || typeof card !== 'object') throw refuse('40001', 'card is not an object');
		const { card_type, pan, expiry, cvv, holder } = card;
		if (![1, 2, 3, 4].includes(card_type)) throw refuse('40001', 'card.card_type');
		if (typeof pan !== 'string' || !/^\d{12,19}$/.test(pan) || !luhn(pan)) {
			throw refuse('40001', 'card.pan is not a valid card number');
		}
		if (typeof expiry !== 'string' || !/^(0[1-9]|1[0-2])\d{2}$/.test(expiry)) {
			throw refuse('40001', 'card.expiry must be MMYY');
		}
		const now = new Date();
		const months = (2000 + Number(expiry.slice(2))) * 12 + Number(expiry.slice(0, 2)) - 1;
		if (months < now.getUTCFullYear() * 12 + now.getUTCMonth()) {
			throw refuse('40001', 'card expired');
		}
		const amex = /^3[47]/.test(pan);
		if (typeof cvv !== 'string' || !new RegExp(`^\\d{${amex ? 4 : 3}}$`).test(cvv)) {
			throw refuse('40001', 'card.cvv');
		}
		if (typeof holder !== 'string' || holder.trim() === '' || holder.length > 64) {
			throw refuse('40001', 'card.holder');
		}
		return { pan, brand: brandOf(pan) };
	}

	function brandOf(/** @type {string} */ pan) {
		if (/^4/.test(pan)) return 'Visa';
		if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(pan)) return 'MasterCard';
		if (/^3[47]/.test(pan)) return 'Amex';
		if (/^(6011|64[4-9]|65)/.test(pan)) return 'Discover';
		if (/^35(2[89]|[3-8]\d)/.test(pan)) return 'JCB';
		if (/^(62|81)/.test(pan)) return 'UnionPay';
		return 'Diners';
	}

	/** @param {any} req */
	function handle(req) {
		for (const [field, max] of Object.entries(OPTIONAL)) {
			if (req[field] !== undefined && String(req[field]).length > max) {
				throw refuse('40001', `${field} is longer than ${max}`);
			}
		}
		let billing;
		try {
			billing = typeof req.billing_address === 'string' ? JSON.parse(req.billing_address) : null;
		} catch {
			billing = null;
		}
		if (!billing || typeof billing !== 'object' || typeof billing.name !== 'string') {
			throw refuse('40001', 'billing_address must be a JSON object with a name');
		}
		if (ctx.orders.has(req.merchant_order_no)) {
			throw refuse('40006', 'duplicate merchant_order_no');
		}
		const currency = String(req.price_currency);
		const amount = ctx.toMinor(req.order_amount, currency, 'order_amount');
		if (amount <= 0) throw refuse('40001', 'order_amount must be positive');
		const { pan, brand } = checkCard(decryptCard(req.card));
		const o = {
			merchantOrderNo: req.merchant_order_no,
			transNo: ctx.transNo(),
			storeNo: req.store_no,
			transType: 1,
			currency,
			amount,
			tip: 0,
			refunded: 0,
			status: 0,
			notifyUrl: req.notify_url,
			returnUrl: req.return_url,
			attach: req.attach,
			payMethodId: brand,
			// What query and notifications show of the card: never more than first six, last four.
			cardNo: `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`,
			expiresAt: Date.now() + Number(req.expires) * 1000
		};
		ctx.orders.set(o.merchantOrderNo, o);
		const data = { trans_no: o.transNo, trans_status: 0, pay_method_id: brand };
		if (pan === THREE_DS_CARD) {
			const token = randomBytes(12).toString('hex');
			challenges.set(token, o.merchantOrderNo);
			return { ...data, redirect_url_3dsecure: `${ctx.baseUrl()}/3ds/${token}` };
		}
		const decline = /** @type {Record<string, string>} */ (DECLINES)[pan];
		if (decline) o.respMsgOverride = decline;
		ctx.finish(o, decline ? 1 : 2);
		return { ...data, trans_status: o.status };
	}

	/**
	 * The 3-D Secure page: GET shows it, POST …/complete or …/fail finishes the order and sends
	 * the cardholder to `return_url`. Returns false when the request is not for it.
	 * @param {import('node:http').IncomingMessage} request
	 * @param {import('node:http').ServerResponse} response
	 */
	function route(request, response) {
		const match = /^\/3ds\/([0-9a-f]{24})(?:\/(complete|fail))?$/.exec(request.url ?? '');
		if (!match) return false;
		const html = (/** @type {number} */ status, /** @type {string} */ body) => {
			response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
			response.end(`<!doctype html><meta charset="utf-8"><title>3-D Secure</title>${body}`);
		};
		const o = ctx.orders.get(challenges.get(match[1] ?? '') ?? '');
		if (!o) return (html(404, '<p>No such 3-D Secure challenge.</p>'), true);
		if (request.method === 'GET' && !match[2]) {
			html(
				200,
				`<h1>3-D Secure (simulator)</h1><p>Confirm the payment of ${o.currency} ${o.amount} ` +
					`minor units, card ${o.cardNo}.</p>` +
					`<form method="post" action="/3ds/${match[1]}/complete"><button>Complete</button></form>` +
					`<form method="post" action="/3ds/${match[1]}/fail"><button>Fail</button></form>`
			);
			return true;
		}
		if (request.method !== 'POST' || !match[2]) return (html(405, '<p>Use the buttons.</p>'), true);
		challenges.delete(match[1] ?? '');
		if (o.status === 0) {
			if (match[2] === 'fail') o.respMsgOverride = '[3DS]Authentication failed';
			ctx.finish(o, match[2] === 'complete' ? 2 : 1);
		}
		if (o.returnUrl) {
			response.writeHead(302, { location: o.returnUrl });
			response.end();
		} else html(200, '<p>Done.</p>');
		return true;
	}

	return {
		required: { 'pay.merchant.checkout': REQUIRED },
		/** @param {string} method @param {any} req */
		handle: (method, req) => (method === 'pay.merchant.checkout' ? handle(req) : undefined),
		route
	};
}

/**
 * An IOT Pay gateway with one `CC_PAX` terminal behind it, for `npm start` and the tests
 * (issue 12). It speaks what `iotpay-pos-semi-integration.zh.txt` and NOTES.md §4 describe:
 * `POST /create_order` and `POST /query_order`, form-encoded as `params=<json>` or as separate
 * fields, MD5-signed with the merchant key (its own implementation of the rule, not the POS's).
 *
 * `create_order` is held open while the "card" is read (`cardMs`). Faults (`setFaults`) make it
 * decline with a `receiptDisp`, answer very late, never answer (the result only by query, after a
 * delay), sign its answers wrongly, or cut the connection mid-call. Every `create_order` received
 * is counted per merchant order number, so tests can assert that none was sent twice.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

/** @typedef {import('./server').IotPayFaults} IotPayFaults */
/** @typedef {import('./server').SimulatedOrder} SimulatedOrder */

/** @param {Record<string, unknown>} fields @param {string} key */
export function md5Sign(fields, key) {
	const text = Object.keys(fields)
		.filter((k) => k !== 'sign')
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
		.map((k) => {
			const v = fields[k];
			if (v === undefined || v === null || v === '') return null;
			return `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
		})
		.filter((pair) => pair !== null)
		.join('&');
	return createHash('md5').update(`${text}&key=${key}`, 'utf8').digest('hex').toUpperCase();
}

/** @param {Record<string, unknown>} fields @param {string} key */
function signatureOk(fields, key) {
	const given = fields.sign;
	if (typeof given !== 'string' || given.length !== 32) return false;
	return timingSafeEqual(Buffer.from(md5Sign(fields, key)), Buffer.from(given.toUpperCase()));
}

const REQUIRED = [
	'mchId',
	'mchOrderNo',
	'channelId',
	'currency',
	'amount',
	'clientIp',
	'notifyUrl',
	'subject',
	'body',
	'extra',
	'jobNo'
];

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {import('./server').IotPaySimulatorOptions} [options]
 * @returns {Promise<import('./server').IotPaySimulator>}
 */
export async function startIotPaySimulator(options = {}) {
	const mchId = options.mchId ?? '10000576';
	const key = options.key ?? 'simulator-merchant-key';
	const log = options.log ?? (() => {});
	/** @type {IotPayFaults} */
	let faults = {};
	let cardMs = options.cardMs ?? 1500;
	/** @type {Map<string, SimulatedOrder>} */
	const orders = new Map();
	/** @type {Map<string, number>} */
	const createCounts = new Map();
	/** @type {{ endpoint: string; fields: Record<string, unknown>; validSign: boolean }[]} */
	const requests = [];
	let seq = 0;

	/** @param {Record<string, unknown>} body */
	function signed(body) {
		const sign = faults.badSignature ? 'F'.repeat(32) : md5Sign(body, key);
		return { ...body, sign };
	}

	/** @param {SimulatedOrder} order */
	function payOrder(order) {
		return {
			payOrderId: order.payOrderId,
			mchId,
			mchOrderNo: order.mchOrderNo,
			channelId: 'CC_PAX',
			currency: order.currency,
			amount: order.amount,
			tip: order.tip,
			deviceId: order.device,
			userName: order.jobNo,
			status: currentStatus(order),
			extra: JSON.stringify(order.extra),
			createDate: order.createdAt
		};
	}

	/** What a query sees now: the order is settled once the card is done (and any delay passed). */
	function currentStatus(/** @type {SimulatedOrder} */ order) {
		return Date.now() >= order.visibleAt ? order.finalStatus : 1;
	}

	/** @param {SimulatedOrder} order */
	function orderAnswer(order) {
		return signed({
			retCode: 'SUCCESS',
			resCode: 'SUCCESS',
			retMsg: '',
			payOrderId: order.payOrderId,
			mchOrderNo: order.mchOrderNo,
			payOrder: payOrder(order)
		});
	}

	/** @param {string} message */
	const fail = (message) => ({ retCode: 'FAIL', retMsg: message });

	/** @param {import('node:http').IncomingMessage} request */
	async function readFields(request) {
		let text = '';
		for await (const chunk of request) text += chunk;
		const form = new URLSearchParams(text);
		const params = form.get('params');
		if (params !== null) {
			const value = JSON.parse(params);
			if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('params');
			return /** @type {Record<string, unknown>} */ (value);
		}
		return Object.fromEntries(form);
	}

	/**
	 * @param {Record<string, unknown>} fields
	 * @param {import('node:http').ServerResponse} response
	 */
	async function createOrder(fields, response) {
		const no = String(fields.mchOrderNo ?? '');
		createCounts.set(no, (createCounts.get(no) ?? 0) + 1);
		const missing = REQUIRED.filter((k) => typeof fields[k] !== 'string' || fields[k] === '');
		if (missing.length > 0) return fail(`missing ${missing.join(',')}`);
		if (!Object.values(fields).every((v) => typeof v === 'string')) {
			return fail('every parameter must be a string');
		}
		if (fields.mchId !== mchId) return fail('mchId not exist');
		if (fields.channelId !== 'CC_PAX') return fail('channelId not supported');
		if (fields.notifyUrl !== 'http://localhost')
			return fail("notifyUrl must be 'http://localhost'");
		if (!/^\d{1,10}$/.test(String(fields.amount))) return fail('amount must be cents');
		if (fields.tip !== undefined && !/^\d{1,10}$/.test(String(fields.tip))) return fail('tip');
		if (orders.has(no)) return fail('mchOrderNo repeated');
		const now = Date.now();
		const slow = faults.slowMs ?? 0;
		const declined = faults.decline === true;
		/** @type {SimulatedOrder} */
		const order = {
			mchOrderNo: no,
			payOrderId: `CP${now}${String(++seq).padStart(6, '0')}`,
			amount: Number(fields.amount),
			tip: Number(fields.tip ?? 0),
			currency: String(fields.currency),
			device: String(fields.device ?? ''),
			jobNo: String(fields.jobNo),
			createdAt: now,
			visibleAt: now + cardMs + (faults.queryDelayMs ?? 0),
			finalStatus: declined ? 9 : 2,
			extra: declined
				? {
						cardType: ' ',
						cardNum: '',
						termInvoiceNum: String(100000 + seq),
						authNum: '',
						receiptDisp: faults.declineMessage ?? 'Transaction Not Completed 05',
						trxCode: '00'
					}
				: {
						cardType: 'V',
						cardNum: 'XXXXXXXXXXXX4242',
						emvLabel: 'VISA CREDIT',
						termInvoiceNum: String(700000 + seq),
						authNum: `A${String(seq).padStart(5, '0')}`,
						receiptDisp: '000 Approved 00 Thank You',
						trxCode: '00'
					}
		};
		orders.set(no, order);
		log(`create_order ${no} ${order.amount}+${order.tip} ${order.currency}`);
		const cut = faults.cutConnection === true;
		const hang = faults.hangCreate === true;
		await sleep(cardMs);
		if (cut) {
			response.socket?.destroy();
			return null;
		}
		if (hang) return null;
		if (slow > 0) await sleep(slow);
		return orderAnswer(order);
	}

	/** @param {Record<string, unknown>} fields */
	function queryOrder(fields) {
		if (fields.mchId !== mchId) return fail('mchId not exist');
		const order = orders.get(String(fields.mchOrderNo ?? ''));
		if (!order) return fail('order not exist');
		return orderAnswer(order);
	}

	/** Connections held open by `hangCreate`, closed on `close()`. */
	/** @type {Set<import('node:http').ServerResponse>} */
	const hanging = new Set();

	const server = createServer(async (request, response) => {
		const reply = (/** @type {unknown} */ body) =>
			response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		const endpoint = (request.url ?? '').replace(/^.*\//, '').replace(/\?.*$/, '');
		if (request.method !== 'POST' || !['create_order', 'query_order'].includes(endpoint)) {
			response.writeHead(404).end();
			return;
		}
		/** @type {Record<string, unknown>} */
		let fields;
		try {
			fields = await readFields(request);
		} catch {
			return reply(fail('params is not JSON'));
		}
		const validSign = signatureOk(fields, key);
		requests.push({ endpoint, fields, validSign });
		if (!validSign) {
			if (endpoint === 'create_order') {
				const no = String(fields.mchOrderNo ?? '');
				createCounts.set(no, (createCounts.get(no) ?? 0) + 1);
			}
			log(`${endpoint} ${String(fields.mchOrderNo)}: signature fail`);
			return reply(fail('signature fail'));
		}
		if (endpoint === 'query_order') return reply(queryOrder(fields));
		const answer = await createOrder(fields, response);
		if (answer === null) {
			if (!response.destroyed) hanging.add(response);
			return;
		}
		if (!response.destroyed) reply(answer);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 35781, options.host ?? '127.0.0.1', () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
	return {
		port: address.port,
		url,
		mchId,
		get faults() {
			return { ...faults };
		},
		setFaults(next) {
			faults = { ...next };
			if (next.cardMs !== undefined) cardMs = next.cardMs;
		},
		reset() {
			faults = {};
			cardMs = options.cardMs ?? 1500;
		},
		createCount: (no) => createCounts.get(no) ?? 0,
		orders: () => [...orders.values()].map((o) => ({ ...o, status: currentStatus(o) })),
		requests: () => requests.map((r) => ({ ...r })),
		async close() {
			for (const response of hanging) response.socket?.destroy();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		}
	};
}

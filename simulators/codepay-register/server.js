/**
 * A CodePay Register / WiseCashier terminal on the LAN WebSocket protocol, for tests and demos
 * (specs/codepay-register-lan-websocket.txt, specs/wisecashier-lan-websocket.zh.txt, NOTES.md §1).
 *
 * Plain JavaScript so that `node simulators/codepay-register/cli.js` runs on Node 20 with no build
 * step; `server.d.ts` gives TypeScript callers the types. It deliberately shares no code with the
 * POS client: it is a second, independent reading of the spec.
 *
 * Response codes: `000` success (NOTES.md §1), `106` invalid app id (§1), `110` cancelled (§1).
 * The rest are this simulator's own, since no code table is published:
 *   101 malformed message · 102 missing or invalid parameter · 104 order not found
 *   105 order already finished (cannot close) · 107 unsupported topic
 *   108 original order missing or not eligible · 113 busy with another order · 301 card declined
 */
import { WebSocketServer } from 'ws';

const TOPICS = {
	order: 'ecrhub.pay.order',
	query: 'ecrhub.pay.query',
	close: 'ecrhub.pay.close',
	tipAdjust: 'ecrhub.pay.tip.adjustment',
	batchClose: 'ecrhub.pay.batch.close',
	heartbeat: 'ecrhub.heartbeat',
	init: 'ecrhub.init',
	getInfo: 'ecrhub.getInfo'
};

const TRANS_TYPES = ['1', '2', '3', '4', '5', '6', '7', '8', '11'];
/** NOTES.md §1 says 2, 3 and 6 need the original; the cancels and completion refund do too. */
const NEEDS_ORIGINAL = ['2', '3', '5', '6', '7', '8'];
const CHARGES = ['1', '4', '6', '11'];
const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const EXPONENT = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

/** @typedef {import('./server.d.ts').SimulatorFaults} SimulatorFaults */
/** @typedef {import('./server.d.ts').SimulatorOptions} SimulatorOptions */
/** @typedef {import('./server.d.ts').SimulatedTransaction} SimulatedTransaction */
/** @typedef {import('ws').WebSocket} Socket */

class Rejection extends Error {
	/** @param {string} code @param {string} message */
	constructor(code, message) {
		super(message);
		this.code = code;
	}
}

/** @param {string} currency */
function exponentOf(currency) {
	return /** @type {Record<string, number>} */ (EXPONENT)[currency] ?? 2;
}

/** @param {unknown} text @param {string} currency @param {string} field @returns {number} */
function parseAmount(text, currency, field) {
	if (typeof text !== 'string') throw new Rejection('102', `${field} must be a decimal string`);
	const match = DECIMAL.exec(text);
	const exponent = exponentOf(currency);
	if (!match || (match[2] ?? '').length > exponent) {
		throw new Rejection('102', `${field} "${text}" is not a valid ${currency} amount`);
	}
	return Number((match[1] ?? '0') + (match[2] ?? '').padEnd(exponent, '0'));
}

/** @param {number} minor @param {string} currency */
function formatAmount(minor, currency) {
	const exponent = exponentOf(currency);
	if (exponent === 0) return String(minor);
	const digits = String(minor).padStart(exponent + 1, '0');
	return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** @param {Record<string, unknown>} biz @param {string} field */
function optionalBoolean(biz, field) {
	if (field in biz && typeof biz[field] !== 'boolean') {
		throw new Rejection('102', `${field} must be a JSON boolean`);
	}
}

/**
 * @param {Record<string, unknown>} biz
 * @param {string} field
 * @param {'string' | 'number'} type
 */
function optionalOfType(biz, field, type) {
	if (field in biz && typeof biz[field] !== type) {
		throw new Rejection('102', `${field} must be a JSON ${type}`);
	}
}

/** @param {unknown} value @param {string} field */
function orderNo(value, field) {
	if (typeof value !== 'string' || !ORDER_NO.test(value)) {
		throw new Rejection('102', `${field} must be 1-32 letters or digits`);
	}
	return value;
}

/** @param {number} n */
function digits(n) {
	let out = '';
	for (let i = 0; i < n; i++) out += Math.floor(Math.random() * 10);
	return out;
}

function localTime() {
	const d = new Date();
	const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * @param {SimulatorOptions} [options]
 * @returns {Promise<import('./server.d.ts').CodePaySimulator>}
 */
export async function startCodePaySimulator(options = {}) {
	const {
		port = 35779,
		host = '127.0.0.1',
		appId = 'sim-app-id',
		profile = 'codepay',
		cardMs = 800,
		currency: defaultCurrency = 'USD',
		screenTip = '1.00',
		log = () => {}
	} = options;

	/** @type {Required<SimulatorFaults>} */
	const faults = {
		decline: false,
		declineMessage: 'Insufficient funds',
		slowMs: 0,
		customerCancel: false,
		dropAfterApprove: false,
		redeliverOnReconnect: true,
		duplicateResponses: false,
		garbageFrames: false,
		neverAnswer: false,
		loseOrders: false,
		busyWithOtherOrder: false,
		omitRequestId: false,
		successCode: '000'
	};

	/**
	 * @typedef {{ socket: Socket, requestId: string | undefined, topic: string }} Waiter
	 * @typedef {SimulatedTransaction & { waiters: Waiter[], timer?: ReturnType<typeof setTimeout>,
	 *   onScreenTip: boolean, redeliver?: Waiter }} Order
	 */
	/** @type {Map<string, Order>} */
	const orders = new Map();
	/** @type {SimulatedTransaction[]} every approved card operation, in order */
	const ledger = [];
	/** @type {Record<string, unknown>[]} */
	const received = [];
	/**
	 * Who connected, as a terminal sees it: the peer address, the handshake's Origin (a browser
	 * sends its page's; the POS server's relay sends none) and the order numbers each carried.
	 * @type {{ remoteAddress: string, origin: string | undefined, orders: string[] }[]}
	 */
	const connectionLog = [];
	/** @type {WeakMap<import('ws').WebSocket, (typeof connectionLog)[number]>} */
	const connectionOf = new WeakMap();
	/** @type {Order | undefined} */
	let current;
	let batchNo = 1;

	const wss = new WebSocketServer({ port, host });
	await new Promise((resolve, reject) => {
		wss.once('listening', () => resolve(undefined));
		wss.once('error', reject);
	});
	const address = /** @type {import('node:net').AddressInfo} */ (wss.address());

	/** @param {Order} order @returns {SimulatedTransaction} */
	function snapshot(order) {
		const { waiters: _w, timer: _t, onScreenTip: _o, redeliver: _r, ...rest } = order;
		return { ...rest };
	}

	/** @param {Order} o */
	function resultBiz(o) {
		/** @type {Record<string, unknown>} */
		const biz = {
			merchant_order_no: o.merchant_order_no,
			trans_type: o.trans_type,
			trans_status: o.trans_status,
			trans_no: o.trans_no,
			order_amount: formatAmount(o.order_amount, o.currency),
			total_amount: formatAmount(o.order_amount + o.tip_amount + o.cashback_amount, o.currency)
		};
		if (profile === 'codepay') biz.price_currency = o.currency;
		if (o.orig_merchant_order_no) biz.orig_merchant_order_no = o.orig_merchant_order_no;
		if (o.tip_amount) biz.tip_amount = formatAmount(o.tip_amount, o.currency);
		if (o.cashback_amount) biz.cashback_amount = formatAmount(o.cashback_amount, o.currency);
		if (o.trans_status === '2') {
			Object.assign(biz, {
				pay_method_id: o.pay_method_id,
				pay_scenario: 'SWIPE_CARD',
				card_no: o.card_no,
				auth_code: o.auth_code,
				pay_channel_trans_no: o.pay_channel_trans_no,
				trans_end_time: o.trans_end_time
			});
		}
		return biz;
	}

	/** @param {Socket} socket */
	function sendGarbage(socket) {
		socket.send('}{ definitely not json');
		socket.send(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
		socket.send('[1,2,3]');
		socket.send(JSON.stringify({ topic: 'ecrhub.unknown', response_code: '000' }));
		socket.send(
			JSON.stringify({
				topic: TOPICS.order,
				request_id: 'garbage',
				response_code: '000',
				biz_data: { merchant_order_no: 7, trans_status: { nested: true } }
			})
		);
		socket.send(
			JSON.stringify({
				topic: TOPICS.query,
				request_id: `stray-${digits(6)}`,
				response_code: '000',
				biz_data: { merchant_order_no: 'STRAY1', trans_status: '2', order_amount: '1.00' }
			})
		);
	}

	/**
	 * @param {Socket} socket
	 * @param {{ topic: string, requestId?: string, code: string, message?: string, biz?: unknown }} r
	 */
	function respond(socket, r) {
		if (socket.readyState !== socket.OPEN) return false;
		const success = r.code === '000';
		/** @type {Record<string, unknown>} */
		const frame = { topic: r.topic };
		if (r.requestId !== undefined && !faults.omitRequestId) frame.request_id = r.requestId;
		Object.assign(frame, {
			timestamp: String(Date.now()),
			version: '1.0',
			app_id: appId,
			response_code: success ? faults.successCode : r.code
		});
		if (r.message) frame.response_msg = r.message;
		frame.biz_data = r.biz === undefined ? {} : r.biz;
		const text = JSON.stringify(frame);
		if (faults.garbageFrames) sendGarbage(socket);
		socket.send(text);
		if (faults.duplicateResponses) socket.send(text);
		log(`← ${r.topic} ${frame.response_code}${r.message ? ` ${r.message}` : ''}`);
		return true;
	}

	/** @param {Order} order @param {string} code @param {string | undefined} message @param {unknown} biz */
	function answerWaiters(order, code, message, biz) {
		for (const waiter of order.waiters) {
			const sent = respond(waiter.socket, {
				topic: waiter.topic,
				requestId: waiter.requestId,
				code,
				message,
				biz
			});
			// NOTES.md §1: the terminal delivers the result again after the POS reconnects.
			if (!sent && code === '000') order.redeliver = waiter;
		}
		order.waiters = [];
	}

	/** @param {Order} order */
	function applyEffects(order) {
		const orig = order.orig_merchant_order_no
			? orders.get(order.orig_merchant_order_no)
			: undefined;
		if (!orig) return;
		if (order.trans_type === '2' || order.trans_type === '5' || order.trans_type === '7') {
			orig.voided = true;
		}
		if (order.trans_type === '3' || order.trans_type === '8') orig.refunded += order.order_amount;
		if (order.trans_type === '6') orig.completed = true;
	}

	/** @param {Order} order */
	function finish(order) {
		order.timer = undefined;
		if (current === order) current = undefined;
		if (faults.customerCancel) {
			order.trans_status = '3';
			// NOTES.md §1: a 110 may come with an empty-string biz_data.
			answerWaiters(order, '110', 'Cancelled by the customer', '');
			log(`  ${order.merchant_order_no} cancelled by the customer`);
			return;
		}
		if (faults.decline) {
			order.trans_status = '1';
			answerWaiters(order, '301', faults.declineMessage, resultBiz(order));
			log(`  ${order.merchant_order_no} declined`);
			return;
		}
		order.trans_status = '2';
		if (order.onScreenTip) order.tip_amount = parseAmount(screenTip, order.currency, 'screenTip');
		order.trans_no = `5021${digits(18)}`;
		order.auth_code = digits(6);
		order.pay_channel_trans_no = digits(12);
		order.pay_method_id = 'Visa';
		order.card_no = '411111******1111';
		order.trans_end_time = localTime();
		applyEffects(order);
		ledger.push(snapshot(order));
		log(`  ${order.merchant_order_no} approved (trans_type ${order.trans_type})`);
		if (faults.dropAfterApprove) {
			faults.dropAfterApprove = false; // one-shot: the next operation behaves normally
			for (const waiter of order.waiters) {
				if (faults.redeliverOnReconnect) order.redeliver = waiter;
				waiter.socket.terminate();
			}
			order.waiters = [];
			log(`  dropped the connection after approving ${order.merchant_order_no}`);
			return;
		}
		answerWaiters(order, '000', undefined, resultBiz(order));
	}

	/**
	 * @param {Record<string, unknown>} biz
	 * @param {Socket} socket
	 * @param {string | undefined} requestId
	 */
	function handleOrder(biz, socket, requestId) {
		if (biz.confirm_on_terminal === true && requestId === undefined) {
			// The page: request_id "must be present when using terminal confirmation mode".
			throw new Rejection('102', 'request_id is required with confirm_on_terminal');
		}
		const transType = biz.trans_type;
		if (typeof transType !== 'string' || !TRANS_TYPES.includes(transType)) {
			throw new Rejection('102', 'trans_type must be one of "1"-"8", "11" (as a string)');
		}
		const no = orderNo(biz.merchant_order_no, 'merchant_order_no');
		const currency = biz.price_currency ?? defaultCurrency;
		if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
			throw new Rejection('102', 'price_currency must be an ISO 4217 code');
		}
		const amount = parseAmount(biz.order_amount, currency, 'order_amount');
		if (amount <= 0) throw new Rejection('102', 'order_amount must be greater than zero');
		const tip =
			biz.tip_amount === undefined ? 0 : parseAmount(biz.tip_amount, currency, 'tip_amount');
		const cashback =
			biz.cashback_amount === undefined
				? 0
				: parseAmount(biz.cashback_amount, currency, 'cashback_amount');
		// Strings on the wire, per the page; WiseCashier's `expires` is a Number.
		for (const field of ['pay_method_id', 'card_type', 'attach', 'description']) {
			optionalOfType(biz, field, 'string');
		}
		optionalOfType(biz, 'expires', profile === 'wisecashier' ? 'number' : 'string');
		for (const field of [
			'on_screen_tip',
			'confirm_on_terminal',
			'required_terminal_authentication',
			'on_screen_signature'
		]) {
			optionalBoolean(biz, field);
		}
		if (
			'receipt_print_mode' in biz &&
			!['0', '1', '2', '3'].includes(String(biz.receipt_print_mode))
		) {
			throw new Rejection('102', 'receipt_print_mode must be 0, 1, 2 or 3');
		}
		if (
			'pay_scenario' in biz &&
			!['SWIPE_CARD', 'SCANQR_PAY', 'BSCANQR_PAY'].includes(String(biz.pay_scenario))
		) {
			throw new Rejection('102', 'pay_scenario is not a known scenario');
		}
		if ('forecourt_data' in biz) {
			if (profile !== 'wisecashier') throw new Rejection('102', 'forecourt_data is not supported');
			const lines = biz.forecourt_data;
			if (!Array.isArray(lines) || lines.length === 0) {
				throw new Rejection('102', 'forecourt_data must be a non-empty array');
			}
			let sum = 0;
			for (const line of lines) {
				if (
					typeof line?.code !== 'string' ||
					line.code === '' ||
					typeof line.quantity !== 'string' ||
					!/^\d+\.\d{3}$/.test(line.quantity) ||
					typeof line.amount !== 'string' ||
					!/^\d+$/.test(line.amount)
				) {
					throw new Rejection(
						'102',
						'forecourt_data lines need code, quantity "0.000" and amount in cents'
					);
				}
				sum += Number(line.amount);
			}
			if (sum !== amount) {
				throw new Rejection('102', 'the sum of forecourt_data amounts must equal order_amount');
			}
		}
		/** @type {string | undefined} */
		let orig;
		if (NEEDS_ORIGINAL.includes(transType)) {
			orig = orderNo(biz.orig_merchant_order_no, 'orig_merchant_order_no');
		}

		const existing = orders.get(no);
		if (existing && (existing.trans_type !== transType || existing.order_amount !== amount)) {
			// The same number for another operation is a POS bug, not a retry: never answer it with
			// the first order's result.
			throw new Rejection(
				'102',
				`merchant_order_no ${no} is already used by another order (trans_type ${existing.trans_type})`
			);
		}
		if (existing) {
			// A duplicate merchant_order_no is the same order: never charged twice.
			const waiter = { socket, requestId, topic: TOPICS.order };
			log(`  duplicate order ${no}: answering with its state`);
			if (existing.trans_status === '0') existing.waiters.push(waiter);
			else {
				const cancelled = existing.trans_status === '3';
				respond(socket, {
					topic: TOPICS.order,
					requestId,
					code: cancelled ? '110' : existing.trans_status === '1' ? '301' : '000',
					message: cancelled
						? 'Cancelled'
						: existing.trans_status === '1'
							? faults.declineMessage
							: undefined,
					biz: resultBiz(existing)
				});
			}
			return;
		}
		if (faults.busyWithOtherOrder || current) {
			throw new Rejection('113', 'The terminal is busy with another order');
		}
		if (orig !== undefined) checkOriginal(transType, orig, amount);

		/** @type {Order} */
		const order = {
			merchant_order_no: no,
			trans_type: transType,
			orig_merchant_order_no: orig,
			currency,
			order_amount: amount,
			tip_amount: tip,
			cashback_amount: cashback,
			trans_status: '0',
			refunded: 0,
			voided: false,
			completed: false,
			batched: false,
			onScreenTip: biz.on_screen_tip === true && profile === 'codepay',
			waiters: [{ socket, requestId, topic: TOPICS.order }]
		};
		orders.set(no, order);
		current = order;
		order.timer = setTimeout(() => finish(order), cardMs + faults.slowMs);
	}

	/** @param {string} transType @param {string} origNo @param {number} amount */
	function checkOriginal(transType, origNo, amount) {
		const orig = orders.get(origNo);
		if (!orig || orig.trans_status !== '2') {
			throw new Rejection('108', `Original order ${origNo} was not found or not approved`);
		}
		const isSale = orig.trans_type === '1' || orig.trans_type === '11';
		const total = orig.order_amount + orig.tip_amount;
		if (transType === '2') {
			if (!isSale || orig.voided) throw new Rejection('108', 'Original order cannot be voided');
			if (orig.batched) throw new Rejection('108', 'Batch already closed: refund instead of void');
		}
		if (transType === '3') {
			if (!isSale || orig.voided) throw new Rejection('108', 'Original order cannot be refunded');
			if (orig.refunded + amount > total) {
				throw new Rejection('108', 'Refund exceeds the amount left on the original order');
			}
		}
		if (
			(transType === '5' || transType === '6') &&
			(orig.trans_type !== '4' || orig.voided || orig.completed)
		) {
			throw new Rejection('108', 'Original pre-authorisation is not open');
		}
		if (transType === '6' && amount > orig.order_amount) {
			throw new Rejection('108', 'Completion exceeds the pre-authorised amount');
		}
		if ((transType === '7' || transType === '8') && orig.trans_type !== '6') {
			throw new Rejection('108', 'Original order is not a completion');
		}
	}

	/** @param {string} topic @param {Record<string, unknown>} biz @param {Socket} socket @param {string | undefined} requestId */
	function handle(topic, biz, socket, requestId) {
		const reply = (/** @type {unknown} */ body) =>
			respond(socket, { topic, requestId, code: '000', biz: body });
		switch (topic) {
			case TOPICS.order:
				return handleOrder(biz, socket, requestId);
			case TOPICS.query: {
				const order = orders.get(orderNo(biz.merchant_order_no, 'merchant_order_no'));
				if (!order) throw new Rejection('104', 'Order not found');
				return reply(resultBiz(order));
			}
			case TOPICS.close: {
				const order = orders.get(orderNo(biz.merchant_order_no, 'merchant_order_no'));
				if (!order) throw new Rejection('104', 'Order not found');
				if (order.trans_status !== '0') {
					throw new Rejection('105', 'The order is already finished and cannot be closed');
				}
				clearTimeout(order.timer);
				if (current === order) current = undefined;
				order.trans_status = '3';
				answerWaiters(order, '110', 'Closed by the POS', resultBiz(order));
				return reply({ merchant_order_no: order.merchant_order_no });
			}
			case TOPICS.tipAdjust: {
				const no = orderNo(biz.merchant_order_no, 'merchant_order_no');
				const order = orders.get(no);
				if (!order) throw new Rejection('104', 'Order not found');
				const tip = parseAmount(biz.tip_adjustment_amount, order.currency, 'tip_adjustment_amount');
				if (order.trans_status !== '2' || !['1', '11'].includes(order.trans_type) || order.voided) {
					throw new Rejection('108', 'Only an approved sale can have its tip adjusted');
				}
				if (order.batched)
					throw new Rejection('108', 'The batch is closed: tip can no longer change');
				order.tip_amount = tip;
				return reply({
					...resultBiz(order),
					tip_adjustment_amount: formatAmount(tip, order.currency)
				});
			}
			case TOPICS.batchClose: {
				let count = 0;
				let total = 0;
				for (const order of orders.values()) {
					if (order.trans_status !== '2' || order.batched) continue;
					order.batched = true;
					count += 1;
					const value = order.order_amount + order.tip_amount;
					if (['3', '8'].includes(order.trans_type)) total -= value;
					else if (['1', '6', '11'].includes(order.trans_type) && !order.voided) total += value;
				}
				return reply({
					batch_no: String(batchNo++),
					total_count: count,
					total_amount: formatAmount(Math.max(0, total), defaultCurrency)
				});
			}
			case TOPICS.heartbeat:
				return reply({});
			case TOPICS.init:
			case TOPICS.getInfo:
				return reply({
					device_sn: 'SIM00000001',
					app_name: profile === 'wisecashier' ? 'WiseCashier' : 'CodePay Register',
					app_version: 'simulator'
				});
			default:
				throw new Rejection('107', `Unsupported topic ${topic}`);
		}
	}

	/** @param {Socket} socket @param {import('ws').RawData} data */
	function onMessage(socket, data) {
		/** @type {unknown} */
		let message;
		try {
			message = JSON.parse(data.toString());
		} catch {
			respond(socket, { topic: '', code: '101', message: 'Message is not JSON' });
			return;
		}
		if (typeof message !== 'object' || message === null || Array.isArray(message)) {
			respond(socket, { topic: '', code: '101', message: 'Message must be a JSON object' });
			return;
		}
		const m = /** @type {Record<string, unknown>} */ (message);
		const topic = typeof m.topic === 'string' ? m.topic : '';
		// As if the order frame never left the POS (a page killed just before it sent it).
		if (faults.loseOrders && topic === TOPICS.order) return;
		received.push(m);
		const no = /** @type {{ merchant_order_no?: unknown } | undefined} */ (m.biz_data)
			?.merchant_order_no;
		if (typeof no === 'string') connectionOf.get(socket)?.orders.push(no);
		const requestId = typeof m.request_id === 'string' ? m.request_id : undefined;
		log(`→ ${topic || '(no topic)'} ${requestId ?? ''}`);
		if (faults.neverAnswer) return;
		try {
			if (!topic) throw new Rejection('101', 'topic is required');
			if ('request_id' in m && typeof m.request_id !== 'string') {
				throw new Rejection('102', 'request_id must be a string');
			}
			if (typeof m.app_id !== 'string' || m.app_id === '')
				throw new Rejection('102', 'app_id is required');
			if (m.app_id !== appId) throw new Rejection('106', 'Invalid app id');
			if (profile === 'wisecashier' && m.timestamp === undefined) {
				throw new Rejection('102', 'timestamp is required');
			}
			if (
				m.timestamp !== undefined &&
				(typeof m.timestamp !== 'string' || !/^\d+$/.test(m.timestamp))
			) {
				throw new Rejection('102', 'timestamp must be a string of milliseconds');
			}
			if (m.version !== undefined && m.version !== '1.0')
				throw new Rejection('102', 'version must be "1.0"');
			const biz =
				m.biz_data ?? (topic === TOPICS.heartbeat || topic === TOPICS.batchClose ? {} : undefined);
			if (typeof biz !== 'object' || biz === null || Array.isArray(biz)) {
				throw new Rejection('102', 'biz_data must be a JSON object');
			}
			handle(topic, /** @type {Record<string, unknown>} */ (biz), socket, requestId);
		} catch (error) {
			if (!(error instanceof Rejection)) throw error;
			const biz = /** @type {Record<string, unknown> | undefined} */ (m.biz_data);
			const no = typeof biz?.merchant_order_no === 'string' ? biz.merchant_order_no : undefined;
			respond(socket, {
				topic,
				requestId,
				code: error.code,
				message: error.message,
				biz: no ? { merchant_order_no: no } : {}
			});
		}
	}

	wss.on('connection', (socket, request) => {
		const origin = request.headers.origin;
		const record = { remoteAddress: request.socket.remoteAddress ?? '', origin, orders: [] };
		connectionLog.push(record);
		connectionOf.set(socket, record);
		log(`POS connected from ${record.remoteAddress}${origin ? ` (page ${origin})` : ''}`);
		socket.on('message', (data) => onMessage(socket, data));
		socket.on('error', () => {});
		// NOTES.md §1: after the POS reconnects, results it missed are delivered again.
		setTimeout(() => {
			for (const order of orders.values()) {
				if (!order.redeliver) continue;
				const { requestId, topic } = order.redeliver;
				order.redeliver = undefined;
				log(`  re-delivering the result of ${order.merchant_order_no}`);
				respond(socket, { topic, requestId, code: '000', biz: resultBiz(order) });
			}
		}, 20);
	});

	return {
		port: address.port,
		url: `ws://${host}:${address.port}`,
		get faults() {
			return { ...faults };
		},
		setFaults(next) {
			Object.assign(faults, next);
		},
		transactions() {
			return [...orders.values()].map(snapshot);
		},
		salesFor(merchantOrderNo) {
			return ledger.filter(
				(t) => t.merchant_order_no === merchantOrderNo && CHARGES.includes(t.trans_type)
			);
		},
		requests() {
			return received.map((r) => structuredClone(r));
		},
		connections() {
			return connectionLog.map((c) => ({ ...c, orders: [...c.orders] }));
		},
		dropConnections() {
			for (const client of wss.clients) client.terminate();
		},
		async close() {
			for (const order of orders.values()) clearTimeout(order.timer);
			for (const client of wss.clients) client.terminate();
			await new Promise((resolve) => wss.close(() => resolve(undefined)));
		}
	};
}

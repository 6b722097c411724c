/**
 * A Haojin (QFPay) terminal on the far end of a USB serial cable, speaking the bytes of
 * NOTES.md §3: frames, acks, error frames, fragments, AES + MD5 envelopes and JSON responses.
 *
 * Browser-compatible (WebCrypto, web streams, spark-md5; no `node:` imports) so that the same
 * simulator backs vitest and a Playwright page. The POS end of the cable is a pair of real web
 * streams; `createFakeSerialPort` wraps it as a `SerialPort`.
 */
import { DEFAULT_POS_KEY, decryptText, encryptText, keyFromText, type KeyMode } from '../cipher';
import {
	FRAME_TYPE,
	FrameParser,
	Reassembler,
	encodeAck,
	encodeError,
	encodeMessage,
	isErrorFrameType,
	nextSeq,
	type FragmentLengthMode
} from '../frame-codec';
import {
	digestMatches,
	minorFromMajor,
	parseRequestText,
	type ParsedRequest
} from './request-text';

export interface HaojinFaults {
	/** Never ack the POS's frames. */
	noAck: boolean;
	/** Ack the POS's frames only after this many ms (0: at once). */
	lateAckMs: number;
	/** The terminal holds a different POS-KEY from the one given. */
	wrongKey: boolean;
	/**
	 * A request it cannot decrypt is answered encrypted with its own key, which the POS cannot read
	 * either (NOTES.md §3: how a terminal answers is not specified), instead of plain 5001.
	 */
	answersUnreadable: boolean;
	/** Damage the end marker of the next result frame (once); the POS must ask for it again. */
	corruptFrame: boolean;
	/** Write every frame in chunks of 1–5 bytes, as a slow UART does. */
	splitFrames: boolean;
	/** The next sale is charged but its result never goes out; a query (4001) still finds it. */
	resultLostThenQueryable: boolean;
	/** Unplug the cable while the next sale waits for the card; the sale still completes. */
	unplugMidSale: boolean;
	/** The customer presses cancel on the terminal. */
	userCancels: boolean;
}

export interface HaojinSimulatorOptions {
	posKey?: string;
	keyMode?: KeyMode;
	/** How long the customer takes with the card. */
	cardMs?: number;
	now?: () => number;
	faults?: Partial<HaojinFaults>;
	fragmentLengthMode?: FragmentLengthMode;
	/**
	 * Largest data per frame the terminal sends (NOTES.md §3: ≤ 1024). Smaller values exercise
	 * reassembly in `'whole'` mode only: in `'fragment'` mode a fragment under 1024 ends a message.
	 */
	maxFragment?: number;
	/** Answer in plain JSON instead of AES (NOTES.md §3 says both occur). */
	plainResponses?: boolean;
}

export type SimTransactionStatus = 'approved' | 'cancelled' | 'in_progress';

export interface SimTransaction {
	kind: 'sale' | 'refund';
	/** `out_trade_no` of a sale; the original's for a refund. */
	orderNo: string;
	syssn: string;
	/** Minor units (two decimals). */
	amount: number;
	channel: string;
	status: SimTransactionStatus;
	at: number;
	/** A sale's amount still refundable. */
	refundable?: number;
}

export interface SimRequest {
	funcType: number;
	fields: Record<string, string>;
	at: number;
}

/** The POS end of the cable. */
export interface SimCable {
	readable: ReadableStream<Uint8Array>;
	writable: WritableStream<Uint8Array>;
}

export type PlugEvent = 'connect' | 'disconnect';

export interface HaojinSimulator {
	readonly faults: HaojinFaults;
	/** Every transaction the terminal made: the proof of "exactly one sale". */
	readonly log: readonly SimTransaction[];
	/** Every request the terminal understood, in order. */
	readonly requests: readonly SimRequest[];
	/** Frames the POS sent that the terminal answered with an error frame. */
	readonly frameErrors: number;
	readonly plugged: boolean;
	/** A fresh cable (what opening the port gets). */
	connect(): SimCable;
	/** Closing the port hangs up the cable. */
	hangUp(cable: SimCable): void;
	unplug(): void;
	plug(): void;
	onPlug(listener: (event: PlugEvent) => void): () => void;
	/** Resolves when nothing is in flight (card waits, acks, writes). */
	idle(): Promise<void>;
}

const OTHER_KEY = 'a'.repeat(32);
const RESULT_ACK_MS = 1000;
const RESEND_LIMIT = 3;

const defaults: HaojinFaults = {
	noAck: false,
	lateAckMs: 0,
	wrongKey: false,
	answersUnreadable: false,
	corruptFrame: false,
	splitFrames: false,
	resultLostThenQueryable: false,
	unplugMidSale: false,
	userCancels: false
};

interface Line {
	cable: SimCable;
	controller: ReadableStreamDefaultController<Uint8Array>;
	alive: boolean;
}

interface SaleInProgress {
	transaction: SimTransaction;
	cancel: () => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function networkError(): Error {
	return new DOMException('The device has been lost.', 'NetworkError');
}

export function createHaojinSimulator(options: HaojinSimulatorOptions = {}): HaojinSimulator {
	const faults: HaojinFaults = { ...defaults, ...options.faults };
	const now = options.now ?? Date.now;
	const cardMs = options.cardMs ?? 50;
	const mode = options.fragmentLengthMode ?? 'whole';
	const maxFragment = options.maxFragment ?? 1024;
	const givenKey = options.posKey ?? DEFAULT_POS_KEY;
	const keyMode = options.keyMode ?? 'ascii256';
	const log: SimTransaction[] = [];
	const requests: SimRequest[] = [];
	const plugListeners = new Set<(event: PlugEvent) => void>();
	const acks = new Map<number, (type: number) => void>();
	const inFlight = new Set<Promise<unknown>>();
	let plugged = true;
	let line: Line | undefined;
	let parser = new FrameParser({ now });
	let reassembler = new Reassembler({ mode, now });
	let seq = 0;
	let syssn = 20240000;
	let frameErrors = 0;
	let sale: SaleInProgress | undefined;

	const terminalKey = (): string => (faults.wrongKey ? OTHER_KEY : givenKey);
	const keys = new Map<string, Promise<CryptoKey>>();
	const cryptoKey = (): Promise<CryptoKey> => {
		const text = terminalKey();
		let key = keys.get(text);
		if (!key) keys.set(text, (key = keyFromText(text, keyMode)));
		return key;
	};

	function track<T>(promise: Promise<T>): Promise<T> {
		inFlight.add(promise);
		void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
		return promise;
	}

	function write(bytes: Uint8Array): void {
		const current = line;
		if (!current?.alive) return;
		if (!faults.splitFrames) {
			current.controller.enqueue(bytes.slice());
			return;
		}
		for (let at = 0, step = 1; at < bytes.length; at += step, step = (step % 5) + 1) {
			current.controller.enqueue(bytes.slice(at, at + step));
		}
	}

	/** Sends one message and waits for the POS's ack, resending after an error frame. */
	async function sendMessage(text: string): Promise<void> {
		const message = new TextEncoder().encode(text);
		for (let attempt = 0; attempt <= RESEND_LIMIT; attempt++) {
			if (!line?.alive) return;
			seq = nextSeq(seq);
			const mySeq = seq;
			const frames = encodeMessage(message, mySeq, { mode, maxFragment });
			const answered = new Promise<number | undefined>((resolve) => {
				acks.set(mySeq, resolve);
				setTimeout(() => resolve(undefined), RESULT_ACK_MS);
			});
			for (const [i, frame] of frames.entries()) {
				if (faults.corruptFrame && i === frames.length - 1) {
					faults.corruptFrame = false;
					frame[frame.length - 1] = 0x00;
				}
				write(frame);
			}
			const type = await answered;
			acks.delete(mySeq);
			if (type === FRAME_TYPE.ack || type === undefined) return;
		}
	}

	async function respond(body: Record<string, unknown>, plain = false): Promise<void> {
		const json = JSON.stringify(body);
		const text =
			plain || options.plainResponses ? json : await encryptText(await cryptoKey(), json);
		await sendMessage(text);
	}

	const result = (respcd: string, respmsg: string, data?: Record<string, unknown>) => ({
		respcd,
		respmsg,
		resperr: respcd === '6000' ? '' : respmsg,
		data: data ? JSON.stringify(data) : ''
	});

	function findSale(orderId: string): SimTransaction | undefined {
		return log.find((t) => t.kind === 'sale' && (t.orderNo === orderId || t.syssn === orderId));
	}

	function saleData(t: SimTransaction): Record<string, unknown> {
		return {
			respcd: t.status === 'approved' ? '0000' : t.status === 'in_progress' ? '1143' : '1151',
			resmsg: t.status === 'approved' ? 'success' : t.status,
			syssn: t.syssn,
			out_trade_no: t.orderNo,
			txamt: String(t.amount),
			txcurrcd: 'HKD',
			cardscheme: 'VISA',
			cardno: '476173******0119',
			chnlsn: `C${t.syssn}`
		};
	}

	async function doSale(fields: Record<string, string>): Promise<void> {
		const orderNo = fields.out_trade_no ?? '';
		const amount = minorFromMajor(fields.amt ?? '');
		if (amount === undefined || orderNo === '') {
			return respond(result('4006', 'amt and out_trade_no are required'));
		}
		if (sale) return respond(result('6002', 'Another transaction is in progress'));
		const earlier = findSale(orderNo);
		if (earlier && earlier.status !== 'in_progress') {
			return respond(result('6000', 'success', saleData(earlier)));
		}
		const transaction: SimTransaction = {
			kind: 'sale',
			orderNo,
			syssn: String(++syssn),
			amount,
			channel: fields.channel ?? '',
			status: 'in_progress',
			at: now(),
			refundable: amount
		};
		log.push(transaction);
		let cancelled = faults.userCancels;
		let wake: () => void = () => undefined;
		const card = new Promise<void>((resolve) => {
			wake = resolve;
			setTimeout(resolve, cardMs);
		});
		sale = {
			transaction,
			cancel: () => {
				cancelled = true;
				wake();
			}
		};
		const lose = faults.resultLostThenQueryable;
		faults.resultLostThenQueryable = false;
		if (faults.unplugMidSale) {
			faults.unplugMidSale = false;
			setTimeout(() => simulator.unplug(), Math.floor(cardMs / 2));
		}
		await card;
		sale = undefined;
		if (cancelled) {
			transaction.status = 'cancelled';
			transaction.refundable = 0;
			return respond(result('6001', 'User cancelled'));
		}
		transaction.status = 'approved';
		if (lose) return;
		await respond(result('6000', 'success', saleData(transaction)));
	}

	async function doRefund(fields: Record<string, string>): Promise<void> {
		const original = findSale(fields.orderId ?? '');
		if (!original || original.status !== 'approved') {
			return respond(result('6002', 'Order not found'));
		}
		const left = original.refundable ?? 0;
		const asked = fields.refund_amount === undefined ? left : minorFromMajor(fields.refund_amount);
		if (asked === undefined || asked <= 0 || asked > left) {
			return respond(result('6002', 'Refund amount exceeds the refundable amount'));
		}
		original.refundable = left - asked;
		const refund: SimTransaction = {
			kind: 'refund',
			orderNo: original.orderNo,
			syssn: String(++syssn),
			amount: asked,
			channel: original.channel,
			status: 'approved',
			at: now()
		};
		log.push(refund);
		await respond(
			result('6000', 'success', {
				respcd: '0000',
				resmsg: 'success',
				syssn: refund.syssn,
				orig_syssn: original.syssn,
				out_trade_no: original.orderNo,
				txamt: String(asked),
				originTxamt: String(original.amount)
			})
		);
	}

	async function handle(request: ParsedRequest): Promise<void> {
		const fields = Object.fromEntries(
			Object.entries(request.fields).map(([name, value]) => [name, value.text])
		);
		const funcType = Number(fields.func_type);
		requests.push({ funcType, fields, at: now() });
		switch (funcType) {
			case 1001:
				return doSale(fields);
			case 1002:
				return doRefund(fields);
			case 4001: {
				const found = findSale(fields.orderId ?? '');
				if (!found) return respond(result('6002', 'Order not found'));
				return respond(result('6000', 'success', saleData(found)));
			}
			case 5001: {
				if (!sale) return respond(result('6002', 'No request to cancel'));
				sale.cancel();
				return respond(result('6000', 'success'));
			}
			case 3001:
				return findSale(fields.orderId ?? '')
					? respond(result('6000', 'success'))
					: respond(result('6002', 'Order not found'));
			case 3002:
				return respond(result('6000', 'success'));
			default:
				return respond(result('4006', `Unknown func_type ${fields.func_type}`));
		}
	}

	async function onMessage(data: Uint8Array): Promise<void> {
		const text = new TextDecoder().decode(data);
		const plain = await decryptText(await cryptoKey(), text);
		const request = plain === undefined ? undefined : parseRequestText(plain);
		if (!request) {
			// The terminal cannot read it, so it cannot encrypt for the sender either: plain JSON.
			return respond(result('5001', 'Decrypt failed'), !faults.answersUnreadable);
		}
		if (!digestMatches(request, terminalKey())) {
			return respond(result('4003', 'POS-KEY mismatch'), true);
		}
		await handle(request);
	}

	function ackLater(frameSeq: number, then: () => void): void {
		if (faults.noAck) return then();
		if (faults.lateAckMs > 0) {
			void track(sleep(faults.lateAckMs).then(() => write(encodeAck(frameSeq))));
			return then();
		}
		write(encodeAck(frameSeq));
		then();
	}

	function receive(chunk: Uint8Array): void {
		for (const event of parser.push(chunk)) {
			if (event.kind === 'error') {
				frameErrors++;
				if (event.error.seq !== undefined) write(encodeError(0x31, event.error.seq));
				continue;
			}
			const { frame } = event;
			if (frame.type === FRAME_TYPE.ack || isErrorFrameType(frame.type)) {
				acks.get(frame.seq)?.(frame.type);
				continue;
			}
			const assembled = reassembler.accept(frame);
			if (assembled.kind === 'error') {
				frameErrors++;
				write(encodeError(assembled.reply, assembled.seq));
			} else if (assembled.kind === 'message') {
				const { data } = assembled;
				ackLater(assembled.seq, () => void track(onMessage(data)));
			}
		}
	}

	const simulator: HaojinSimulator = {
		faults,
		log,
		requests,
		get frameErrors() {
			return frameErrors;
		},
		get plugged() {
			return plugged;
		},
		connect() {
			if (!plugged) throw networkError();
			if (line) simulator.hangUp(line.cable);
			parser = new FrameParser({ now });
			reassembler = new Reassembler({ mode, now });
			let controller!: ReadableStreamDefaultController<Uint8Array>;
			const readable = new ReadableStream<Uint8Array>({
				start(c) {
					controller = c;
				}
			});
			const current: Partial<Line> = { alive: true };
			const writable = new WritableStream<Uint8Array>({
				write(chunk) {
					if (!current.alive) throw networkError();
					receive(chunk);
				}
			});
			current.cable = { readable, writable };
			current.controller = controller;
			line = current as Line;
			return line.cable;
		},
		hangUp(cable) {
			if (line?.cable !== cable) return;
			line.alive = false;
			try {
				line.controller.close();
			} catch {
				// Already errored by an unplug.
			}
			line = undefined;
		},
		unplug() {
			if (!plugged) return;
			plugged = false;
			if (line) {
				line.alive = false;
				line.controller.error(networkError());
				line = undefined;
			}
			for (const listener of plugListeners) listener('disconnect');
		},
		plug() {
			if (plugged) return;
			plugged = true;
			for (const listener of plugListeners) listener('connect');
		},
		onPlug(listener) {
			plugListeners.add(listener);
			return () => plugListeners.delete(listener);
		},
		async idle() {
			while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		}
	};
	return simulator;
}

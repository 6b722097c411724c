/**
 * What the till's drivers of the server's cloud orders share (the cloud terminal rail, pay by
 * link): the server's event stream, the operations waiting on it, the driver's status and
 * listeners, and the wait that also asks the server, as a backup, until the order is final or the
 * time runs out. A final order no operation waits for is an unsolicited result.
 */
import { TerminalError, type Outcome, type TerminalEvent, type TerminalStatus } from '../driver';
import { cloudOrderSchema, type CloudApi } from './cloud-api';
import { outcomeOf } from './cloud-outcome';
import { CloudEventStream } from './event-stream';

/** How often a waiting operation asks the server, in case the stream is slow or down. */
const BACKUP_ASK_MS = 3_000;

export class CloudOrderTracker {
	readonly #api: CloudApi;
	readonly #stream: CloudEventStream;
	readonly #listeners = new Set<(event: TerminalEvent) => void>();
	readonly #waiters = new Map<string, (outcome: Outcome) => void>();
	#status: TerminalStatus = 'disconnected';

	constructor(api: CloudApi) {
		this.#api = api;
		this.#stream = new CloudEventStream(api, {
			onOpen: () => this.#setStatus(this.#waiters.size > 0 ? 'busy' : 'ready'),
			onDrop: () => this.#setStatus('reconnecting'),
			onEvent: (data) => this.#onEvent(data)
		});
	}

	status(): TerminalStatus {
		return this.#status;
	}

	connect(): void {
		if (this.#status === 'disconnected' || this.#status === 'offline') {
			this.#setStatus('connecting');
		}
		this.#stream.start();
	}

	disconnect(): void {
		this.#stream.stop();
		this.#setStatus('disconnected');
	}

	on(listener: (event: TerminalEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	isWaiting(merchantOrderNo: string): boolean {
		return this.#waiters.has(merchantOrderNo);
	}

	/** Waits from now on for `merchantOrderNo` to be final; `end` it when the operation is over. */
	begin(merchantOrderNo: string): Promise<Outcome> {
		this.#stream.start();
		const settled = new Promise<Outcome>((resolve) => this.#waiters.set(merchantOrderNo, resolve));
		this.#setStatus('busy');
		return settled;
	}

	end(merchantOrderNo: string): void {
		this.#waiters.delete(merchantOrderNo);
		this.#setStatus(
			this.#waiters.size > 0 ? 'busy' : this.#status === 'reconnecting' ? 'reconnecting' : 'ready'
		);
	}

	/** A final outcome learnt otherwise (e.g. the answer to a cancel). */
	resolve(merchantOrderNo: string, outcome: Outcome): void {
		this.#waiters.get(merchantOrderNo)?.(outcome);
	}

	/** Until the order is final (stream or asking the server), or `timedOut` at `deadline`. */
	async wait(
		merchantOrderNo: string,
		settled: Promise<Outcome>,
		deadline: number,
		timedOut: Outcome
	): Promise<Outcome> {
		let done = false;
		const ask = async (): Promise<Outcome> => {
			while (!done && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, BACKUP_ASK_MS));
				if (done) break;
				const order = await this.#api
					.call(`/orders/${encodeURIComponent(merchantOrderNo)}`, undefined, false)
					.catch(() => null);
				const outcome = order && outcomeOf(order);
				if (outcome) return outcome;
			}
			return timedOut;
		};
		try {
			return await Promise.race([settled, ask()]);
		} finally {
			done = true;
		}
	}

	/**
	 * What a signed `order.query` on the server says of an order; `declined` with `neverSent` when
	 * the server has no record of it (it never went out).
	 */
	async query(merchantOrderNo: string, neverSent: string): Promise<Outcome> {
		try {
			const order = await this.#api.call(
				`/orders/${encodeURIComponent(merchantOrderNo)}/query`,
				{},
				false
			);
			return outcomeOf(order) ?? { status: 'unknown', reference: order.reference };
		} catch (error) {
			if (error instanceof TerminalError && error.code === 'bad_request') {
				return { status: 'declined', message: neverSent };
			}
			throw error;
		}
	}

	#onEvent(data: string): void {
		let value: unknown;
		try {
			value = JSON.parse(data);
		} catch {
			return;
		}
		const parsed = cloudOrderSchema.safeParse(value);
		if (!parsed.success) return;
		const outcome = outcomeOf(parsed.data);
		if (!outcome) return;
		const waiter = this.#waiters.get(parsed.data.merchantOrderNo);
		if (waiter) waiter(outcome);
		else this.#emit({ type: 'result', merchantOrderNo: parsed.data.merchantOrderNo, outcome });
	}

	#setStatus(status: TerminalStatus): void {
		if (this.#status === status) return;
		this.#status = status;
		this.#emit({ type: 'status', status });
	}

	#emit(event: TerminalEvent): void {
		for (const listener of this.#listeners) listener(event);
	}
}

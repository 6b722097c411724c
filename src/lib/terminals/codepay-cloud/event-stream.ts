/**
 * The server's stream of this till's cloud order changes, read with `fetch` (an `EventSource`
 * cannot send the device token), reconnecting after a drop with the last event id so that nothing
 * is missed.
 */
import type { CloudApi } from './cloud-api';

export interface StreamHandlers {
	onEvent(data: string): void;
	onOpen(): void;
	onDrop(): void;
}

export class CloudEventStream {
	readonly #api: CloudApi;
	readonly #handlers: StreamHandlers;
	#lastId: string | null = null;
	#abort: AbortController | null = null;
	#running = false;

	constructor(api: CloudApi, handlers: StreamHandlers) {
		this.#api = api;
		this.#handlers = handlers;
	}

	start(): void {
		if (this.#running) return;
		this.#running = true;
		void this.#loop();
	}

	stop(): void {
		this.#running = false;
		this.#abort?.abort();
	}

	async #loop(): Promise<void> {
		while (this.#running) {
			this.#abort = new AbortController();
			try {
				const headers: Record<string, string> = {
					...this.#api.headers(),
					accept: 'text/event-stream'
				};
				if (this.#lastId) headers['last-event-id'] = this.#lastId;
				const response = await this.#api.fetch(this.#api.url('/events'), {
					headers,
					signal: this.#abort.signal
				});
				if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
				this.#handlers.onOpen();
				await this.#read(response.body);
			} catch {
				// dropped or refused: try again shortly
			}
			if (!this.#running) return;
			this.#handlers.onDrop();
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}

	async #read(body: ReadableStream<Uint8Array>): Promise<void> {
		const reader = body.getReader();
		const decoder = new TextDecoder();
		let buffer = '';
		for (;;) {
			const { value, done } = await reader.read();
			if (done) return;
			buffer += decoder.decode(value, { stream: true });
			let end: number;
			while ((end = buffer.indexOf('\n\n')) >= 0) {
				const block = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				let id: string | null = null;
				const data: string[] = [];
				for (const line of block.split('\n')) {
					if (line.startsWith('id: ')) id = line.slice(4);
					else if (line.startsWith('data: ')) data.push(line.slice(6));
				}
				if (id !== null) this.#lastId = id;
				if (data.length > 0) this.#handlers.onEvent(data.join('\n'));
			}
		}
	}
}

/**
 * What the sync tests build, as a till would: paired tills with their staff signed in, orders,
 * attempts and tenders as the journal writes them, and batches with one event naming each record.
 * Test-only.
 */
import type { Runtime } from '../runtime';
import { staffLogin } from './staff-login';
import { sync } from './sync';
import { call, pairTill, type TestClock } from './test-harness';

export interface Till {
	token: string;
	deviceId: string;
	/** The cashier's session on this till. */
	cashier: string;
	manager: string;
	/** The till's event counter. */
	seq: number;
}

export type Rec = { id: string; orderId?: string; [field: string]: unknown };

export interface SyncFixtureOptions {
	clock: TestClock;
	/** The business day of the records. */
	day: string;
	/** The runtime a till pairs with and uploads to, unless told another. */
	runtime: () => Runtime;
	/** The terminal the attempts are taken on. */
	terminal: { rail: string; terminalId: string };
}

export function syncFixtures({ clock, day: DAY, runtime, terminal }: SyncFixtureOptions) {
	let tills = 0;
	async function till(on: Runtime = runtime(), pins = ['1111', '9999']): Promise<Till> {
		const { token, deviceId } = await pairTill(on, `Till ${++tills}`, `10.1.0.${tills}`);
		const login = async (pin: string) =>
			(await call(on, staffLogin, '/api/auth/login', { body: { pin }, token })).body
				.sessionToken as string;
		const [cashier = '', manager = ''] = await Promise.all(pins.map(login));
		return { token, deviceId, cashier, manager, seq: 0 };
	}

	let ids = 0;
	const uid = (prefix: string) => `${prefix}${++ids}`;

	function order(id: string, extra: Record<string, unknown> = {}) {
		return {
			id,
			number: `TS1-${id}`,
			currency: 'USD',
			lines: [
				{
					id: `${id}-l1`,
					productId: 'tea',
					sku: 'TEA',
					name: 'Tea',
					unitPrice: 100,
					qty: 1,
					taxRateBp: 0,
					taxInclusive: false,
					discount: null,
					lineDiscount: 0,
					orderDiscountShare: 0,
					net: 100,
					tax: 0,
					total: 100
				}
			],
			orderDiscount: null,
			subtotal: 100,
			discount: 0,
			tax: 0,
			total: 100,
			staffId: 'casey',
			createdAt: clock.now,
			updatedAt: clock.now,
			day: DAY,
			status: 'open',
			tip: 0,
			paid: 0,
			refunded: 0,
			deviceId: 'whatever-the-till-says',
			...extra
		};
	}

	function attempt(orderId: string, extra: Record<string, unknown> = {}) {
		const id = uid('a');
		return {
			id,
			orderId,
			kind: 'sale',
			rail: terminal.rail,
			terminalId: terminal.terminalId,
			merchantOrderNo: `TS1m${id}`,
			amount: 100,
			tip: 0,
			currency: 'USD',
			state: 'approved',
			outcome: { status: 'approved', reference: 'R1', message: 'APPROVED' },
			createdAt: clock.now,
			updatedAt: clock.now,
			...extra
		};
	}

	function cardTender(orderId: string, attemptId: string, extra: Record<string, unknown> = {}) {
		return {
			id: uid('t'),
			orderId,
			day: DAY,
			kind: 'card',
			amount: 100,
			tip: 0,
			attemptId,
			status: 'completed',
			refundedAmount: 0,
			createdAt: clock.now,
			updatedAt: clock.now,
			...extra
		};
	}

	function cashTender(orderId: string) {
		return {
			id: uid('t'),
			orderId,
			day: DAY,
			kind: 'cash',
			amount: 100,
			tip: 0,
			tendered: 100,
			change: 0,
			status: 'completed',
			refundedAmount: 0,
			createdAt: clock.now,
			updatedAt: clock.now
		};
	}

	/** A batch as a till sends it: the records, and one event naming each of them. */
	function batch(
		t: Till,
		records: { orders?: Rec[]; attempts?: Rec[]; tenders?: Rec[] },
		seqs?: number[]
	) {
		const named = [
			...(records.attempts ?? []).map((r) => ['attempt', r] as const),
			...(records.tenders ?? []).map((r) => ['tender', r] as const),
			...(records.orders ?? []).map((r) => ['order', r] as const)
		];
		const events = named.map(([entity, r], i) => ({
			seq: seqs?.[i] ?? ++t.seq,
			at: clock.now,
			entity,
			entityId: r.id,
			orderId: r.orderId ?? r.id,
			type: `${entity}.updated`
		}));
		return { deviceId: t.deviceId, orders: [], attempts: [], tenders: [], ...records, events };
	}

	function upload(t: Till, body: unknown, on: Runtime = runtime()) {
		return call(on, sync, '/api/sync', { body, token: t.token });
	}

	return { till, uid, order, attempt, cardTender, cashTender, batch, upload };
}

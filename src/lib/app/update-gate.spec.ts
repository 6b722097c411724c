import { describe, expect, it } from 'vitest';
import { updateBlocker } from './update-gate';

const idle = { attemptsInFlight: 0, terminalBusy: false, orderAtCheckout: false };

describe('updateBlocker', () => {
	it('lets an idle till update', () => {
		expect(updateBlocker(idle)).toBeNull();
	});

	it('waits while the journal has an attempt in flight', () => {
		expect(updateBlocker({ ...idle, attemptsInFlight: 1 })).toMatch(/card payment is in progress/);
	});

	it('waits while a terminal is busy, even before the attempt is marked sent', () => {
		expect(updateBlocker({ ...idle, terminalBusy: true })).toMatch(/card payment/);
	});

	it('waits while an order is at the checkout', () => {
		expect(updateBlocker({ ...idle, orderAtCheckout: true })).toMatch(/at the checkout/);
	});

	it('names the payment first when both hold', () => {
		expect(
			updateBlocker({ attemptsInFlight: 2, terminalBusy: false, orderAtCheckout: true })
		).toMatch(/card payment/);
	});
});

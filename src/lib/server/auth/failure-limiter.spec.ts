import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './failure-limiter';

function limiter() {
	let now = 0;
	const l = new FailureLimiter({ maxFailures: 3, windowMs: 1_000, lockMs: 500, now: () => now });
	return { l, advance: (ms: number) => (now += ms) };
}

describe('FailureLimiter', () => {
	it('locks a key at the max-th failure within the window, for lockMs', () => {
		const { l, advance } = limiter();
		expect(l.fail('ip')).toBe(0);
		expect(l.fail('ip')).toBe(0);
		expect(l.retryAfter('ip')).toBe(0);
		expect(l.fail('ip')).toBe(500);
		expect(l.retryAfter('ip')).toBe(500);
		expect(l.retryAfter('other')).toBe(0);
		advance(499);
		expect(l.retryAfter('ip')).toBe(1);
		advance(1);
		expect(l.retryAfter('ip')).toBe(0);
		// The count starts again after the lock.
		expect(l.fail('ip')).toBe(0);
	});

	it('forgets failures older than the window', () => {
		const { l, advance } = limiter();
		l.fail('ip');
		l.fail('ip');
		advance(1_000);
		expect(l.fail('ip')).toBe(0);
		expect(l.fail('ip')).toBe(0);
		expect(l.fail('ip')).toBe(500);
	});

	it('resets after a success', () => {
		const { l } = limiter();
		l.fail('ip');
		l.fail('ip');
		l.reset('ip');
		expect(l.fail('ip')).toBe(0);
	});
});

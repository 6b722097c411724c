import { describe, expect, it } from 'vitest';
import { createScannerListener } from './scanner';

/** Feeds `keys` starting at `start`, one every `interval` ms; returns what each call returned. */
function type(
	handler: (e: { key: string; timeStamp: number }) => boolean,
	keys: string[],
	interval: number,
	start = 1000
): boolean[] {
	return keys.map((key, i) => handler({ key, timeStamp: start + i * interval }));
}

const chars = (text: string) => [...text];

describe('createScannerListener', () => {
	it('reports a fast burst ended by Enter as a scan and consumes the Enter', () => {
		const scans: string[] = [];
		const handler = createScannerListener({ onScan: (code) => scans.push(code) });
		const results = type(handler, [...chars('2010000000014'), 'Enter'], 8);
		expect(scans).toEqual(['2010000000014']);
		expect(results.at(-1)).toBe(true);
		expect(results.slice(0, -1).every((r) => r === false)).toBe(true);
	});

	it('ignores human typing, even of a long code', () => {
		const scans: string[] = [];
		const handler = createScannerListener({ onScan: (code) => scans.push(code) });
		const results = type(handler, [...chars('2010000000014'), 'Enter'], 120);
		expect(scans).toEqual([]);
		expect(results.at(-1)).toBe(false);
	});

	it('ignores a burst shorter than minLength', () => {
		const scans: string[] = [];
		const handler = createScannerListener({ onScan: (code) => scans.push(code), minLength: 8 });
		type(handler, [...chars('1234567'), 'Enter'], 5);
		expect(scans).toEqual([]);
		type(handler, [...chars('12345678'), 'Enter'], 5, 5000);
		expect(scans).toEqual(['12345678']);
	});

	it('keeps only the fast burst when a person typed before the scanner', () => {
		const scans: string[] = [];
		const handler = createScannerListener({ onScan: (code) => scans.push(code) });
		type(handler, chars('abc'), 200, 0);
		type(handler, [...chars('40063813'), 'Enter'], 10, 2000);
		expect(scans).toEqual(['40063813']);
	});

	it('does not treat a late Enter after a fast burst as a scan', () => {
		const scans: string[] = [];
		const handler = createScannerListener({ onScan: (code) => scans.push(code) });
		type(handler, chars('12345678'), 10, 0);
		expect(handler({ key: 'Enter', timeStamp: 500 })).toBe(false);
		expect(scans).toEqual([]);
	});

	it('respects maxIntervalMs at the boundary', () => {
		const scans: string[] = [];
		const handler = createScannerListener({ onScan: (c) => scans.push(c), maxIntervalMs: 20 });
		type(handler, [...chars('123456'), 'Enter'], 20);
		type(handler, [...chars('654321'), 'Enter'], 21, 9000);
		expect(scans).toEqual(['123456']);
	});

	it('ignores Shift inside a code and resets on other named keys', () => {
		const scans: string[] = [];
		const handler = createScannerListener({ onScan: (code) => scans.push(code) });
		type(handler, ['A', 'Shift', 'B', '1', '2', '3', '4', 'Enter'], 5, 0);
		expect(scans).toEqual(['AB1234']);
		type(handler, ['1', '2', '3', 'Backspace', '4', '5', '6', 'Enter'], 5, 1000);
		expect(scans).toEqual(['AB1234']);
	});

	it('starts afresh after each scan', () => {
		const scans: string[] = [];
		const handler = createScannerListener({ onScan: (code) => scans.push(code) });
		type(handler, [...chars('111111'), 'Enter', ...chars('222222'), 'Enter'], 5);
		expect(scans).toEqual(['111111', '222222']);
	});
});

import { describe, expect, it } from 'vitest';
import type { Order, Tender } from '$lib/journal/types';
import { escPosText } from './escpos-text';
import { receiptBytes, type ReceiptJob } from './receipt-escpos';

const order = {
	id: 'o1',
	number: 'A1-0007',
	createdAt: Date.UTC(2026, 11, 2, 12),
	currency: 'USD',
	lines: [
		{
			id: 'l1',
			qty: 2,
			name: 'Butter Croissant',
			total: 650,
			lineDiscount: 0,
			orderDiscountShare: 0
		}
	],
	subtotal: 650,
	discount: 0,
	tax: 33,
	total: 683,
	tip: 0,
	paid: 683,
	refunded: 0
} as unknown as Order;
const cash = {
	kind: 'cash',
	amount: 683,
	tip: 0,
	status: 'completed',
	tendered: 1000,
	change: 317
} as Tender;
const job = (extra: Partial<ReceiptJob> = {}): ReceiptJob => ({
	storeName: 'Demo Coffee Bar',
	order,
	tenders: [cash],
	paper: '58',
	openDrawer: false,
	...extra
});
/** Byte sequences of the ESC/POS commands (Epson's reference). */
const has = (bytes: Uint8Array, ...seq: number[]) => Buffer.from(bytes).includes(Buffer.from(seq));

describe('receiptBytes', () => {
	it("prints the store's header, address, tax number and footer where the back office set them", () => {
		const text = escPosText(
			receiptBytes(
				job({
					shop: {
						receiptHeader: 'Fresh every morning\nOpen 7-19',
						address: '12 Baker Street',
						taxNumber: 'VAT-998877',
						receiptFooter: 'See you tomorrow'
					}
				})
			)
		);
		const at = (what: string) => text.indexOf(what);
		for (const what of [
			'Fresh every morning',
			'Open 7-19',
			'12 Baker Street',
			'Tax no. VAT-998877'
		]) {
			expect(at(what), what).toBeGreaterThan(at('Demo Coffee Bar'));
			expect(at(what), what).toBeLessThan(at('Order A1-0007'));
		}
		expect(at('See you tomorrow')).toBeGreaterThan(at('Total'));
		expect(text).not.toContain('Thank you!');
		// Without them (a configuration cached by an older version): the name and "Thank you!".
		expect(escPosText(receiptBytes(job()))).toContain('Thank you!');
	});

	it('initialises the printer, prints the sale and cuts the paper', () => {
		const bytes = receiptBytes(job());
		expect([...bytes.slice(0, 2)]).toEqual([0x1b, 0x40]); // ESC @
		expect(has(bytes, 0x1d, 0x56)).toBe(true); // GS V: cut
		expect(has(bytes, 0x1b, 0x70)).toBe(false); // no drawer kick unless asked
		const text = escPosText(bytes);
		expect(text).toContain('Demo Coffee Bar');
		expect(text).toContain('Order A1-0007');
		expect(text).toMatch(/2 x Butter Croissant +\$6\.50/);
		expect(text).toMatch(/Total +\$6\.83/);
		expect(text).toMatch(/Change +\$3\.17/);
		expect(text.trimEnd().endsWith('[cut]')).toBe(true);
	});

	it('lays out 32 columns on 58 mm paper and 48 on 80 mm', () => {
		const width = (paper: '58' | '80') =>
			escPosText(receiptBytes(job({ paper })))
				.split('\n')
				.find((line) => line.startsWith('Total'))!.length;
		expect(width('58')).toBe(32);
		expect(width('80')).toBe(48);
	});

	it('opens the cash drawer after a cash sale', () => {
		const bytes = receiptBytes(job({ openDrawer: true }));
		expect(has(bytes, 0x1b, 0x70, 0x00)).toBe(true); // ESC p 0: pulse on pin 2
		expect(escPosText(bytes)).toContain('[drawer opens]');
	});

	it('draws text the code pages cannot hold as an image when it can', () => {
		const seen: string[] = [];
		const renderText = (text: string, widthDots: number) => {
			seen.push(text);
			const height = 24;
			const data = {
				data: new Uint8ClampedArray(widthDots * height * 4).fill(255),
				width: widthDots,
				height
			} as unknown as ImageData;
			return { data, width: widthDots, height };
		};
		const bytes = receiptBytes(job({ storeName: '演示咖啡馆', renderText }));
		expect(seen).toEqual(['演示咖啡馆']);
		expect(escPosText(bytes)).toContain('[image]');
		expect(escPosText(bytes)).not.toContain('?');
	});
});

/**
 * A receipt as ESC/POS bytes for a thermal printer, pure: laid out by
 * @point-of-sale/receipt-printer-encoder (no hand-written ESC/POS), 32 columns on 58 mm paper and
 * 48 on 80 mm, cut at the end, and the cash drawer opened after a cash sale. Text the printer's
 * code pages cannot hold (Chinese, for one) is drawn as an image by `renderText` when the browser
 * gives one (a canvas), else the encoder prints "?" in its place.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { Order, Tender } from '$lib/journal/types';
import { formatMoney } from '$lib/money';

export type PaperWidth = '58' | '80';

/** A line drawn as a 1-bit-ready image, `width` a multiple of 8 dots. */
export interface RenderedText {
	data: ImageData;
	width: number;
	height: number;
}

/** The store's own lines of the receipt, as the back office set them (issue 13). */
export interface ReceiptShopLines {
	receiptHeader: string;
	address: string;
	taxNumber: string;
	receiptFooter: string;
}

export interface ReceiptJob {
	storeName: string;
	/** Absent from a configuration cached by an older version: the name and "Thank you!" only. */
	shop?: ReceiptShopLines;
	order: Order;
	tenders: Tender[];
	paper: PaperWidth;
	/** Pulse the drawer kick-out (a cash sale). */
	openDrawer: boolean;
	/** Draws text the code pages cannot hold, `widthDots` wide; none in Node or without a canvas. */
	renderText?: (text: string, widthDots: number) => RenderedText | null;
}

const COLUMNS: Record<PaperWidth, number> = { '58': 32, '80': 48 };
/** Printable dots of a line: 384 on 58 mm, 576 on 80 mm (8 dots/mm print heads). */
const DOTS: Record<PaperWidth, number> = { '58': 384, '80': 576 };
/** What common ESC/POS code pages hold: Latin scripts, the Euro and box drawing. */
const CODE_PAGE_TEXT = /^[\u0020-\u024f\u2000-\u20cf\u2500-\u257f]*$/;

export function receiptBytes(job: ReceiptJob): Uint8Array {
	const { order, tenders, paper } = job;
	const money = (minor: number) => formatMoney(minor, order.currency);
	const columns = COLUMNS[paper];
	const encoder = new ReceiptPrinterEncoder({ language: 'esc-pos', columns, errors: 'relaxed' });
	const text = (value: string) => {
		if (!CODE_PAGE_TEXT.test(value)) {
			const image = job.renderText?.(value, DOTS[paper]);
			if (image) return encoder.image(image.data, image.width, image.height, 'threshold');
		}
		return encoder.line(value);
	};
	const row = (left: string, right: string) =>
		encoder.table(
			[
				{ width: columns - 12, align: 'left' },
				{ width: 12, align: 'right' }
			],
			[[left, right]]
		);

	const lines = (value: string | undefined) => {
		for (const part of (value ?? '').split('\n')) if (part.trim() !== '') text(part.trim());
	};

	encoder.initialize().codepage('auto').align('center').bold(true);
	text(job.storeName);
	encoder.bold(false);
	lines(job.shop?.receiptHeader);
	lines(job.shop?.address);
	if (job.shop?.taxNumber) text(`Tax no. ${job.shop.taxNumber}`);
	text(`Order ${order.number}`);
	encoder.line(new Date(order.createdAt).toLocaleString()).align('left').rule();
	for (const line of order.lines) {
		if (CODE_PAGE_TEXT.test(line.name)) row(`${line.qty} x ${line.name}`, money(line.total));
		else {
			text(line.name);
			row(`${line.qty} x`, money(line.total));
		}
		// Each modifier's price per unit; the line's total above already holds it.
		for (const modifier of line.modifiers ?? []) {
			text(`  + ${modifier.name}${modifier.price > 0 ? ` ${money(modifier.price)}` : ''}`);
		}
		if (line.note) text(`  Note: ${line.note}`);
		const discount = line.lineDiscount + line.orderDiscountShare;
		if (discount > 0) row('  discount', `-${money(discount)}`);
	}
	encoder.rule();
	row('Subtotal', money(order.subtotal));
	if (order.discount > 0) row('Discounts', `-${money(order.discount)}`);
	row('Tax', money(order.tax));
	encoder.bold(true);
	row('Total', money(order.total));
	encoder.bold(false);
	if (order.tip > 0) row('Tip', money(order.tip));
	for (const tender of tenders) {
		const what =
			tender.kind === 'cash' ? 'Cash' : `${tender.cardBrand ?? 'Card'} ${tender.maskedCard ?? ''}`;
		const status = tender.status === 'completed' ? '' : ` (${tender.status})`;
		row(`${what.trim()}${status}`, money(tender.amount + tender.tip + (tender.cashback ?? 0)));
		if (tender.cashback) row('  Cashback', money(tender.cashback));
		if (tender.kind === 'cash' && tender.tendered !== undefined) {
			row('  Tendered', money(tender.tendered));
			row('  Change', money(tender.change ?? 0));
		}
		if (tender.authCode) row(`  Auth ${tender.authCode}`, tender.reference ?? '');
	}
	if (order.refunded > 0) row('Refunded', `-${money(order.refunded)}`);
	encoder.newline().align('center');
	if (job.shop?.receiptFooter?.trim()) lines(job.shop.receiptFooter);
	else encoder.line('Thank you!');
	encoder.newline(2).cut();
	if (job.openDrawer) encoder.pulse();
	return encoder.encode();
}

/**
 * The day's figures (Settings → Today) as ESC/POS bytes, pure: the same figures as on the screen,
 * laid out by the encoder like the receipts (`receipt-escpos.ts`), cut at the end.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { DayTotals } from '$lib/journal/types';
import { formatMoney } from '$lib/money';
import type { PaperWidth } from './receipt-escpos';

export interface DayReportJob {
	storeName: string;
	totals: DayTotals;
	currency: string;
	paper: PaperWidth;
	printedAt: number;
}

export function dayReportBytes(job: DayReportJob): Uint8Array {
	const { totals } = job;
	const money = (minor: number) => formatMoney(minor, job.currency);
	const columns = job.paper === '58' ? 32 : 48;
	const encoder = new ReceiptPrinterEncoder({ language: 'esc-pos', columns, errors: 'relaxed' });
	const row = (left: string, right: string) =>
		encoder.table(
			[
				{ width: columns - 14, align: 'left' },
				{ width: 14, align: 'right' }
			],
			[[left, right]]
		);
	encoder.initialize().codepage('auto').align('center').bold(true).line(job.storeName);
	encoder.bold(false).line(`Day report ${totals.day}`);
	encoder
		.line(`Printed ${new Date(job.printedAt).toLocaleString()}`)
		.align('left')
		.rule();
	row('Orders', String(totals.orders));
	row('Sales', money(totals.gross));
	row('Tax', money(totals.tax));
	row('Tips', money(totals.tips));
	row('Cash', money(totals.cash));
	row('Card', money(totals.card));
	row('Cash paid out', money(totals.cashPaidOut));
	encoder.bold(true);
	row('Cash in drawer', money(totals.cash - totals.cashPaidOut));
	encoder.bold(false);
	row('Refunds', money(totals.refunds));
	encoder.rule().newline(2).cut();
	return encoder.encode();
}

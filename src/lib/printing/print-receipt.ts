import type { Order, Tender } from '$lib/journal/types';
import type { PaperWidth, ReceiptShopLines } from './receipt-escpos';

/** What printing a receipt needs of the till's printer (`ReceiptPrinter`). */
export interface ReceiptPrinterLike {
	readonly escPos: boolean;
	readonly openDrawer: boolean;
	print(bytes: Uint8Array): Promise<void>;
}

/**
 * Prints a receipt: on the ESC/POS printer when one is chosen (the encoder loaded only then), else
 * with the browser's print dialog and the print stylesheet. `drawer`: a cash sale just taken.
 */
export async function printReceipt(
	printer: ReceiptPrinterLike,
	job: {
		storeName: string;
		shop?: ReceiptShopLines;
		order: Order;
		tenders: Tender[];
		paper: PaperWidth;
		drawer: boolean;
	}
): Promise<void> {
	if (!printer.escPos) {
		print();
		return;
	}
	const [{ receiptBytes }, { canvasText }] = await Promise.all([
		import('./receipt-escpos'),
		import('./canvas-text')
	]);
	await printer.print(
		receiptBytes({
			storeName: job.storeName,
			shop: job.shop,
			order: job.order,
			tenders: job.tenders,
			paper: job.paper,
			openDrawer: job.drawer && printer.openDrawer && job.tenders.some((t) => t.kind === 'cash'),
			renderText: canvasText
		})
	);
}

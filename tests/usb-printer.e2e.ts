/**
 * Issue 14 "Thermal receipt printers", the WebUSB path: a receipt printed on an ESC/POS printer on
 * USB (`fake-usb/printer-device.ts`: a printer-class interface behind a vendor one, WebUSB's order
 * enforced), chosen and connected from Settings with a tap, as a cashier does; the test decodes the
 * bytes the printer's bulk OUT endpoint received.
 */
import { expect, test, type Page } from '@playwright/test';
import { installUsbPrinter } from './fake-usb/printer-device';
import { openTill, sellCroissantsForCashAndPrint } from './fixtures';

async function received(page: Page): Promise<Buffer> {
	return Buffer.from(await page.evaluate(() => window.__usbPrinter!.received()), 'base64');
}

// Pairing, a sale and a print on a shared 2-core machine.
test.setTimeout(120_000);

test('a cash sale prints on a USB thermal printer: 32 columns on 58 mm, cut, no drawer when turned off', async ({
	page
}) => {
	await page.addInitScript(installUsbPrinter);
	await openTill(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByLabel('Paper width').selectOption('58');
	await page.getByLabel('Receipt printer').selectOption('usb');
	await expect(page.getByLabel('Receipt printer')).toHaveValue('usb');
	await page.getByRole('button', { name: 'Connect printer' }).click();
	await expect(page.getByText('Connected: POS-80 Thermal Printer.')).toBeVisible();
	// The chooser asked for printers only, and the POS claimed the printer-class interface.
	expect(await page.evaluate(() => window.__usbPrinter!.requests())).toEqual([[{ classCode: 7 }]]);
	expect(await page.evaluate(() => window.__usbPrinter!.calls())).toEqual([
		'open',
		'configuration 1',
		'claim 1'
	]);
	await page.getByLabel("Open the cash drawer when a cash sale's receipt prints").uncheck();

	await sellCroissantsForCashAndPrint(page);

	await expect.poll(async () => (await received(page)).length).toBeGreaterThan(0);
	const bytes = await received(page);
	expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]); // ESC @: initialise
	const text = bytes.toString('latin1');
	expect(text).toMatch(/Total +\$6\.83/);
	expect(text).toMatch(/Change +\$3\.17/);
	// 32 columns on 58 mm paper.
	expect(text.split(/\n\r?/).find((line) => line.startsWith('Subtotal'))).toHaveLength(32);
	expect(bytes.indexOf(Buffer.from([0x1d, 0x56]))).toBeGreaterThan(0); // GS V: cut
	expect(bytes.indexOf(Buffer.from([0x1b, 0x70]))).toBe(-1); // no ESC p: the drawer stays shut
	// Everything went to the printer interface's OUT endpoint, on the one claimed connection.
	const calls = await page.evaluate(() => window.__usbPrinter!.calls());
	expect(calls.slice(3).every((call) => call === 'out 2')).toBe(true);
	expect(calls.filter((call) => call === 'open')).toHaveLength(1);
});

/**
 * Issue 14 "Thermal receipt printers", the Web Serial path: a receipt printed on an ESC/POS printer
 * behind a serial port (`fake-serial/printer-port.ts`, real web streams), chosen and connected
 * from Settings with a tap, as a cashier does; the test decodes the bytes the port received.
 */
import { expect, test, type Page } from '@playwright/test';
import { installSerialPrinter } from './fake-serial/printer-port';
import { openTill, sellCroissantsForCashAndPrint } from './fixtures';

async function received(page: Page): Promise<Buffer> {
	return Buffer.from(await page.evaluate(() => window.__serialPrinter!.received()), 'base64');
}

// Pairing, a sale and a print on a shared 2-core machine.
test.setTimeout(120_000);

test('a cash sale prints on a serial thermal printer: 48 columns, cut, then the drawer', async ({
	page
}) => {
	await page.addInitScript(installSerialPrinter);
	await openTill(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByLabel('Paper width').selectOption('80');
	await page.getByLabel('Receipt printer').selectOption('serial');
	await expect(page.getByLabel('Receipt printer')).toHaveValue('serial');
	await page.getByRole('button', { name: 'Connect printer' }).click();
	await expect(page.getByText('Connected: Serial printer.')).toBeVisible();
	expect(await page.evaluate(() => window.__serialPrinter!.opens())).toEqual([{ baudRate: 9600 }]);
	expect((await received(page)).length).toBe(0);

	await sellCroissantsForCashAndPrint(page);

	await expect.poll(async () => (await received(page)).length).toBeGreaterThan(0);
	const bytes = await received(page);
	expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]); // ESC @: initialise
	const text = bytes.toString('latin1');
	expect(text).toMatch(/2 x Butter Croissant +\$6\.83/);
	expect(text).toMatch(/Total +\$6\.83/);
	expect(text).toMatch(/Change +\$3\.17/);
	// 48 columns on 80 mm paper.
	expect(text.split(/\n\r?/).find((line) => line.startsWith('Subtotal'))).toHaveLength(48);
	const cut = bytes.indexOf(Buffer.from([0x1d, 0x56])); // GS V
	const drawer = bytes.indexOf(Buffer.from([0x1b, 0x70, 0x00])); // ESC p 0: kick pin 2
	expect(cut).toBeGreaterThan(0);
	expect(drawer).toBeGreaterThan(cut);
	// One job, one port: printing did not open it again.
	expect(await page.evaluate(() => window.__serialPrinter!.opens())).toHaveLength(1);
});

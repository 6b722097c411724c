/**
 * Issue 14 "Thermal receipt printers": in demo mode the simulated ESC/POS printer receives the
 * receipt; the test decodes its bytes: the printer initialised, the sale's lines, text its code
 * pages cannot hold sent as an image, the paper cut, and the drawer opened after a cash sale.
 */
import { expect, test } from '@playwright/test';
import { openTill, sellCroissantsForCashAndPrint } from './fixtures';
import { demoConfig, startPosServer, type PosServer } from './pos-server';

const STORE = '演示咖啡 Demo Café';

let server: PosServer;
test.beforeAll(async () => {
	const config = demoConfig();
	config.storeName = STORE;
	server = await startPosServer({}, config);
});
test.afterAll(async () => {
	await server?.stop();
});

/** Indexes of a byte sequence in `bytes`. */
function find(bytes: Buffer, ...seq: number[]): number {
	return bytes.indexOf(Buffer.from(seq));
}

test('a cash sale prints on the simulated thermal printer: lines, an image for Chinese, cut, drawer', async ({
	browser
}) => {
	const context = await browser.newContext({ baseURL: server.origin });
	const page = await context.newPage();
	try {
		await openTill(page);
		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByLabel('Receipt printer').selectOption('simulated');
		await page.getByLabel('Paper width').selectOption('58');
		await sellCroissantsForCashAndPrint(page);

		const printed = page.getByTestId('simulated-printer');
		await expect(printed).toContainText('2 x Butter Croissant');
		const bytes = Buffer.from((await printed.getAttribute('data-bytes'))!, 'base64');
		expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]); // ESC @: initialise
		const text = bytes.toString('latin1');
		expect(text).toMatch(/2 x Butter Croissant +\$6\.83/);
		expect(text).toMatch(/Total +\$6\.83/);
		expect(text).toMatch(/Change +\$3\.17/);
		// 32 columns on 58 mm paper.
		expect(text.split(/\n\r?/).find((line) => line.startsWith('Subtotal'))).toHaveLength(32);
		// The Chinese store name is a raster image (GS v 0) or column image (ESC *), never "?".
		expect(find(bytes, 0x1d, 0x76, 0x30) >= 0 || find(bytes, 0x1b, 0x2a) >= 0).toBe(true);
		expect(text).not.toContain('??');
		const cut = find(bytes, 0x1d, 0x56); // GS V
		const drawer = find(bytes, 0x1b, 0x70, 0x00); // ESC p 0: kick pin 2
		expect(cut).toBeGreaterThan(0);
		expect(drawer).toBeGreaterThan(cut);
		await expect(printed).toContainText('[drawer opens]');

		// The day report, on the same printer.
		await page.getByRole('button', { name: 'New sale' }).click();
		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByRole('button', { name: 'Print the day report' }).click();
		const report = page.getByTestId('simulated-printer');
		await expect(report).toContainText('Day report');
		const reportText = Buffer.from((await report.getAttribute('data-bytes'))!, 'base64').toString(
			'latin1'
		);
		expect(reportText).toMatch(/Cash +\$6\.83/);
		expect(reportText).toContain('\x1dV'); // cut
		expect(reportText).not.toContain('\x1bp'); // no drawer kick for a report
	} finally {
		await context.close();
	}
});

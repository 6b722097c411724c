import { expect, test } from '@playwright/test';
import { addProduct, cents, openTill, setScenario } from './fixtures';

test.beforeEach(async ({ page }) => {
	await openTill(page);
});

test('a cash sale gives the right change', async ({ page }) => {
	await addProduct(page, 'Caffè Latte', 2);
	const total = cents(await page.getByTestId('cart-total').textContent());
	expect(total).toBeGreaterThan(0);
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByLabel('Amount tendered').fill('20');
	await page.getByRole('button', { name: 'Take cash' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	expect(cents(await page.getByTestId('change-due').textContent())).toBe(2000 - total);
	await expect(page.getByRole('article', { name: 'Receipt' })).toContainText('2 × Caffè Latte');
});

test('a card sale on the simulated terminal is approved and shown on the receipt', async ({
	page
}) => {
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	// $3.25 + 5% tax = $3.41; a 15% tip on it is $0.51.
	await page.getByRole('button', { name: '15%' }).click();
	await page.getByRole('button', { name: 'Charge $3.92 on card' }).click();
	await expect(page.getByTestId('payment-pending')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	const receipt = page.getByRole('article', { name: 'Receipt' });
	await expect(receipt).toContainText('4242');
	await expect(receipt.getByRole('row', { name: 'Tip' })).toContainText('$0.51');
});

test('a second tab of the till refuses to sell', async ({ page, context }) => {
	const second = await context.newPage();
	await second.goto('/');
	await expect(second.getByRole('heading', { name: /already open in another tab/ })).toBeVisible();
	await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
});

test('one order split across cash and card', async ({ page }) => {
	await addProduct(page, 'Caffè Latte', 3);
	const total = cents(await page.getByTestId('cart-total').textContent());
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByLabel('Cash amount').fill('5.00');
	await page.getByLabel('Amount tendered').fill('5.00');
	await page.getByRole('button', { name: 'Take cash' }).click();
	await expect
		.poll(async () => cents(await page.getByTestId('amount-due').textContent()))
		.toBe(total - 500);
	await page.getByRole('tab', { name: 'Card' }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	const receipt = page.getByRole('article', { name: 'Receipt' });
	await expect(receipt).toContainText('Cash');
	await expect(receipt).toContainText('4242');

	// The end-of-day figures in Settings count the order once, each tender in its own column.
	await page.getByRole('link', { name: 'Settings' }).click();
	const today = page.locator('section', { has: page.getByRole('heading', { name: 'Today' }) });
	const figure = (name: string) => today.locator(`dt:text-is("${name}") + dd`);
	await expect(figure('Orders')).toHaveText('1');
	expect(cents(await figure('Sales').textContent())).toBe(total);
	expect(cents(await figure('Cash').textContent())).toBe(500);
	expect(cents(await figure('Card').textContent())).toBe(total - 500);
});

test('a declined card, then cash', async ({ page }) => {
	await setScenario(page, 'decline');
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByTestId('payment-failed')).toContainText('declined');
	await expect(page.getByTestId('payment-failed')).toContainText('Insufficient funds');
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByRole('button', { name: 'Exact' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
});

test('the receipt prints on a page as wide as the roll: 80 mm, or 58 mm when set', async ({
	page
}) => {
	/** The width of the first page of what Chromium prints, in mm. */
	const printedWidth = async () => {
		await page.emulateMedia({ media: 'print' });
		const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
		await page.emulateMedia({ media: 'screen' });
		const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
		expect(box, 'a page size in the PDF').not.toBeNull();
		return (Number(box![1]) / 72) * 25.4;
	};
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByRole('button', { name: 'Exact' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	expect(await printedWidth()).toBeCloseTo(80, 0);

	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByLabel('Paper width').selectOption('58');
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	expect(await printedWidth()).toBeCloseTo(58, 0);
});

test('a barcode scanner adds the item, even with the focus in a quantity field', async ({
	page
}) => {
	// A keyboard-wedge scanner: the digits 4 ms apart, then Enter. The key events carry their own
	// (hardware) timestamps, as a real scanner's do, so a busy test machine cannot stretch them.
	const cdp = await page.context().newCDPSession(page);
	const scan = async (code: string) => {
		const start = Date.now() / 1000;
		const keys = [...code].map((digit) => ({
			key: digit,
			code: `Digit${digit}`,
			text: digit,
			windowsVirtualKeyCode: digit.charCodeAt(0)
		}));
		keys.push({ key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 });
		for (const [i, key] of keys.entries()) {
			const timestamp = start + i * 0.004;
			await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', timestamp, ...key });
			await cdp.send('Input.dispatchKeyEvent', {
				type: 'keyUp',
				timestamp: timestamp + 0.001,
				key: key.key,
				code: key.code,
				windowsVirtualKeyCode: key.windowsVirtualKeyCode
			});
		}
	};
	await page.locator('body').click({ position: { x: 5, y: 5 } });
	await scan('2030000000043');
	await expect(page.locator('.notice')).toHaveText('Added Crème Brûlée');

	const qty = page.getByRole('spinbutton', { name: /Crème Brûlée/ });
	await qty.click();
	await scan('2010000000014');
	await expect(page.locator('.notice')).toHaveText('Added Espresso');
	await expect(qty).toHaveValue('1');
	await page.locator('body').click({ position: { x: 5, y: 5 } });
	await expect(page.getByRole('spinbutton', { name: /Crème Brûlée/ })).toHaveValue('1');
	await expect(page.getByRole('spinbutton', { name: /Espresso/ })).toHaveValue('1');
});

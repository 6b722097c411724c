import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_POS_KEY } from '../src/lib/terminals/haojin-usb/cipher';
import { buildFakeSerial } from './fake-serial/build';
import type { FakeSerialConfig } from './fake-serial/handle';
import { addProduct, cents, MANAGER_PIN, openTill } from './fixtures';

const TERMINAL = 'Haojin counter';

/** A fake `navigator.serial` with a simulated Haojin terminal, in every page of the test. */
async function plugInTerminal(page: Page, config: FakeSerialConfig = {}): Promise<void> {
	const script = await buildFakeSerial();
	await page.addInitScript((c) => (window.__haojinSimConfig = c), config);
	await page.addInitScript({ path: script });
}

/** The simulated terminal behind the fake port, as the test sees it. */
function sim(page: Page) {
	return {
		log: () => page.evaluate(() => window.__haojinSim?.log() ?? []),
		requests: () => page.evaluate(() => window.__haojinSim?.requests() ?? []),
		plug: () => page.evaluate(() => window.__haojinSim?.plug()),
		unplugMidSale: () => page.evaluate(() => window.__haojinSim?.setFaults({ unplugMidSale: true }))
	};
}

/** What a cashier does once: add the terminal, pick its USB port, enter the POS-KEY, use it. */
async function addHaojinTerminal(page: Page, posKey: string | null = DEFAULT_POS_KEY) {
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('button', { name: 'Add terminal' }).click();
	await page.getByLabel('Name', { exact: true }).fill(TERMINAL);
	await page.getByLabel('Rail').selectOption({ label: 'Haojin (QFPay) USB' });
	await expect(page.getByTestId('pos-key-status')).toContainText('No POS-KEY on this device');
	await page.getByRole('button', { name: 'Connect USB terminal' }).click();
	await expect(page.getByTestId('usb-port')).toContainText('USB 1a86:7523');
	await expect(page.getByTestId('usb-port')).toContainText('reopens it by itself');
	if (posKey) {
		await page.getByLabel('POS-KEY', { exact: true }).fill(posKey);
		await page.getByRole('button', { name: 'Save POS-KEY on this device' }).click();
		await expect(page.getByTestId('pos-key-status')).toContainText('A POS-KEY is stored');
		await expect(page.getByLabel('POS-KEY', { exact: true })).toHaveValue('');
		if (posKey === DEFAULT_POS_KEY) {
			await expect(page.getByText('This is the factory default POS-KEY')).toBeVisible();
		}
	}
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page
		.getByRole('row', { name: new RegExp(TERMINAL) })
		.getByRole('button', { name: 'Use' })
		.click();
	await expect(page.getByRole('row', { name: new RegExp(TERMINAL) })).toContainText('in use');
	// The key stays on this device: not in the saved terminal settings.
	const stored = await page.evaluate(() => localStorage.getItem('pos.terminals') ?? '');
	expect(stored).toContain('usbVendorId');
	if (posKey) expect(stored).not.toContain(posKey);
	await page.getByRole('link', { name: 'Sell' }).click();
}

let lastTotal = 0;

async function chargeCard(page: Page): Promise<string> {
	await addProduct(page, 'Butter Croissant');
	lastTotal = cents(await page.getByTestId('cart-total').textContent());
	await page.getByRole('button', { name: /^Charge/ }).click();
	const orderNumber = (await page.getByRole('heading', { name: /^Order / }).textContent())!
		.replace('Order', '')
		.trim();
	await page.getByRole('button', { name: /on card$/ }).click();
	return orderNumber;
}

async function openOrder(page: Page, orderNumber: string): Promise<void> {
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.getByRole('link', { name: orderNumber }).click();
}

test.beforeAll(async () => {
	await buildFakeSerial();
});

test.describe('Haojin terminal over USB', () => {
	test('a card sale through the USB terminal, then a refund with the manager PIN', async ({
		page
	}) => {
		await plugInTerminal(page);
		await openTill(page);
		await addHaojinTerminal(page);
		const orderNumber = await chargeCard(page);
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		await expect(page.getByRole('article', { name: 'Receipt' })).toContainText('0119');

		const [sale] = await sim(page).log();
		expect(sale).toMatchObject({ kind: 'sale', status: 'approved', channel: 'card_payment' });
		const requests = await sim(page).requests();
		// NOTES.md §3: `amt` in major units.
		expect(requests[0]?.fields.amt).toBe(String(lastTotal / 100));

		await openOrder(page, orderNumber);
		await page.getByRole('button', { name: 'Print receipt on the terminal' }).click();
		await expect(page.getByText('The terminal is printing the receipt.')).toBeVisible();
		await page.getByRole('button', { name: 'Refund' }).click();
		await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByTestId('order-status')).toHaveText('refunded');
		const log = await sim(page).log();
		expect(log.map((t) => `${t.kind}:${t.status}`)).toEqual(['sale:approved', 'refund:approved']);
		expect(log[1]?.amount).toBe(sale?.amount);

		await page.getByRole('link', { name: 'Settings' }).click();
		await page
			.getByRole('row', { name: new RegExp(TERMINAL) })
			.getByRole('button', { name: 'Edit' })
			.click();
		await expect(page.getByTestId('pos-key-status')).toContainText('A POS-KEY is stored');
		await page.getByRole('button', { name: `Print day summary on ${TERMINAL}` }).click();
		await expect(page.getByText('The terminal is printing the day summary.')).toBeVisible();
		const printed = (await sim(page).requests()).map((r) => r.funcType);
		expect(printed).toEqual([1001, 3001, 1002, 3002]);
	});

	test('the cashier asks the terminal about a sale on the order screen', async ({ page }) => {
		await plugInTerminal(page);
		await openTill(page);
		await addHaojinTerminal(page);
		const orderNumber = await chargeCard(page);
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		const [sale] = await sim(page).log();

		await openOrder(page, orderNumber);
		// The terminal refunds but cannot void (NOTES.md §3): the till does not offer it.
		await expect(page.getByRole('button', { name: 'Refund' })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Void' })).toHaveCount(0);
		await page.getByTestId('attempt-row').getByRole('button', { name: 'Ask terminal' }).click();
		await expect(page.getByTestId('terminal-answer')).toContainText('Terminal: approved');
		await expect(page.getByTestId('terminal-answer')).toContainText('Journal: approved');
		const asked = (await sim(page).requests()).map((r) => r.funcType);
		expect(asked).toEqual([1001, 4001]);
		// Asking changed nothing: still one approved sale, the order still paid.
		expect(await sim(page).log()).toEqual([sale]);
		await expect(page.getByTestId('order-status')).toHaveText('paid');
	});

	test('a reload during the sale: the till queries the terminal and the order is paid once', async ({
		page
	}) => {
		await plugInTerminal(page, { cardMs: 4000 });
		await openTill(page);
		await addHaojinTerminal(page);
		const orderNumber = await chargeCard(page);
		await expect(page.getByText('Waiting for the terminal…')).toBeVisible();

		await page.reload();

		// No port chooser again: the granted port is reopened and the sale is asked for (4001).
		await openOrder(page, orderNumber);
		await expect(page.getByTestId('order-status')).toHaveText('paid', { timeout: 20_000 });
		await expect(page.locator('tr[data-state="approved"][data-testid="attempt-row"]')).toHaveCount(
			1
		);
		const requests = await sim(page).requests();
		expect(requests.map((r) => r.funcType)).toContain(4001);
		expect(requests.some((r) => r.funcType === 1001)).toBe(false);
		expect((await sim(page).log()).filter((t) => t.kind === 'sale')).toHaveLength(1);
	});

	test('the cashier cancels while the terminal waits for the card', async ({ page }) => {
		await plugInTerminal(page, { cardMs: 15_000 });
		await openTill(page);
		await addHaojinTerminal(page);
		await chargeCard(page);
		await expect(page.getByText('Waiting for the terminal…')).toBeVisible();
		await page.getByRole('button', { name: 'Cancel payment' }).click();
		await expect(page.getByTestId('payment-failed')).toContainText('cancelled');
		expect(cents(await page.getByTestId('amount-due').textContent())).toBeGreaterThan(0);
		const log = await sim(page).log();
		expect(log.map((t) => `${t.kind}:${t.status}`)).toEqual(['sale:cancelled']);
		expect((await sim(page).requests()).map((r) => r.funcType)).toEqual([1001, 5001]);
	});

	test('unplugged in the middle of a sale, plugged back: paid exactly once', async ({ page }) => {
		await plugInTerminal(page, { cardMs: 1500 });
		await openTill(page);
		await addHaojinTerminal(page);
		await sim(page).unplugMidSale();
		const orderNumber = await chargeCard(page);
		await expect(page.getByText('Checking the terminal…')).toBeVisible();
		// Let the terminal finish the sale on its own while the cable is out.
		await page.waitForTimeout(1500);

		await sim(page).plug();

		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
		const sales = (await sim(page).log()).filter((t) => t.kind === 'sale');
		expect(sales.map((t) => t.status)).toEqual(['approved']);
		const requests = (await sim(page).requests()).map((r) => r.funcType);
		expect(requests.filter((f) => f === 1001)).toHaveLength(1);
		expect(requests).toContain(4001);
		await openOrder(page, orderNumber);
		await expect(page.getByTestId('order-status')).toHaveText('paid');
		await expect(page.locator('tr[data-state="approved"][data-testid="attempt-row"]')).toHaveCount(
			1
		);
	});

	test('a wrong POS-KEY: a clear message naming the POS-KEY, nothing charged', async ({ page }) => {
		await plugInTerminal(page);
		await openTill(page);
		await addHaojinTerminal(page, 'Wrong-key-for-this-terminal-0000');
		await chargeCard(page);
		await expect(page.getByRole('alert').filter({ hasText: 'POS-KEY' })).toBeVisible();
		await expect(page.getByRole('alert').filter({ hasText: 'POS-KEY' })).toContainText(
			'Nothing was charged'
		);
		expect(cents(await page.getByTestId('amount-due').textContent())).toBeGreaterThan(0);
		expect(await sim(page).log()).toEqual([]);
	});

	test('a wrong POS-KEY whose answers cannot be read either: a manager resolves it as not charged', async ({
		page
	}) => {
		// What the server answers each sync of this till.
		const syncAnswers: { rejected?: unknown[]; records?: { entity: string; id: string }[] }[] = [];
		page.on('response', (response) => {
			if (!response.url().endsWith('/api/sync') || response.request().method() !== 'POST') return;
			void response.json().then(
				(body: (typeof syncAnswers)[number]) => syncAnswers.push(body),
				() => undefined
			);
		});
		await plugInTerminal(page);
		await openTill(page);
		await addHaojinTerminal(page, 'Wrong-key-for-this-terminal-0000');
		// NOTES.md §3: the terminal answers in its own key, which the till cannot read.
		await page.evaluate(() => window.__haojinSim?.setFaults({ answersUnreadable: true }));
		const orderNumber = await chargeCard(page);
		await expect(page.getByText('Checking the terminal…')).toBeVisible();

		await openOrder(page, orderNumber);
		const evidence = page.getByTestId('payment-evidence');
		await expect(evidence.getByTestId('evidence-headline')).toHaveText(
			'Not charged: the POS-KEY does not match the terminal.'
		);
		await expect(evidence.getByTestId('evidence-row').first()).toContainText(
			"The terminal's answer could not be read"
		);
		await evidence.getByRole('button', { name: 'Resolve' }).click();
		await expect(page.getByLabel('Not charged: the order can be paid again')).toBeChecked();
		await page
			.getByLabel('Why')
			.fill('The POS-KEY on the till was mistyped; no sale on the terminal');
		await page.getByLabel('Manager PIN').fill('1111');
		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByRole('alert')).toContainText('manager');
		await expect(page.locator('tr[data-state="unknown"][data-testid="attempt-row"]')).toHaveCount(
			1
		);
		await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.locator('tr[data-state="cancelled"][data-testid="attempt-row"]')).toHaveCount(
			1
		);
		await expect(page.getByTestId('order-status')).toHaveText('open');
		expect(await sim(page).log()).toEqual([]);

		// The order is free: paid again, in cash.
		await page.getByRole('button', { name: 'Back to the checkout' }).click();
		await page.getByRole('tab', { name: 'Cash' }).click();
		await page.getByRole('button', { name: 'Exact' }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();

		// The journal export keeps who, when, why and the evidence.
		await page.getByRole('link', { name: 'Settings' }).click();
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Export journal (JSON)' }).click()
		]);
		const exported = JSON.parse((await readFile((await download.path())!, 'utf8')) as string) as {
			events: {
				type: string;
				entityId: string;
				to?: string;
				at: number;
				data?: Record<string, unknown>;
			}[];
		};
		const queried = exported.events.filter((e) => e.type === 'attempt.queried');
		expect(queried.length).toBeGreaterThan(0);
		expect(queried[0]?.data).toMatchObject({
			answer: { status: 'unknown', finding: 'key_mismatch', exhausted: true }
		});
		const resolved = exported.events.filter((e) => e.type === 'attempt.resolved');
		expect(resolved).toHaveLength(1);
		expect(resolved[0]).toMatchObject({
			to: 'cancelled',
			data: {
				verdict: 'not_charged',
				staffId: 'morgan',
				reason: 'The POS-KEY on the till was mistyped; no sale on the terminal'
			}
		});
		expect(resolved[0]?.data?.approvalId).toEqual(expect.any(String));
		expect((resolved[0]?.data?.evidence as unknown[]).length).toBeGreaterThan(0);

		// The server believes the resolution: it carries the manager's approval for it.
		const resolvedAttempt = resolved[0]?.entityId;
		await page.getByRole('button', { name: 'Sync now' }).click();
		await expect(page.getByText('Everything is synced to the server.')).toBeVisible({
			timeout: 30_000
		});
		const held = () =>
			syncAnswers.some((a) =>
				a.records?.some((r) => r.entity === 'attempt' && r.id === resolvedAttempt)
			);
		await expect.poll(held).toBe(true);
		expect(syncAnswers.flatMap((a) => a.rejected ?? [])).toEqual([]);
	});

	test('no POS-KEY on this device yet: the till says where to enter it', async ({ page }) => {
		await plugInTerminal(page);
		await openTill(page);
		await addHaojinTerminal(page, null);
		await chargeCard(page);
		await expect(page.getByRole('alert')).toContainText(
			`Enter the POS-KEY for ${TERMINAL} in Settings.`
		);
		expect(await sim(page).log()).toEqual([]);
	});
});

test('without Web Serial the settings say so plainly', async ({ page }) => {
	await page.addInitScript(() =>
		Object.defineProperty(navigator, 'serial', { configurable: true, get: () => undefined })
	);
	await openTill(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('button', { name: 'Add terminal' }).click();
	await page.getByLabel('Rail').selectOption({ label: 'Haojin (QFPay) USB' });
	await expect(page.getByTestId('web-serial-missing')).toContainText('Use Chrome or Edge');
	await expect(page.getByRole('button', { name: 'Connect USB terminal' })).toHaveCount(0);
});

test('in demo mode the simulated USB terminal takes a sale, loaded only when chosen', async ({
	page
}) => {
	// The simulator's code (one of its messages survives minification) arrives only on demand.
	const simulatorLoaded = { value: false };
	page.on('response', async (response) => {
		if (!response.url().endsWith('.js')) return;
		const body = await response.text().catch(() => '');
		if (body.includes('Another transaction is in progress')) simulatorLoaded.value = true;
	});
	await openTill(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('button', { name: 'Add terminal' }).click();
	await page.getByLabel('Name', { exact: true }).fill(TERMINAL);
	await page.getByLabel('Rail').selectOption({ label: 'Haojin (QFPay) USB' });
	expect(simulatorLoaded.value).toBe(false);
	await page.getByLabel('Use the simulated USB terminal (demo)').check();
	await expect(page.getByText(/Simulator: a pretend Haojin terminal/)).toBeVisible();
	await page.getByRole('button', { name: 'Connect USB terminal' }).click();
	await expect(page.getByTestId('usb-port')).toContainText('(simulated)');
	await expect.poll(() => simulatorLoaded.value).toBe(true);
	await page.getByRole('button', { name: 'Use the default key' }).click();
	await expect(page.getByText('This is the factory default POS-KEY')).toBeVisible();
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page
		.getByRole('row', { name: new RegExp(TERMINAL) })
		.getByRole('button', { name: 'Use' })
		.click();
	await page.getByRole('link', { name: 'Sell' }).click();
	await chargeCard(page);
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 15_000 });
});

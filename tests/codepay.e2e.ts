/**
 * CodePay Register over the LAN, as a cashier uses it. `tests/server.js` runs a CodePay simulator
 * for the provisioned terminal "codepay-1" and says where in `tests/.artifacts/sim.json`, with a
 * loopback control endpoint through which a test sets faults and reads what the terminal did.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { SimulatedTransaction, SimulatorFaults } from '../simulators/codepay-register/server';
import { MANAGER_PIN, addProduct, openTill } from './fixtures';

const TERMINAL = 'CodePay Register (simulator)';
/** Its row in Settings (the WiseCashier row names the same rail). */
const TERMINAL_ROW = /^CodePay Register \(simulator\)/;

interface SimInfo {
	terminalId: string;
	host: string;
	port: number;
	appId: string;
	controlUrl: string;
}

function simInfo(): SimInfo {
	const file = new URL('./.artifacts/sim.json', import.meta.url);
	return (JSON.parse(readFileSync(file, 'utf8')) as { codepay: SimInfo }).codepay;
}

async function control(path: string, body?: unknown): Promise<unknown> {
	const response = await fetch(`${simInfo().controlUrl}${path}`, {
		method: body === undefined && path !== '/reset' ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	expect(response.ok).toBe(true);
	return response.json();
}

const terminal = {
	faults: (faults: SimulatorFaults) => control('/faults', faults),
	reset: () => control('/reset'),
	transactions: () => control('/transactions') as Promise<SimulatedTransaction[]>,
	requests: () => control('/requests') as Promise<Record<string, unknown>[]>
};

/** What the terminal did since `before` (a list of merchant order numbers it already knew). */
async function newTransactions(before: string[]): Promise<SimulatedTransaction[]> {
	return (await terminal.transactions()).filter((t) => !before.includes(t.merchant_order_no));
}
const known = async () => (await terminal.transactions()).map((t) => t.merchant_order_no);

async function useCodePay(page: Page): Promise<void> {
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('row', { name: TERMINAL_ROW }).getByRole('button', { name: 'Use' }).click();
	await expect(page.getByTestId('terminal-status')).toHaveText(`${TERMINAL}: connected`);
	await page.getByRole('link', { name: 'Sell' }).click();
}

/** From the cart to the card tab of a new order. */
async function checkout(page: Page, product = 'Butter Croissant'): Promise<void> {
	await addProduct(page, product);
	await page.getByRole('button', { name: /^Charge/ }).click();
	await expect(page.getByLabel('Terminal')).toHaveValue('codepay-1');
}

async function openLatestOrder(page: Page): Promise<void> {
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
}

/** Exactly one charge on the terminal for the sale of this test, and one order request for it. */
async function expectOneSale(before: string[]): Promise<SimulatedTransaction> {
	const sales = (await newTransactions(before)).filter((t) => t.trans_type === '1');
	expect(sales).toHaveLength(1);
	const sale = sales[0]!;
	expect(sale.trans_status).toBe('2');
	const sent = (await terminal.requests()).filter(
		(r) =>
			r.topic === 'ecrhub.pay.order' &&
			(r.biz_data as { merchant_order_no?: string }).merchant_order_no === sale.merchant_order_no
	);
	expect(sent).toHaveLength(1);
	return sale;
}

test.describe('CodePay Register over the LAN', () => {
	test.beforeEach(async ({ page }) => {
		await terminal.reset();
		await openTill(page);
		await useCodePay(page);
	});
	test.afterEach(async () => {
		await terminal.reset();
	});

	test('an order frame that never left (the page went first): never received, so paid again', async ({
		page
	}) => {
		const before = await known();
		await terminal.faults({ loseOrders: true });
		await checkout(page);
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByText('Waiting for the terminal…')).toBeVisible();
		// The journal says sent; the terminal has nothing. The page goes and comes back.
		await page.reload();
		await terminal.faults({ loseOrders: false });
		// Asked on a new connection, the terminal's "not found" is authoritative: not charged.
		await expect(page.getByTestId('payment-failed')).toContainText(
			'The terminal never received this payment: nothing was charged.'
		);
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		const sale = await expectOneSale(before);
		const lost = (await terminal.requests()).filter(
			(r) =>
				r.topic === 'ecrhub.pay.query' &&
				(r.biz_data as { merchant_order_no?: string }).merchant_order_no !== sale.merchant_order_no
		);
		// The till asked about the lost order; the terminal never had an order frame for it.
		expect(lost.length).toBeGreaterThan(0);
		await openLatestOrder(page);
		await expect(page.getByTestId('order-status')).toHaveText('paid');
		const rows = page.getByTestId('attempt-row');
		await expect(rows).toHaveCount(2);
		await expect(
			page.locator('tr[data-state="cancelled"][data-testid="attempt-row"]')
		).toContainText('never received');
		await expect(page.locator('tr[data-state="approved"][data-testid="attempt-row"]')).toHaveCount(
			1
		);
	});

	test('Settings: test connection says the terminal answers, or why not', async ({ page }) => {
		const sim = simInfo();
		await page.getByRole('link', { name: 'Settings' }).click();
		await page
			.getByRole('row', { name: TERMINAL_ROW })
			.getByRole('button', { name: 'Edit' })
			.click();
		await expect(page.getByLabel('Terminal IP address')).toHaveValue('127.0.0.1');
		await expect(page.getByTestId('connection-mode')).toContainText('direct');
		await expect(page.getByTestId('connection-mode')).toContainText('served over http');

		await page.getByRole('button', { name: 'Test connection' }).click();
		await expect(page.getByTestId('connection-test')).toHaveText(
			`Connected to the terminal at 127.0.0.1:${sim.port}.`
		);

		await page.getByLabel('App id').fill('not-the-app-id');
		await page.getByRole('button', { name: 'Test connection' }).click();
		await expect(page.getByTestId('connection-test')).toContainText(
			'The terminal rejected app id "not-the-app-id"'
		);

		await page.getByLabel('App id').fill(sim.appId);
		await page.getByLabel('Port').fill('1');
		await page.getByLabel('Port').blur();
		await page.getByRole('button', { name: 'Test connection' }).click();
		await expect(page.getByTestId('connection-test')).toHaveText(
			'127.0.0.1:1 refused the connection. Is CodePay Register open and in LAN mode?'
		);
		await page.getByRole('button', { name: 'Cancel' }).click();
	});

	test('a cashier adds a CodePay terminal by IP and port, tests it and sells through it', async ({
		page
	}) => {
		const sim = simInfo();
		const before = await known();
		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByRole('button', { name: 'Add terminal' }).click();
		await page.getByLabel('Name').fill('Front counter CodePay');
		await page.getByLabel('Rail').selectOption({ label: 'CodePay Register (LAN)' });
		await expect(page.getByLabel('Port')).toHaveValue('35779');
		await page.getByLabel('Terminal IP address').fill('127.0.0.1');
		await page.getByLabel('Port').fill(String(sim.port));
		await page.getByLabel('Port').blur();
		await page.getByLabel('App id').fill(sim.appId);
		await page.getByLabel('Terminal receipt').selectOption({ label: 'Customer copy' });
		await page.getByRole('button', { name: 'Test connection' }).click();
		await expect(page.getByTestId('connection-test')).toHaveText(
			`Connected to the terminal at 127.0.0.1:${sim.port}.`
		);
		await page.getByRole('button', { name: 'Save' }).click();
		await page
			.getByRole('row', { name: /Front counter CodePay/ })
			.getByRole('button', { name: 'Use' })
			.click();
		await expect(page.getByTestId('terminal-status')).toHaveText(
			'Front counter CodePay: connected'
		);
		await page.getByRole('link', { name: 'Sell' }).click();
		await addProduct(page, 'Butter Croissant');
		await page.getByRole('button', { name: /^Charge/ }).click();
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		const sale = await expectOneSale(before);
		const [request] = (await terminal.requests()).filter(
			(r) =>
				r.topic === 'ecrhub.pay.order' &&
				(r.biz_data as { merchant_order_no?: string }).merchant_order_no === sale.merchant_order_no
		);
		// NOTES.md §1: string amounts in major units, string trans_type, the chosen receipt mode.
		expect(request).toMatchObject({
			version: '1.0',
			app_id: sim.appId,
			biz_data: { trans_type: '1', order_amount: '3.41', receipt_print_mode: '2' }
		});
	});

	test('a sale with the tip on the POS, then a partial refund with the manager PIN', async ({
		page
	}) => {
		const before = await known();
		await checkout(page);
		await page.getByRole('button', { name: '15%' }).click();
		await page.getByRole('button', { name: 'Charge $3.92 on card' }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		const receipt = page.getByRole('article', { name: 'Receipt' });
		await expect(receipt).toContainText('1111');
		await expect(receipt.getByRole('row', { name: 'Tip' })).toContainText('$0.51');
		const sale = await expectOneSale(before);
		expect(sale).toMatchObject({ order_amount: 341, tip_amount: 51 });

		await openLatestOrder(page);
		await page.getByRole('button', { name: 'Refund' }).click();
		await page.getByLabel('Refund amount').fill('1.00');
		await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByTestId('order-status')).toHaveText('partially refunded');
		const refunds = (await newTransactions(before)).filter((t) => t.trans_type === '3');
		expect(refunds).toHaveLength(1);
		expect(refunds[0]).toMatchObject({
			orig_merchant_order_no: sale.merchant_order_no,
			order_amount: 100,
			trans_status: '2'
		});
	});

	test('a sale with the tip chosen on the terminal, then a void', async ({ page }) => {
		const before = await known();
		await checkout(page);
		await page.getByRole('button', { name: 'On terminal' }).click();
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		// The simulator's customer picks a $1.00 tip on the terminal.
		await expect(
			page.getByRole('article', { name: 'Receipt' }).getByRole('row', { name: 'Tip' })
		).toContainText('$1.00');
		const sale = await expectOneSale(before);
		expect(sale.tip_amount).toBe(100);

		await openLatestOrder(page);
		await page.getByRole('button', { name: 'Void' }).click();
		await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByTestId('order-status')).toHaveText('voided');
		const after = (await terminal.transactions()).find(
			(t) => t.merchant_order_no === sale.merchant_order_no
		);
		expect(after?.voided).toBe(true);
	});

	test('a sale with cashback, the till reloaded mid-sale: the cash paid out is counted once', async ({
		page
	}) => {
		const before = await known();
		// The customer takes a while at the terminal: long enough to reload the till meanwhile.
		await terminal.faults({ slowMs: 4_000 });
		await checkout(page);
		await page.getByLabel('Cashback (cash to the customer)').fill('20');
		await expect(page.getByTestId('cashback-note')).toContainText('$20.00');
		await page.getByRole('button', { name: 'Charge $3.41 on card' }).click();
		await expect(page.getByText('Waiting for the terminal…')).toBeVisible();
		const orderNumber = (await page.getByRole('heading', { name: /^Order / }).textContent())!
			.replace('Order', '')
			.trim();
		// Order requests of this test: for merchant order numbers the terminal did not know before.
		const orderRequests = async () =>
			(await terminal.requests()).filter(
				(r) =>
					r.topic === 'ecrhub.pay.order' &&
					!before.includes((r.biz_data as { merchant_order_no: string }).merchant_order_no)
			);
		await expect.poll(async () => (await orderRequests()).length).toBe(1);

		await page.reload();

		// The till asks the terminal by itself and settles the sale from its answer.
		await page.getByRole('link', { name: 'Orders' }).click();
		await page.getByRole('link', { name: orderNumber }).click();
		await expect(page.getByTestId('order-status')).toHaveText('paid', { timeout: 20_000 });
		const rows = page.getByTestId('attempt-row');
		await expect(rows).toHaveCount(1);
		await expect(rows.first()).toHaveAttribute('data-state', 'approved');
		await expect(page.getByTestId('attempt-cashback')).toHaveText('Cashback $20.00.');
		const receipt = page.getByRole('article', { name: 'Receipt' });
		await expect(receipt.getByTestId('receipt-cashback')).toHaveCount(1);
		await expect(receipt.getByRole('row', { name: 'Cashback $20.00' })).toHaveCount(1);
		// The card line is what the card was charged: the goods and the cash.
		await expect(receipt).toContainText('$23.41');
		// A refund returns the goods only; the dialog says the cashback stays with the customer.
		await expect(page.getByText('$3.41 refundable')).toBeVisible();
		await page.getByRole('button', { name: 'Refund' }).click();
		await expect(page.getByTestId('cashback-reversal')).toHaveText(
			'The $20.00 cashback is not refunded: it was cash.'
		);
		await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

		// One charge of goods plus cashback, asked for once.
		const [sale, ...others] = await newTransactions(before);
		expect(others).toHaveLength(0);
		expect(sale).toMatchObject({
			trans_type: '11',
			trans_status: '2',
			order_amount: 341,
			cashback_amount: 2000
		});
		const sent = await orderRequests();
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			biz_data: {
				merchant_order_no: sale!.merchant_order_no,
				trans_type: '11',
				cashback_amount: '20.00'
			}
		});

		// Query of any attempt: the terminal's own view, next to the journal's.
		const queriesBefore = (await terminal.requests()).filter(
			(r) => r.topic === 'ecrhub.pay.query'
		).length;
		await rows.first().getByRole('button', { name: 'Ask terminal' }).click();
		await expect(page.getByTestId('terminal-answer')).toContainText('Terminal: approved');
		const queries = (await terminal.requests()).filter((r) => r.topic === 'ecrhub.pay.query');
		expect(queries.length).toBe(queriesBefore + 1);

		// The day's figures: the card was charged $23.41, $20.00 left the drawer, once.
		await page.getByRole('link', { name: 'Settings' }).click();
		const today = page.locator('section', { has: page.getByRole('heading', { name: 'Today' }) });
		const figure = (name: string) => today.locator(`dt:text-is("${name}") + dd`);
		await expect(figure('Sales')).toHaveText('$3.41');
		await expect(figure('Card')).toHaveText('$23.41');
		await expect(figure('Cash')).toHaveText('$0.00');
		await expect(figure('Cash paid out')).toHaveText('$20.00');
		await expect(figure('Cash expected in the drawer')).toHaveText('-$20.00');
	});

	test('the tip of a completed card sale is adjusted, then the batch is closed', async ({
		page
	}) => {
		const before = await known();
		await checkout(page);
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		const sale = await expectOneSale(before);

		await openLatestOrder(page);
		await page.getByRole('button', { name: 'Adjust tip' }).click();
		await page.getByLabel('New tip').fill('2.50');
		await page.getByRole('button', { name: 'Save tip' }).click();
		await expect(page.getByTestId('tip-adjusted')).toHaveText('Tip adjusted to $2.50.');
		await expect(
			page.getByRole('article', { name: 'Receipt' }).getByRole('row', { name: 'Tip' })
		).toContainText('$2.50');
		const adjusted = (await terminal.transactions()).find(
			(t) => t.merchant_order_no === sale.merchant_order_no
		);
		expect(adjusted?.tip_amount).toBe(250);

		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByRole('button', { name: `Close batch on ${TERMINAL}` }).click();
		// Closing the books is a manager's call.
		const approval = page.getByRole('dialog', { name: 'Manager approval' });
		await approval.getByLabel('Manager PIN').fill(MANAGER_PIN);
		await approval.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByTestId('batch-codepay-1')).toContainText(
			/Batch \d+ closed: \d+ transactions/
		);
		const batched = (await terminal.transactions()).find(
			(t) => t.merchant_order_no === sale.merchant_order_no
		);
		expect(batched?.batched).toBe(true);

		// After the batch, the terminal refuses to change the tip, and the cashier is told why.
		await openLatestOrder(page);
		await page.getByRole('button', { name: 'Adjust tip' }).click();
		await page.getByLabel('New tip').fill('3.00');
		await page.getByRole('button', { name: 'Save tip' }).click();
		await expect(page.getByText(/batch is closed/)).toBeVisible();
		await page.getByRole('button', { name: 'Cancel', exact: true }).click();

		// A void is no longer possible after the batch; a full refund covers the adjusted tip too.
		await page.getByRole('button', { name: 'Refund' }).click();
		await expect(page.getByRole('dialog')).toContainText('Refund $5.91');
		await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByTestId('order-status')).toHaveText('refunded');
		const refund = (await newTransactions(before)).find((t) => t.trans_type === '3');
		expect(refund).toMatchObject({ order_amount: 591, trans_status: '2' });
	});

	test('the cashier cancels a payment in progress: nothing is charged', async ({ page }) => {
		await terminal.faults({ slowMs: 30_000 });
		const before = await known();
		await checkout(page);
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByTestId('payment-pending')).toContainText('Waiting for the terminal');
		await expect(page.getByTestId('terminal-status')).toHaveText(`${TERMINAL}: busy`);
		await page.getByRole('button', { name: 'Cancel payment' }).click();
		await expect(page.getByTestId('payment-failed')).toContainText('cancelled');
		const [attempt] = await newTransactions(before);
		expect(attempt?.trans_status).toBe('3');
		expect(
			(await terminal.transactions()).filter(
				(t) => !before.includes(t.merchant_order_no) && t.trans_status === '2'
			)
		).toHaveLength(0);
	});

	test('a second sale while the terminal is busy is not sent; the cashier cancels the first', async ({
		page
	}) => {
		await terminal.faults({ slowMs: 30_000 });
		const before = await known();
		// An order kept open, to be paid later.
		await checkout(page, 'Caffè Latte');
		const parked = (await page.getByRole('heading', { name: /^Order / }).textContent())!;
		await page.getByRole('button', { name: 'Keep the order open and start a new sale' }).click();
		await checkout(page);
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByTestId('payment-pending')).toBeVisible();
		// The cashier leaves the waiting screen and takes payment for the parked order.
		await page.getByRole('link', { name: 'Orders' }).click();
		await page.getByRole('link', { name: parked.replace('Order', '').trim() }).click();
		await page.getByRole('button', { name: /^Take payment of/ }).click();
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByTestId('payment-failed')).toContainText(
			'The terminal is already processing a payment'
		);
		const busy = page.getByTestId('terminal-busy');
		await busy.getByRole('button', { name: /Cancel the payment of order/ }).click();
		await expect(busy).toContainText('was cancelled on the terminal');
		await terminal.faults({ slowMs: 0 });
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		const mine = await newTransactions(before);
		// The first was cancelled, the refused one never reached the terminal, the third was paid.
		expect(mine.map((t) => t.trans_status)).toEqual(['3', '2']);
	});

	test('the terminal says it is busy with another till: the cashier is told', async ({ page }) => {
		await terminal.faults({ busyWithOtherOrder: true });
		await checkout(page);
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByTestId('payment-failed')).toContainText('busy with another order');
		await expect(page.getByTestId('terminal-busy')).toContainText(
			'Finish or cancel it on the terminal'
		);
	});

	test('a card hold, then the charge from it on the order screen', async ({ page }) => {
		const before = await known();
		await checkout(page);
		await page.getByLabel('Hold only (pre-authorise now, charge later)').check();
		await page.getByLabel('Amount to hold').fill('10');
		await page.getByRole('button', { name: 'Hold $10.00 on card' }).click();
		await expect(page.getByTestId('card-hold')).toContainText('Card hold $10.00');
		const [hold, ...others] = await newTransactions(before);
		expect(others).toHaveLength(0);
		expect(hold).toMatchObject({ trans_type: '4', order_amount: 1000, trans_status: '2' });

		// The customer keeps the tab open; the cashier serves someone else meanwhile.
		await page.getByRole('button', { name: 'Keep the order open and start a new sale' }).click();
		await openLatestOrder(page);
		await expect(page.getByTestId('order-status')).toHaveText('open');
		await page.getByRole('button', { name: 'Charge $3.41 from the hold' }).click();
		await expect(page.getByTestId('order-status')).toHaveText('paid');
		await expect(page.getByTestId('card-hold')).toHaveCount(0);
		const completions = (await newTransactions(before)).filter((t) => t.trans_type === '6');
		expect(completions).toHaveLength(1);
		expect(completions[0]).toMatchObject({
			orig_merchant_order_no: hold!.merchant_order_no,
			order_amount: 341,
			trans_status: '2'
		});
		await expect(page.getByRole('article', { name: 'Receipt' })).toContainText('1111');
	});

	test('paid in cash after all: the card hold is released with the manager PIN', async ({
		page
	}) => {
		const before = await known();
		await checkout(page);
		await page.getByLabel('Hold only (pre-authorise now, charge later)').check();
		await page.getByRole('button', { name: 'Hold $3.41 on card' }).click();
		await expect(page.getByTestId('card-hold')).toContainText('Card hold $3.41');
		await expect(page.getByTestId('amount-due')).toHaveText('$3.41');

		// The customer pays cash instead: the hold must not stay on the card.
		await page.getByRole('tab', { name: 'Cash' }).click();
		await page.getByRole('button', { name: 'Exact' }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		await expect(page.getByText('release the hold to free the customer')).toBeVisible();
		await page.getByRole('button', { name: 'Release hold' }).click();
		await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByTestId('hold-result')).toHaveText('Release of the hold approved.');
		await expect(page.getByTestId('card-hold')).toHaveCount(0);

		const done = await newTransactions(before);
		const hold = done.find((t) => t.trans_type === '4');
		expect(hold?.voided).toBe(true);
		expect(done.filter((t) => t.trans_type === '5')).toMatchObject([
			{ orig_merchant_order_no: hold!.merchant_order_no, trans_status: '2' }
		]);
		// Nothing was charged to the card.
		expect(done.filter((t) => ['1', '6', '11'].includes(t.trans_type))).toHaveLength(0);
	});

	for (const redeliver of [true, false]) {
		test(`the connection drops after approval (${redeliver ? 're-delivered' : 'query only'}): paid exactly once`, async ({
			page
		}) => {
			await terminal.faults({ dropAfterApprove: true, redeliverOnReconnect: redeliver });
			const before = await known();
			await checkout(page);
			await page.getByRole('button', { name: /on card$/ }).click();
			await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
			const sale = await expectOneSale(before);
			expect(sale.order_amount).toBe(341);

			await openLatestOrder(page);
			await expect(page.getByTestId('order-status')).toHaveText('paid');
			const rows = page.getByTestId('attempt-row');
			await expect(rows).toHaveCount(1);
			await expect(rows.first()).toHaveAttribute('data-state', 'approved');
			await expect(rows.first()).toContainText(sale.merchant_order_no);
			const queries = (await terminal.requests()).filter(
				(r) =>
					r.topic === 'ecrhub.pay.query' &&
					(r.biz_data as { merchant_order_no?: string }).merchant_order_no ===
						sale.merchant_order_no
			);
			// Without re-delivery, only a query can have told the till.
			if (!redeliver) expect(queries.length).toBeGreaterThan(0);
		});
	}
});

test('a WiseCashier fuel sale: lines that do not add up are refused, then sent', async ({
	page
}) => {
	const wise = (
		JSON.parse(readFileSync(new URL('./.artifacts/sim.json', import.meta.url), 'utf8')) as {
			wisecashier: { requestsUrl: string };
		}
	).wisecashier;
	const orders = async () =>
		((await (await fetch(wise.requestsUrl)).json()) as Record<string, unknown>[]).filter(
			(r) => r.topic === 'ecrhub.pay.order'
		);
	const sentBefore = (await orders()).length;
	await openTill(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await page
		.getByRole('row', { name: /WiseCashier forecourt/ })
		.getByRole('button', { name: 'Use' })
		.click();
	await expect(page.getByTestId('terminal-status')).toHaveText(
		'WiseCashier forecourt (simulator): connected'
	);
	await page.getByRole('link', { name: 'Sell' }).click();
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: 'Add fuel line' }).click();
	// The checkout's own styles came with it (it loads lazily, its CSS with it): a fuel line's
	// fields sit in one row.
	await expect(page.locator('.fuel-row')).toHaveCSS('display', 'flex');
	await page.getByLabel('Product code').fill('D50');
	await page.getByLabel('Litres').fill('2.1');
	await page.getByLabel('Amount', { exact: true }).fill('3.00');
	await page.getByRole('button', { name: 'Charge $3.41 on card' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Not sent: Fuel lines add up to 3.00 USD but the order is 3.41 USD.'
	);
	expect(await orders()).toHaveLength(sentBefore);
	await expect(page.getByTestId('attempt-row')).toHaveCount(0);

	await page.getByLabel('Amount', { exact: true }).fill('3.41');
	await page.getByRole('button', { name: 'Charge $3.41 on card' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	const sent = (await orders()).slice(sentBefore);
	expect(sent).toHaveLength(1);
	expect(sent[0]).toMatchObject({
		biz_data: {
			trans_type: '1',
			order_amount: '3.41',
			forecourt_data: [{ code: 'D50', quantity: '2.100', amount: '341' }]
		}
	});
});

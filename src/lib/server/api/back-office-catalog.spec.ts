/**
 * The back office's catalog and tax API: a manager (or the owner) changes the catalog, every
 * change is in the audit log, a cashier is refused (403) whatever the body says, and a till
 * gets the change at its next ask, compressed.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardApi } from '../auth/guard';
import { demoSeed } from '../catalog/seed';
import type { Runtime } from '../runtime';
import { openStore } from '../store';
import type { SqlStore } from '../store/sql-store';
import { catalogAdminView, catalogExport, catalogImport, catalogSave } from './back-office-catalog';
import { listTaxes, saveTax, setDefaultTax } from './back-office-taxes';
import { catalog } from './catalog';
import { staffLogin } from './staff-login';
import { call, pairTill, testRuntime, type TestClock } from './test-harness';

let store: SqlStore;
let rt: Runtime;
const clock: TestClock = { now: 1_700_000_000_000 };
let till: { deviceId: string; token: string };
let manager: string;
let cashier: string;

async function login(pin: string): Promise<string> {
	const res = await call(rt, staffLogin, '/api/auth/login', { body: { pin }, token: till.token });
	return res.body.sessionToken as string;
}

const save = (kind: string) => (r: Runtime, e: Parameters<typeof catalogSave>[1]) =>
	catalogSave(r, e, kind);

beforeAll(async () => {
	store = await openStore({ dataDir: 'memory://' });
	rt = await testRuntime(store, clock);
	await store.catalog.seed(demoSeed('USD', { defaultRateBp: 825, inclusive: false }), clock.now);
	till = await pairTill(rt);
	manager = await login('9999');
	cashier = await login('1111');
}, 180_000);

afterAll(async () => {
	await store?.close();
});

describe('the back-office catalog API', () => {
	it('refuses a cashier (403) and a till without a staff session (401), writing nothing', async () => {
		const version = await store.catalog.version();
		const body = { sku: 'X-1', name: 'X', category: 'coffee', price: 1, taxInclusive: false };
		for (const [handler, path] of [
			[catalogAdminView, '/api/backoffice/catalog'],
			[save('products'), '/api/backoffice/catalog/products'],
			[catalogImport, '/api/backoffice/catalog/import'],
			[listTaxes, '/api/backoffice/taxes'],
			[saveTax, '/api/backoffice/taxes'],
			[setDefaultTax, '/api/backoffice/taxes/default']
		] as const) {
			const asCashier = await call(rt, handler, path, {
				token: till.token,
				session: cashier,
				body: { ...body, role: 'manager' }
			});
			expect(asCashier.status, path).toBe(403);
			expect(asCashier.body.error).toBe('not_a_manager');
			const anonymous = await call(rt, handler, path, { token: till.token, body });
			expect(anonymous.status, path).toBe(401);
		}
		expect(await store.catalog.version()).toBe(version);
	});

	it("adds a product with a required modifier group, audits it, and the till's next ask carries only it", async () => {
		const before = (await call(rt, catalog, '/api/catalog', { token: till.token })).body;
		const group = await call(
			rt,
			save('modifier-groups'),
			'/api/backoffice/catalog/modifier-groups',
			{
				token: till.token,
				session: manager,
				body: {
					name: 'Toppings',
					min: 1,
					max: 2,
					options: [
						{ id: 'cream', name: 'Whipped cream', price: 60 },
						{ id: 'choc', name: 'Chocolate flakes', price: 40 }
					]
				}
			}
		);
		expect(group.status).toBe(200);
		const added = await call(rt, save('products'), '/api/backoffice/catalog/products', {
			token: till.token,
			session: manager,
			body: {
				sku: 'HOT-CHOC',
				name: 'Hot Chocolate',
				category: 'coffee',
				price: 425,
				taxRateId: 'rate-875',
				taxInclusive: false,
				barcodes: ['2990000000123'],
				modifierGroups: [group.body.id]
			}
		});
		expect(added.status).toBe(200);

		const [audit] = await store.listAudit({ kind: 'catalog_change', limit: 1 });
		expect(audit).toMatchObject({
			staffId: 'morgan',
			deviceId: till.deviceId,
			detail: {
				by: { id: 'morgan', name: 'Morgan Manager' },
				what: 'product',
				before: null,
				after: { sku: 'HOT-CHOC', price: 425 }
			}
		});

		const res = await rt.store.catalog.changesSince(before.version, 'USD');
		expect(res.products.map((p) => p.sku)).toEqual(['HOT-CHOC']);
		expect(res.products[0]).toMatchObject({ taxRateBp: 875, modifierGroups: [group.body.id] });
		expect(res.modifierGroups.map((g) => g.name)).toEqual(['Toppings']);
	});

	it('answers a duplicate SKU with 409 and a bad body with 400', async () => {
		const dup = await call(rt, save('products'), '/api/backoffice/catalog/products', {
			token: till.token,
			session: manager,
			body: { sku: 'COF-001', name: 'Copy', category: 'coffee', price: 1, taxInclusive: false }
		});
		expect(dup.status).toBe(409);
		const bad = await call(rt, save('products'), '/api/backoffice/catalog/products', {
			token: till.token,
			session: manager,
			body: { sku: 'N', name: 'N', category: 'coffee', price: -5, taxInclusive: false }
		});
		expect(bad.status).toBe(400);
		for (const image of [
			'javascript:alert(1)',
			'data:image/png;base64,AAAA',
			'//evil.test/x.png'
		]) {
			const res = await call(rt, save('products'), '/api/backoffice/catalog/products', {
				token: till.token,
				session: manager,
				body: { sku: 'IMG', name: 'I', category: 'coffee', price: 1, taxInclusive: false, image }
			});
			expect(res.status, image).toBe(400);
		}
		const nul = await call(rt, save('categories'), '/api/backoffice/catalog/categories', {
			token: till.token,
			session: manager,
			body: { name: 'Bad\u0000name' }
		});
		expect(nul.status).toBe(400);
	});

	it('previews an import naming the bad line, writes only on confirmation, refuses non-UTF-8', async () => {
		const exported = await catalogExport(
			rt,
			await event('/api/backoffice/catalog/export', manager)
		);
		const csv = (await exported.text()).replace(
			/^(COF-002,Double Espresso,Coffee,)3\.80,/m,
			'$14.10,'
		);
		const withBad = `${csv}NEW-9,Broken,Coffee,abc,,false,,true,,,,\r\n`;
		const preview = await call(rt, catalogImport, '/api/backoffice/catalog/import', {
			token: till.token,
			session: manager,
			rawBody: withBad
		});
		expect(preview.status).toBe(200);
		expect(preview.body.counts).toMatchObject({ added: 0, changed: 1, removed: 0, errors: 1 });
		const lines = withBad.trimEnd().split('\r\n').length;
		expect(preview.body.errors).toEqual([
			{ line: lines, reason: expect.stringContaining('price') }
		]);
		expect(preview.body.changed).toEqual([
			{ line: expect.any(Number), sku: 'COF-002', name: 'Double Espresso', fields: ['price'] }
		]);
		const admin = async () => (await store.catalog.adminView('USD')).products;
		expect((await admin()).find((p) => p.sku === 'COF-002')?.price).toBe(380);

		const done = await call(
			rt,
			catalogImport,
			`/api/backoffice/catalog/import?confirm=${preview.body.previewId}`,
			{ token: till.token, session: manager, rawBody: withBad }
		);
		expect(done.body.written).toBe(true);
		expect((await admin()).find((p) => p.sku === 'COF-002')?.price).toBe(410);
		const [audit] = await store.listAudit({ kind: 'catalog_change', limit: 1 });
		expect(audit?.detail).toMatchObject({ what: 'import', counts: { changed: 1 } });

		const latin1 = new Uint8Array([
			...new TextEncoder().encode('sku,name,category,price\nA,Caf'),
			0xe9,
			0x0a
		]);
		const url = new URL('http://pos.test/api/backoffice/catalog/import');
		const request = new Request(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${till.token}`, 'x-staff-session': manager },
			body: latin1
		});
		const caller = await guardApi(rt, url.pathname, request.headers);
		if (caller.response) throw new Error('not let through');
		const refused = await catalogImport(rt, {
			request,
			url,
			locals: { device: caller.caller.device, staff: caller.caller.staff },
			getClientAddress: () => '10.0.0.1'
		});
		expect(refused.status).toBe(400);
	});

	it('keeps named tax rates and a default, and the till prices with them', async () => {
		const saved = await call(rt, saveTax, '/api/backoffice/taxes', {
			token: till.token,
			session: manager,
			body: { name: 'Luxury 20 %', rateBp: 2000 }
		});
		expect(saved.status).toBe(200);
		const def = await call(rt, setDefaultTax, '/api/backoffice/taxes/default', {
			token: till.token,
			session: manager,
			body: { id: saved.body.id }
		});
		expect(def.status).toBe(200);
		const list = await call(rt, listTaxes, '/api/backoffice/taxes', {
			token: till.token,
			session: manager
		});
		expect(list.body.defaultTaxRateId).toBe(saved.body.id);
		// Seeded products at the config's 8.25 % use the default rate: they now sell at 20 %.
		const full = await store.catalog.changesSince(0, 'USD');
		const view = await store.catalog.adminView('USD');
		const onDefault = view.products.filter((p) => p.taxRateId === null && p.active);
		for (const p of onDefault) {
			expect(full.products.find((q) => q.id === p.id)?.taxRateBp).toBe(2000);
		}
	});

	it('compresses the catalog for a till that accepts gzip', async () => {
		const res = await catalog(rt, await event('/api/catalog', null, { 'accept-encoding': 'gzip' }));
		expect(res.headers.get('content-encoding')).toBe('gzip');
		const bytes = Buffer.from(await res.arrayBuffer());
		const body = JSON.parse(gunzipSync(bytes).toString());
		expect(body.products.length).toBeGreaterThan(55);
		expect(bytes.length).toBeLessThan(JSON.stringify(body).length / 3);
	});
});

async function event(path: string, session: string | null, extra: Record<string, string> = {}) {
	const url = new URL(path, 'http://pos.test');
	const headers = new Headers({ authorization: `Bearer ${till.token}`, ...extra });
	if (session) headers.set('x-staff-session', session);
	const guard = await guardApi(rt, url.pathname, headers);
	if (guard.response) throw new Error('not let through');
	return {
		request: new Request(url, { headers }),
		url,
		locals: { device: guard.caller.device, staff: guard.caller.staff },
		getClientAddress: () => '10.0.0.1'
	};
}

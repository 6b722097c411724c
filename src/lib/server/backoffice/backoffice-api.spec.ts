/**
 * The back office over a real database (PGlite, and PostgreSQL when there is one), each call
 * through `guardApi` as the hooks do: first start, staff, terminals, tills, the audit log, and the
 * roles every one of them checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managerApproval } from '../api/manager-approval';
import { pairDevice } from '../api/pair';
import { provisioning } from '../api/provisioning';
import { staffLogin } from '../api/staff-login';
import { call, shopRuntime, type Handler, type TestClock } from '../api/test-harness';
import type { Runtime } from '../runtime';
import type { SqlStore } from '../store/sql-store';
import { testBackends } from '../store/test-stores';
import { listAuditLog } from './audit-admin';
import { getProfile, putProfile, rotatePairingCode } from './profile-admin';
import { setupStatus, setUpStore } from './setup';
import { addStaff, editStaff, listStaff } from './staff-admin';
import { listTerminals, putTerminal, removeTerminal } from './terminal-admin';
import { listTills, revokeTill } from './till-admin';

const SETUP = {
	name: 'Corner Bakery',
	address: '12 Baker St\nSpringfield',
	taxNumber: 'VAT-123',
	currency: 'EUR',
	locale: 'de-DE',
	timeZone: 'Europe/Berlin',
	receiptHeader: 'Fresh every morning',
	receiptFooter: 'Danke!',
	ownerName: 'Olga Owner',
	ownerPin: '4321'
};

const withId =
	(
		handler: (rt: Runtime, event: Parameters<Handler>[1], id: string) => Promise<Response>,
		id: string
	): Handler =>
	(rt, event) =>
		handler(rt, event, id);

describe.each(testBackends)('the back office on $name', { timeout: 120_000 }, (backend) => {
	let store: SqlStore;
	let rt: Runtime;
	const clock: TestClock = { now: 1_800_000_000_000 };
	let pairingCode: string;
	let till: { deviceId: string; token: string };
	let owner: string;

	beforeAll(async () => {
		store = (await backend.open()).store;
		rt = await shopRuntime(store, clock);
	}, 180_000);
	afterAll(async () => {
		await store?.close();
	});

	const login = async (token: string, pin: string) =>
		call(rt, staffLogin, '/api/auth/login', { body: { pin }, token });

	it('first start: setup is open, creates the store once, and a second setup is refused', async () => {
		expect(await (await setupStatus(rt)).json()).toEqual({ needsSetup: true });
		const bad = await call(rt, setUpStore, '/api/setup', { body: { ...SETUP, ownerPin: '12' } });
		expect(bad.status).toBe(400);
		const noSuchDefault = await call(rt, setUpStore, '/api/setup', {
			body: { ...SETUP, taxRates: [{ name: 'VAT', rateBp: 1900 }], defaultTaxRate: 1 }
		});
		expect(noSuchDefault.status).toBe(400);
		const res = await call(rt, setUpStore, '/api/setup', {
			body: {
				...SETUP,
				taxRates: [
					{ name: 'Reduced', rateBp: 700 },
					{ name: 'Standard', rateBp: 1900 }
				],
				defaultTaxRate: 1
			}
		});
		expect(res.status).toBe(201);
		pairingCode = res.body.pairingCode;
		expect(pairingCode).toMatch(/^\d{8}$/);
		const again = await call(rt, setUpStore, '/api/setup', { body: { ...SETUP, name: 'Evil' } });
		expect(again.status).toBe(409);
		expect(again.body.error).toBe('already_set_up');
		expect(await (await setupStatus(rt)).json()).toEqual({ needsSetup: false });
		expect(rt.config.storeName).toBe('Corner Bakery');
		// The rates typed at setup are the catalog's, the one chosen its default.
		const catalog = await store.catalog.adminView('EUR');
		const typed = catalog.taxRates.filter((r) => ['Reduced', 'Standard'].includes(r.name));
		expect(typed.map((r) => [r.name, r.rateBp]).sort()).toEqual([
			['Reduced', 700],
			['Standard', 1900]
		]);
		expect(catalog.defaultTaxRateId).toBe(typed.find((r) => r.name === 'Standard')?.id);
	});

	it('pairs the first till with the setup code, once, and provisions the store profile', async () => {
		const paired = await call(rt, pairDevice, '/api/devices/pair', {
			body: { code: pairingCode, name: 'Front' }
		});
		expect(paired.status).toBe(200);
		till = paired.body;
		const twice = await call(rt, pairDevice, '/api/devices/pair', {
			body: { code: pairingCode, name: 'Other' },
			ip: '10.0.0.9'
		});
		expect(twice.status).toBe(401);
		const config = await call(rt, provisioning, '/api/config', { token: till.token });
		expect(config.body).toMatchObject({
			storeName: 'Corner Bakery',
			currency: 'EUR',
			terminals: [],
			demo: false,
			store: {
				address: '12 Baker St\nSpringfield',
				taxNumber: 'VAT-123',
				receiptHeader: 'Fresh every morning',
				receiptFooter: 'Danke!',
				locale: 'de-DE',
				timeZone: 'Europe/Berlin'
			}
		});
	});

	it('the owner signs in and adds a cashier; a PIN someone has is refused', async () => {
		const signedIn = await login(till.token, '4321');
		expect(signedIn.status).toBe(200);
		expect(signedIn.body.staff.role).toBe('owner');
		owner = signedIn.body.sessionToken;
		clock.now += 60_000; // the cashier is added a minute after the owner (the list's order)
		const added = await call(rt, addStaff, '/api/backoffice/staff', {
			token: till.token,
			session: owner,
			body: { name: 'Cass Cashier', role: 'cashier', pin: '1111' }
		});
		expect(added.status).toBe(201);
		expect(added.body.member).toMatchObject({
			name: 'Cass Cashier',
			role: 'cashier',
			active: true
		});
		expect(JSON.stringify(added.body)).not.toContain('scrypt');
		const clash = await call(rt, addStaff, '/api/backoffice/staff', {
			token: till.token,
			session: owner,
			body: { name: 'Copy Cat', role: 'cashier', pin: '4321' }
		});
		expect(clash.status).toBe(409);
		expect(clash.body.error).toBe('pin_taken');
		const list = await call(rt, listStaff, '/api/backoffice/staff', {
			token: till.token,
			session: owner
		});
		expect(list.body.staff.map((s: { name: string }) => s.name)).toEqual([
			'Olga Owner',
			'Cass Cashier'
		]);
	});

	it("refuses every back-office call of a cashier's session (403) and of no session (401)", async () => {
		const cashier = await login(till.token, '1111');
		expect(cashier.status).toBe(200);
		const session = cashier.body.sessionToken;
		const calls: [Handler, string][] = [
			[listStaff, '/api/backoffice/staff'],
			[listTerminals, '/api/backoffice/terminals'],
			[listTills, '/api/backoffice/tills'],
			[listAuditLog, '/api/backoffice/audit'],
			[getProfile, '/api/backoffice/profile'],
			[rotatePairingCode, '/api/backoffice/pairing-code']
		];
		for (const [handler, path] of calls) {
			const res = await call(rt, handler, path, { token: till.token, session });
			expect(res.status, path).toBe(403);
			const anonymous = await call(rt, handler, path, { token: till.token });
			expect(anonymous.status, path).toBe(401);
		}
		const promote = await call(rt, addStaff, '/api/backoffice/staff', {
			token: till.token,
			session,
			body: { name: 'Me Again', role: 'owner', pin: '7777' }
		});
		expect(promote.status).toBe(403);
	});

	it('keeps the last owner, lets only an owner make an owner, and signs a disabled member out', async () => {
		const staff = (
			await call(rt, listStaff, '/api/backoffice/staff', { token: till.token, session: owner })
		).body.staff as { id: string; name: string }[];
		const ownerId = staff.find((s) => s.name === 'Olga Owner')!.id;
		const cashierId = staff.find((s) => s.name === 'Cass Cashier')!.id;
		for (const change of [{ active: false }, { role: 'manager' }]) {
			const res = await call(rt, withId(editStaff, ownerId), `/api/backoffice/staff/${ownerId}`, {
				method: 'PATCH',
				token: till.token,
				session: owner,
				body: change
			});
			expect(res.status).toBe(409);
			expect(res.body.error).toBe('last_owner');
		}
		// A manager may not create an owner.
		const manager = await call(rt, addStaff, '/api/backoffice/staff', {
			token: till.token,
			session: owner,
			body: { name: 'Max Manager', role: 'manager', pin: '5555' }
		});
		expect(manager.status).toBe(201);
		const managerSession = (await login(till.token, '5555')).body.sessionToken;
		const byManager = await call(rt, withId(editStaff, cashierId), '/x', {
			method: 'PATCH',
			token: till.token,
			session: managerSession,
			body: { role: 'owner' }
		});
		expect(byManager.status).toBe(403);

		const cashierSession = (await login(till.token, '1111')).body.sessionToken;
		const disabled = await call(rt, withId(editStaff, cashierId), '/x', {
			method: 'PATCH',
			token: till.token,
			session: managerSession,
			body: { active: false }
		});
		expect(disabled.status).toBe(200);
		expect((await login(till.token, '1111')).status).toBe(401);
		// The session from before is no one's now: the cashier is signed out at once.
		const after = await call(rt, listStaff, '/api/backoffice/staff', {
			token: till.token,
			session: cashierSession
		});
		expect(after.status).toBe(401);

		// A reset PIN is checked against every other hash too, then signs in.
		const reset = await call(rt, withId(editStaff, cashierId), '/x', {
			method: 'PATCH',
			token: till.token,
			session: owner,
			body: { active: true, pin: '5555' }
		});
		expect(reset.status).toBe(409);
		const ok = await call(rt, withId(editStaff, cashierId), '/x', {
			method: 'PATCH',
			token: till.token,
			session: owner,
			body: { active: true, pin: '2468' }
		});
		expect(ok.status).toBe(200);
		expect((await login(till.token, '2468')).body.staff.name).toBe('Cass Cashier');
	});

	it('adds, edits and removes terminals, checked by their rail, and provisions them to the tills', async () => {
		const path = '/api/backoffice/terminals/lan-1';
		const lan = {
			id: 'lan-1',
			name: 'Counter',
			rail: 'codepay-lan',
			currency: 'EUR',
			params: { host: '192.168.1.20', port: 35779, appId: 'app' }
		};
		const badRail = await call(rt, withId(putTerminal, 'lan-1'), path, {
			method: 'PUT',
			token: till.token,
			session: owner,
			body: { ...lan, rail: 'no-such-rail' }
		});
		expect(badRail.status).toBe(400);
		const secret = await call(rt, withId(putTerminal, 'lan-1'), path, {
			method: 'PUT',
			token: till.token,
			session: owner,
			body: { ...lan, params: { ...lan.params, apiSecret: 'x' } }
		});
		expect(secret.status).toBe(400);
		const added = await call(rt, withId(putTerminal, 'lan-1'), path, {
			method: 'PUT',
			token: till.token,
			session: owner,
			body: lan
		});
		expect(added.status).toBe(201);
		const edited = await call(rt, withId(putTerminal, 'lan-1'), path, {
			method: 'PUT',
			token: till.token,
			session: owner,
			body: { ...lan, name: 'Counter 2' }
		});
		expect(edited.status).toBe(200);
		const config = await call(rt, provisioning, '/api/config', { token: till.token });
		expect(config.body.terminals).toEqual([{ ...lan, name: 'Counter 2', provisioned: true }]);
		const removed = await call(rt, withId(removeTerminal, 'lan-1'), path, {
			method: 'DELETE',
			token: till.token,
			session: owner
		});
		expect(removed.status).toBe(200);
		expect(
			(await call(rt, provisioning, '/api/config', { token: till.token })).body.terminals
		).toEqual([]);
	});

	it('lists the tills with what they report, and a revoked till is refused at once', async () => {
		const rotated = await call(rt, rotatePairingCode, '/api/backoffice/pairing-code', {
			method: 'POST',
			token: till.token,
			session: owner,
			body: {}
		});
		expect(rotated.status).toBe(200);
		const second = await call(rt, pairDevice, '/api/devices/pair', {
			body: { code: rotated.body.code, name: 'Back' },
			ip: '10.0.0.7'
		});
		expect(second.status).toBe(200);
		const back = second.body as { deviceId: string; token: string };
		// The till says what it still has to sync with each call (a sync, a config poll).
		const url = new URL('/api/config', 'http://pos.test');
		const { guardApi } = await import('../auth/guard');
		await guardApi(
			rt,
			url.pathname,
			new Headers({
				authorization: `Bearer ${back.token}`,
				'x-till-unsynced': '4',
				'x-app-version': '0.1.0+b7'
			})
		);
		const revoked = await call(rt, withId(revokeTill, back.deviceId), '/x', {
			method: 'POST',
			token: till.token,
			session: owner,
			body: {}
		});
		expect(revoked.status).toBe(200);
		const refused = await call(rt, provisioning, '/api/config', { token: back.token });
		expect(refused.status).toBe(401);
		expect(refused.body.error).toBe('device_revoked');
		expect(refused.body.message).toContain('removed by a manager');
		const tills = await call(rt, listTills, '/api/backoffice/tills', {
			token: till.token,
			session: owner
		});
		expect(tills.body.tills.find((t: { id: string }) => t.id === back.deviceId)).toMatchObject({
			name: 'Back',
			unsynced: 4,
			appVersion: '0.1.0+b7',
			revokedAt: clock.now
		});
		// Its own till cannot be revoked from itself.
		const own = await call(rt, withId(revokeTill, till.deviceId), '/x', {
			method: 'POST',
			token: till.token,
			session: owner,
			body: {}
		});
		expect(own.status).toBe(409);
	});

	it('edits the store profile, and logs every change and approval, newest first, exportable', async () => {
		const { name, address, taxNumber, currency, locale, timeZone, receiptHeader } = SETUP;
		const changed = await call(rt, putProfile, '/api/backoffice/profile', {
			method: 'PUT',
			token: till.token,
			session: owner,
			body: {
				name,
				address,
				taxNumber,
				currency,
				locale,
				timeZone,
				receiptHeader,
				receiptFooter: 'Tschüss'
			}
		});
		expect(changed.status).toBe(200);
		const badZone = await call(rt, putProfile, '/api/backoffice/profile', {
			method: 'PUT',
			token: till.token,
			session: owner,
			body: { ...changed.body.profile, timeZone: 'Mars/Olympus' }
		});
		expect(badZone.status).toBe(400);
		const approval = await call(rt, managerApproval, '/api/auth/manager', {
			token: till.token,
			session: owner,
			body: { pin: '4321', action: 'batch_close', terminalId: 'lan-1' }
		});
		expect(approval.status).toBe(200);

		const log = await call(rt, listAuditLog, '/api/backoffice/audit', {
			token: till.token,
			session: owner
		});
		const kinds = log.body.entries.map((e: { kind: string }) => e.kind);
		expect(kinds[0]).toBe('approval.batch_close');
		for (const kind of [
			'store.set_up',
			'staff.added',
			'staff.disabled',
			'terminal.added',
			'terminal.changed',
			'terminal.removed',
			'till.revoked',
			'pairing_code.rotated',
			'store.changed'
		]) {
			expect(kinds).toContain(kind);
		}
		const storeChange = log.body.entries.find((e: { kind: string }) => e.kind === 'store.changed');
		expect(storeChange.detail.before.receiptFooter).toBe('Danke!');
		expect(storeChange.detail.after.receiptFooter).toBe('Tschüss');
		expect(JSON.stringify(log.body)).not.toMatch(/scrypt|4321|pinHash/);

		const onlyTerminals = await call(
			rt,
			listAuditLog,
			'/api/backoffice/audit?kind=terminal.added',
			{
				token: till.token,
				session: owner
			}
		);
		expect(onlyTerminals.body.entries).toHaveLength(1);

		const url = new URL('/api/backoffice/audit?format=csv', 'http://pos.test');
		const csv = await listAuditLog(rt, {
			request: new Request(url),
			url,
			locals: { device: { id: till.deviceId }, staff: { id: 'x', name: 'Olga', role: 'owner' } },
			getClientAddress: () => '10.0.0.1'
		});
		expect(csv.headers.get('content-disposition')).toMatch(
			/^attachment; filename="audit-.*\.csv"$/
		);
		const text = await csv.text();
		expect(text.split('\r\n')[0]).toBe('at,kind,staffId,deviceId,detail');
		expect(text).toContain('store.set_up');
	});
});

/**
 * First start (issue 13): while the database holds no shop (and no `POS_CONFIG` seeded one),
 * `GET /api/setup` says so and `POST /api/setup` creates it: the store's profile and its owner,
 * answering the code that pairs the first till, once. A second setup is refused, and of setups
 * racing on several instances exactly one wins (the profile's single-row key, `ShopStore.create`).
 * The tax rates typed there become the catalog's named rates, one of them the store's default.
 */
import { json } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod/mini';
import { cleanString } from '$lib/text/clean-text';
import { pairingCodeHash } from '../auth/pairing-codes';
import { hashPin } from '../auth/pin';
import { jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { taxRateInput } from '$lib/catalog/admin-model';
import { saveTaxRates } from '../catalog/taxes';
import { auditChange } from './audit';
import { newPairingCode, profileSchema } from './profile-schema';
import { PIN_PATTERN } from './staff-rules';

const setupBody = z
	.extend(profileSchema, {
		ownerName: cleanString().check(z.trim()).check(z.minLength(1)).check(z.maxLength(80)),
		ownerPin: z.string().check(z.regex(PIN_PATTERN, 'a PIN is 4 to 8 digits')),
		/** The store's named tax rates; `defaultTaxRate` is the index of the default one. */
		taxRates: z._default(
			z.array(z.pick(taxRateInput, { name: true, rateBp: true })).check(z.maxLength(20)),
			[]
		),
		defaultTaxRate: z._default(z.int().check(z.gte(0)).check(z.lte(19)), 0)
	})
	.check(
		z.refine((b) => b.taxRates.length === 0 || b.defaultTaxRate < b.taxRates.length, {
			message: 'the default tax rate must be one of the rates',
			path: ['defaultTaxRate']
		})
	);

const alreadySetUp = () =>
	jsonError(409, 'already_set_up', 'This store is set up already. Sign in on a paired till.');

export async function setupStatus(rt: Runtime): Promise<Response> {
	await rt.refresh();
	return json({ needsSetup: !rt.hasShop });
}

export async function setUpStore(rt: Runtime, event: ApiEvent): Promise<Response> {
	await rt.refresh();
	if (rt.hasShop) return alreadySetUp();
	const body = await parseJsonBody(event.request, setupBody);
	if (!body.ok) return body.response;
	const { ownerName, ownerPin, taxRates, defaultTaxRate, ...profile } = body.data;
	const owner = {
		id: `staff-${randomUUID().slice(0, 8)}`,
		name: ownerName,
		role: 'owner' as const,
		pinHash: await hashPin(ownerPin),
		active: true
	};
	const code = newPairingCode();
	const now = rt.now();
	const created = await rt.store.shop.create({
		profile: { ...profile, devicePrefix: 'POS', demo: false },
		pairingCodeHash: pairingCodeHash(code),
		staff: [owner],
		terminals: [],
		source: 'setup',
		now
	});
	if (!created) return alreadySetUp();
	await auditChange(
		rt.store,
		{ deviceId: null, staffId: owner.id, staffName: owner.name },
		'store.set_up',
		null,
		{ ...profile, owner: { id: owner.id, name: owner.name, role: owner.role } },
		now
	);
	if (taxRates.length > 0) {
		await saveTaxRates(
			rt.store,
			taxRates.map((rate) => ({ ...rate, active: true })),
			defaultTaxRate,
			{ deviceId: null, staffId: owner.id, name: owner.name },
			now
		);
	}
	await rt.refresh();
	return json({ pairingCode: code, owner: { id: owner.id, name: owner.name } }, { status: 201 });
}

/**
 * The store's tax rates: named ("Sales tax 8.25 %"), one of them the default that products
 * without a rate of their own use. The pricing code reads what is configured here: the till gets
 * each product's rate figure with the catalog.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types';
import type { Actor } from './actor';
import { auditCatalogChange, saveAudited } from './catalog-audit';
import type { TaxRate, TaxRateInput } from '$lib/catalog/admin-model';

/** Saves one rate (a new one without `id`); audited. Returns the rate as saved. */
export function saveTaxRate(
	store: Store,
	input: TaxRateInput,
	actor: Actor,
	now: number
): Promise<TaxRate> {
	const rate: TaxRate = { ...input, id: input.id ?? randomUUID() };
	return saveAudited(store, 'tax_rate', rate, (r) => store.catalog.saveTaxRate(r, now), actor, now);
}

/** Makes `id` the store's default rate; audited. */
export async function setDefaultTaxRate(
	store: Store,
	id: string,
	actor: Actor,
	now: number
): Promise<void> {
	const before = await store.catalog.setDefaultTaxRate(id, now);
	await auditCatalogChange(store, now, {
		...actorOf(actor),
		what: 'default_tax_rate',
		id,
		before: { defaultTaxRateId: before },
		after: { defaultTaxRateId: id }
	});
}

/**
 * The setup screen's call: saves the initial rates and which of them is the default (an index
 * into `rates` or one of their ids). Returns the saved rates.
 */
export async function saveTaxRates(
	store: Store,
	rates: TaxRateInput[],
	defaultId: string | number,
	actor: Actor,
	now: number
): Promise<TaxRate[]> {
	const saved: TaxRate[] = [];
	for (const input of rates) saved.push(await saveTaxRate(store, input, actor, now));
	const chosen =
		typeof defaultId === 'number' ? saved[defaultId] : saved.find((r) => r.id === defaultId);
	if (chosen) await setDefaultTaxRate(store, chosen.id, actor, now);
	return saved;
}

function actorOf(actor: Actor) {
	return { deviceId: actor.deviceId, staffId: actor.staffId, staffName: actor.name };
}

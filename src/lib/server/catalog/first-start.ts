/**
 * The catalog's first start: an empty catalog gets its seed once (the demo's in demo mode or with
 * `"catalogSeed": "demo"`, a CSV file when `catalogSeed` names one, else only the config's
 * default tax rate). From then on the database is the catalog and the config is not read for it.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, type PosConfig } from '../config';
import type { Store } from '../store/types';
import { importCsvText } from './csv-import';
import { demoSeed, taxOnlySeed } from './seed';

export async function seedCatalogOnFirstStart(
	store: Store,
	config: PosConfig,
	now: number
): Promise<void> {
	if (await store.catalog.isSeeded()) return;
	const source = config.catalogSeed ?? (config.demo ? 'demo' : undefined);
	if (source === 'demo') {
		await store.catalog.seed(demoSeed(config.currency, config.tax), now);
		return;
	}
	const wrote = await store.catalog.seed(taxOnlySeed(config.tax), now);
	if (!wrote || source === undefined) return;
	let text: string;
	try {
		text = await readFile(source, 'utf8');
	} catch (error) {
		throw new ConfigError(`Cannot read the catalog seed ${source}: ${(error as Error).message}`);
	}
	const result = await importCsvText(store, config.currency, text, now);
	if (result.errors.length) {
		const lines = result.errors.slice(0, 20).map((e) => `  line ${e.line}: ${e.reason}`);
		throw new ConfigError(`The catalog seed ${source} has bad lines:\n${lines.join('\n')}`);
	}
}

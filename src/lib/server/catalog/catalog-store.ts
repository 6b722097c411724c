/**
 * The catalog and tax rates in the server's database (migration 8), the same SQL on PGlite and
 * PostgreSQL. Every write runs in one transaction that takes the next catalog version from the
 * `catalog_settings` row (its row lock orders concurrent writers) and stamps what it changed, so
 * `changesSince` can answer a till with only what changed. Nothing is deleted: a product, category
 * or group taken off the catalog is deactivated, which is a change like any other.
 */
import type { CatalogChanges, Product } from '$lib/catalog/types';
import type { SqlClient, SqlExecutor } from '../store/sql';
import { StoreConflictError } from '../store/types';
import type {
	CatalogAdminView,
	CatalogSeed,
	StoredCategory,
	StoredModifierGroup,
	StoredProduct,
	TaxRate
} from '$lib/catalog/admin-model';

type Row = Record<string, unknown>;
const json = (value: unknown) => JSON.stringify(value);
const num = (value: unknown) => Number(value);
const opt = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

function toTaxRate(row: Row): TaxRate {
	return {
		id: String(row.id),
		name: String(row.name),
		rateBp: num(row.rate_bp),
		active: row.active === true
	};
}

function toCategory(row: Row): StoredCategory {
	return {
		id: String(row.id),
		name: String(row.name),
		color: (row.color as string | null) ?? null,
		order: num(row.sort),
		active: row.active === true
	};
}

function toGroup(row: Row): StoredModifierGroup {
	return {
		id: String(row.id),
		name: String(row.name),
		min: num(row.min_choices),
		max: num(row.max_choices),
		options: row.options as StoredModifierGroup['options'],
		active: row.active === true
	};
}

function toProduct(row: Row): StoredProduct {
	const min = row.open_price_min;
	return {
		id: String(row.id),
		sku: String(row.sku),
		name: String(row.name),
		category: String(row.category_id),
		price: num(row.price),
		taxRateId: (row.tax_rate_id as string | null) ?? null,
		taxInclusive: row.tax_inclusive === true,
		barcodes: row.barcodes as string[],
		modifierGroups: row.modifier_group_ids as string[],
		openPrice: min === null ? null : { min: num(min), max: num(row.open_price_max) },
		image: (row.image as string | null) ?? null,
		color: (row.color as string | null) ?? null,
		active: row.active === true
	};
}

/** A product as the till reads it: its tax rate's figure, its own or its category's colour. */
function toTillProduct(row: Row): Product {
	const p = toProduct(row);
	const color = p.color ?? opt(row.category_color as string | null);
	return {
		id: p.id,
		sku: p.sku,
		name: p.name,
		category: p.category,
		price: p.price,
		taxRateBp: num(row.rate_bp ?? 0),
		taxInclusive: p.taxInclusive,
		...(p.barcodes.length ? { barcode: p.barcodes[0], barcodes: p.barcodes } : {}),
		...(color ? { color } : {}),
		...(p.modifierGroups.length ? { modifierGroups: p.modifierGroups } : {}),
		...(p.openPrice ? { openPrice: p.openPrice } : {}),
		...(p.image ? { image: p.image } : {})
	};
}

const PRODUCT_COLUMNS = `id, sku, name, category_id, price, tax_rate_id, tax_inclusive, barcodes,
	modifier_group_ids, open_price_min, open_price_max, image, color, active`;

/** Products as the till reads them, with their rate and category colour; `$1` is the version. */
const TILL_PRODUCTS = `select p.*, (p.active and c.active is not false) as live,
		coalesce(t.rate_bp, 0) as rate_bp, c.color as category_color
	from catalog_products p
	left join catalog_categories c on c.id = p.category_id
	left join tax_rates t on t.id = coalesce(p.tax_rate_id,
		(select default_tax_rate_id from catalog_settings where id = 1))
	where p.version > $1`;

/** The record-set columns of one product row in a bulk write (see `writeProducts`). */
const RECORDSET = `x(id text, sku text, name text, category_id text, price bigint, tax_rate_id text,
	tax_inclusive boolean, barcodes jsonb, modifier_group_ids jsonb, open_price_min bigint,
	open_price_max bigint, image text, color text, active boolean)`;

function productRecord(p: StoredProduct) {
	return {
		id: p.id,
		sku: p.sku,
		name: p.name,
		category_id: p.category,
		price: p.price,
		tax_rate_id: p.taxRateId,
		tax_inclusive: p.taxInclusive,
		barcodes: p.barcodes,
		modifier_group_ids: p.modifierGroups,
		open_price_min: p.openPrice?.min ?? null,
		open_price_max: p.openPrice?.max ?? null,
		image: p.image,
		color: p.color,
		active: p.active
	};
}

/** The catalog changed under a plan made against an older version. */
export class StaleCatalogError extends Error {
	readonly code = 'stale_catalog';
	constructor() {
		super('The catalog changed since the preview.');
		this.name = 'StaleCatalogError';
	}
}

export interface CatalogWrite {
	version: number;
	now: number;
}

export class CatalogStore {
	readonly #db: SqlClient;

	constructor(db: SqlClient) {
		this.#db = db;
	}

	/** The newest catalog version (0 before anything was written). */
	async version(): Promise<number> {
		const [row] = await this.#db.query('select version from catalog_settings where id = 1');
		return num(row?.version ?? 0);
	}

	/** Runs `fn` in one transaction under the next catalog version. */
	async write<T>(now: number, fn: (tx: SqlExecutor, at: CatalogWrite) => Promise<T>): Promise<T> {
		return this.#db.transaction(async (tx) => {
			const [row] = await tx.query(
				'update catalog_settings set version = version + 1 where id = 1 returning version'
			);
			return fn(tx, { version: num(row!.version), now });
		});
	}

	/** Writes `seed` unless a catalog was seeded already; true when it wrote. */
	async seed(seed: CatalogSeed, now: number): Promise<boolean> {
		return this.write(now, async (tx, at) => {
			const [row] = await tx.query('select seeded_at from catalog_settings where id = 1');
			if (row?.seeded_at !== null && row?.seeded_at !== undefined) return false;
			for (const rate of seed.taxRates) await upsertTaxRate(tx, rate, at);
			await tx.query('update catalog_settings set default_tax_rate_id = $1, seeded_at = $2', [
				seed.defaultTaxRateId,
				now
			]);
			for (const category of seed.categories) await upsertCategory(tx, category, at);
			for (const group of seed.modifierGroups) await upsertGroup(tx, group, at);
			await writeProducts(tx, seed.products, at);
			return true;
		});
	}

	async isSeeded(): Promise<boolean> {
		const [row] = await this.#db.query('select seeded_at from catalog_settings where id = 1');
		return row?.seeded_at !== null && row?.seeded_at !== undefined;
	}

	/** Everything, inactive too, for the back office. */
	async adminView(currency: string): Promise<CatalogAdminView> {
		const [settings] = await this.#db.query(
			'select version, default_tax_rate_id from catalog_settings where id = 1'
		);
		const taxRates = await this.#db.query('select * from tax_rates order by rate_bp desc, name');
		const categories = await this.#db.query('select * from catalog_categories order by sort, name');
		const groups = await this.#db.query('select * from catalog_modifier_groups order by name');
		const products = await this.#db.query(
			`select ${PRODUCT_COLUMNS} from catalog_products order by sku`
		);
		return {
			version: num(settings?.version ?? 0),
			currency,
			defaultTaxRateId: (settings?.default_tax_rate_id as string | null) ?? null,
			taxRates: taxRates.map(toTaxRate),
			categories: categories.map(toCategory),
			modifierGroups: groups.map(toGroup),
			products: products.map(toProduct)
		};
	}

	/**
	 * What a till at `since` lacks: every row changed after it (all live rows when `since` is 0).
	 * The version is read first: a row written meanwhile comes now and again next time, never
	 * not at all.
	 */
	async changesSince(since: number, currency: string): Promise<CatalogChanges> {
		const version = await this.version();
		const full = since <= 0 || since > version;
		const from = full ? 0 : since;
		const categories = await this.#db.query(
			'select * from catalog_categories where version > $1 order by sort, name',
			[from]
		);
		const groups = await this.#db.query(
			'select * from catalog_modifier_groups where version > $1 order by name',
			[from]
		);
		const products = await this.#db.query(`${TILL_PRODUCTS} order by p.sku`, [from]);
		const live = <T>(rows: Row[], map: (row: Row) => T, key = 'active') =>
			rows.filter((r) => r[key] === true).map(map);
		const gone = (rows: Row[], key = 'active') =>
			full ? [] : rows.filter((r) => r[key] !== true).map((r) => String(r.id));
		return {
			currency,
			version,
			full,
			categories: live(categories, (row) => {
				const c = toCategory(row);
				return { id: c.id, name: c.name, order: c.order, ...(c.color ? { color: c.color } : {}) };
			}),
			modifierGroups: live(groups, (row) => {
				const { active: _active, ...group } = toGroup(row);
				return group;
			}),
			products: live(products, toTillProduct, 'live'),
			removed: {
				categories: gone(categories),
				modifierGroups: gone(groups),
				products: gone(products, 'live')
			}
		};
	}

	async saveTaxRate(rate: TaxRate, now: number): Promise<TaxRate | null> {
		return this.write(now, async (tx, at) => {
			const before = await one(tx, 'tax_rates', rate.id, toTaxRate);
			if (!rate.active && before?.active) {
				const [use] = await tx.query(
					`select
						(select count(*) from catalog_products where tax_rate_id = $1 and active) as products,
						(select count(*) from catalog_settings where default_tax_rate_id = $1) as defaults`,
					[rate.id]
				);
				if (num(use?.products) > 0 || num(use?.defaults) > 0) {
					throw new StoreConflictError(
						'This tax rate is in use (by products or as the default); move them to another rate first.'
					);
				}
			}
			await upsertTaxRate(tx, rate, at);
			if (before && before.rateBp !== rate.rateBp) await touchProductsOfRate(tx, rate.id, at);
			return before;
		});
	}

	async setDefaultTaxRate(id: string, now: number): Promise<string | null> {
		return this.write(now, async (tx, at) => {
			const rate = await one(tx, 'tax_rates', id, toTaxRate);
			if (!rate?.active) throw new StoreConflictError('There is no active tax rate with that id.');
			const [row] = await tx.query('select default_tax_rate_id from catalog_settings where id = 1');
			const before = (row?.default_tax_rate_id as string | null) ?? null;
			await tx.query('update catalog_settings set default_tax_rate_id = $1 where id = 1', [id]);
			// Products on the default rate now sell at another figure.
			await tx.query(
				'update catalog_products set version = $1, updated_at = $2 where tax_rate_id is null',
				[at.version, at.now]
			);
			return before;
		});
	}

	async saveCategory(category: StoredCategory, now: number): Promise<StoredCategory | null> {
		return this.write(now, async (tx, at) => {
			const before = await one(tx, 'catalog_categories', category.id, toCategory);
			await upsertCategory(tx, category, at);
			if (before && (before.color !== category.color || before.active !== category.active)) {
				// Its products' tiles change colour, or leave and come back with it.
				await tx.query(
					'update catalog_products set version = $1, updated_at = $2 where category_id = $3',
					[at.version, at.now, category.id]
				);
			}
			return before;
		});
	}

	async saveModifierGroup(
		group: StoredModifierGroup,
		now: number
	): Promise<StoredModifierGroup | null> {
		return this.write(now, async (tx, at) => {
			const before = await one(tx, 'catalog_modifier_groups', group.id, toGroup);
			await upsertGroup(tx, group, at);
			return before;
		});
	}

	async saveProduct(product: StoredProduct, now: number): Promise<StoredProduct | null> {
		return this.write(now, async (tx, at) => {
			await checkReferences(tx, product);
			const [clash] = await tx.query(
				'select id from catalog_products where sku = $1 and id <> $2',
				[product.sku, product.id]
			);
			if (clash) throw new StoreConflictError(`Another product has the SKU ${product.sku}.`);
			const rows = await tx.query(`select ${PRODUCT_COLUMNS} from catalog_products where id = $1`, [
				product.id
			]);
			await writeProducts(tx, [product], at);
			return rows[0] ? toProduct(rows[0]) : null;
		});
	}

	/**
	 * An import's writes in one transaction: new categories, then every added or changed product
	 * (one statement however many), then the products taken off deactivated. Refused (null) when
	 * the catalog is no longer at `planned`, the version the plan was made against.
	 */
	async applyImport(
		plan: { categories: StoredCategory[]; products: StoredProduct[]; deactivate: string[] },
		planned: number,
		now: number
	): Promise<number> {
		return this.write(now, async (tx, at) => {
			if (at.version !== planned + 1) throw new StaleCatalogError();
			for (const category of plan.categories) await upsertCategory(tx, category, at);
			await writeProducts(tx, plan.products, at);
			if (plan.deactivate.length) {
				await tx.query(
					`update catalog_products set active = false, version = $1, updated_at = $2
					where id in (select jsonb_array_elements_text($3::text::jsonb))`,
					[at.version, at.now, json(plan.deactivate)]
				);
			}
			return at.version;
		});
	}
}

async function one<T>(
	tx: SqlExecutor,
	table: string,
	id: string,
	map: (row: Row) => T
): Promise<T | null> {
	const [row] = await tx.query(`select * from ${table} where id = $1`, [id]);
	return row ? map(row) : null;
}

async function checkReferences(tx: SqlExecutor, product: StoredProduct): Promise<void> {
	const [row] = await tx.query(
		`select
			(select count(*) from catalog_categories where id = $1) as category,
			(select count(*) from tax_rates where id = $2 and active) as rate,
			(select count(*) from catalog_modifier_groups
				where id in (select jsonb_array_elements_text($3::text::jsonb))) as groups`,
		[product.category, product.taxRateId, json(product.modifierGroups)]
	);
	if (num(row?.category) === 0) throw new StoreConflictError('There is no such category.');
	if (product.taxRateId !== null && num(row?.rate) === 0) {
		throw new StoreConflictError('There is no active tax rate with that id.');
	}
	if (num(row?.groups) !== new Set(product.modifierGroups).size) {
		throw new StoreConflictError('A modifier group of this product does not exist.');
	}
}

async function upsertTaxRate(tx: SqlExecutor, rate: TaxRate, at: CatalogWrite): Promise<void> {
	await tx.query(
		`insert into tax_rates (id, name, rate_bp, active, version, updated_at)
		values ($1, $2, $3, $4, $5, $6)
		on conflict (id) do update set name = excluded.name, rate_bp = excluded.rate_bp,
			active = excluded.active, version = excluded.version, updated_at = excluded.updated_at`,
		[rate.id, rate.name, rate.rateBp, rate.active, at.version, at.now]
	);
}

async function touchProductsOfRate(tx: SqlExecutor, rateId: string, at: CatalogWrite) {
	await tx.query(
		`update catalog_products set version = $1, updated_at = $2
		where tax_rate_id = $3 or (tax_rate_id is null and $3 =
			(select default_tax_rate_id from catalog_settings where id = 1))`,
		[at.version, at.now, rateId]
	);
}

async function upsertCategory(tx: SqlExecutor, c: StoredCategory, at: CatalogWrite) {
	await tx.query(
		`insert into catalog_categories (id, name, color, sort, active, version, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7)
		on conflict (id) do update set name = excluded.name, color = excluded.color,
			sort = excluded.sort, active = excluded.active, version = excluded.version,
			updated_at = excluded.updated_at`,
		[c.id, c.name, c.color, c.order, c.active, at.version, at.now]
	);
}

async function upsertGroup(tx: SqlExecutor, g: StoredModifierGroup, at: CatalogWrite) {
	await tx.query(
		`insert into catalog_modifier_groups
			(id, name, min_choices, max_choices, options, active, version, updated_at)
		values ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8)
		on conflict (id) do update set name = excluded.name, min_choices = excluded.min_choices,
			max_choices = excluded.max_choices, options = excluded.options, active = excluded.active,
			version = excluded.version, updated_at = excluded.updated_at`,
		[g.id, g.name, g.min, g.max, json(g.options), g.active, at.version, at.now]
	);
}

/** Inserts or replaces many products in one statement (an import of 20,000 is one round trip). */
async function writeProducts(tx: SqlExecutor, products: StoredProduct[], at: CatalogWrite) {
	if (products.length === 0) return;
	await tx.query(
		`insert into catalog_products (${PRODUCT_COLUMNS}, version, updated_at)
		select x.*, $2::bigint, $3::bigint from jsonb_to_recordset($1::text::jsonb) as ${RECORDSET}
		on conflict (id) do update set sku = excluded.sku, name = excluded.name,
			category_id = excluded.category_id, price = excluded.price,
			tax_rate_id = excluded.tax_rate_id, tax_inclusive = excluded.tax_inclusive,
			barcodes = excluded.barcodes, modifier_group_ids = excluded.modifier_group_ids,
			open_price_min = excluded.open_price_min, open_price_max = excluded.open_price_max,
			image = excluded.image, color = excluded.color, active = excluded.active,
			version = excluded.version, updated_at = excluded.updated_at`,
		[json(products.map(productRecord)), at.version, at.now]
	);
}

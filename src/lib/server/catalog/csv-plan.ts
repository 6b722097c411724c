/**
 * An import's plan, pure: the file's products matched to the catalog's by SKU, sorted into added,
 * changed and unchanged; the catalog's active products the file does not name are "removed", which
 * means deactivated (kept for old orders and reports, and back with the next file that names them).
 * Products on a bad line are left as they are; when a bad line has no readable SKU nothing is
 * removed, since that line might have been any product.
 */
import { parseCsv } from '$lib/catalog/csv';
import type { CatalogAdminView, StoredCategory, StoredProduct } from '$lib/catalog/admin-model';
import {
	readHeader,
	readLine,
	type CsvColumn,
	type CsvLineError,
	type CsvProduct
} from './csv-columns';

export interface PlannedChange {
	line: number;
	sku: string;
	name: string;
	/** The columns that differ (changes only). */
	fields?: string[];
	before?: StoredProduct;
	after: StoredProduct;
}

export interface ImportPlan {
	added: PlannedChange[];
	changed: PlannedChange[];
	removed: StoredProduct[];
	unchanged: number;
	newCategories: StoredCategory[];
	errors: CsvLineError[];
	/** Why nothing is removed although the file leaves products out, if so. */
	keptBecause?: string;
}

const COMPARED: (keyof StoredProduct)[] = [
	'name',
	'category',
	'price',
	'taxRateId',
	'taxInclusive',
	'barcodes',
	'active',
	'modifierGroups',
	'openPrice',
	'image'
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function planImport(
	text: string,
	catalog: CatalogAdminView,
	newId: () => string
): ImportPlan {
	const plan: ImportPlan = {
		added: [],
		changed: [],
		removed: [],
		unchanged: 0,
		newCategories: [],
		errors: []
	};
	const parsed = parseCsv(text);
	if (!parsed.ok) {
		plan.errors.push({ line: parsed.line, reason: parsed.reason });
		return plan;
	}
	const [header, ...lines] = parsed.records;
	if (!header) {
		plan.errors.push({ line: 1, reason: 'the file is empty (it needs a header line)' });
		return plan;
	}
	const head = readHeader(header.fields);
	if (!head.ok) {
		plan.errors.push({ line: header.line, reason: head.reason });
		return plan;
	}
	const context = {
		currency: catalog.currency,
		taxRates: catalog.taxRates,
		groupIds: new Set(catalog.modifierGroups.map((g) => g.id))
	};
	const bySku = new Map(catalog.products.map((p) => [p.sku, p]));
	const categories = new Map(catalog.categories.map((c) => [c.name.toLowerCase(), c]));
	const named = new Set<string>();
	let unreadableSku = false;
	for (const record of lines) {
		const row = readLine(record, head.columns, context);
		if ('reason' in row) {
			plan.errors.push(row);
			const skuAt = head.columns.indexOf('sku');
			const sku = record.fields[skuAt]?.trim();
			if (sku) named.add(sku);
			else unreadableSku = true;
			continue;
		}
		if (named.has(row.sku)) {
			plan.errors.push({ line: row.line, reason: `sku ${row.sku} is on an earlier line too` });
			continue;
		}
		named.add(row.sku);
		const category = categoryFor(row.categoryName, categories, plan, newId);
		const before = bySku.get(row.sku);
		const after = productFrom(row, head.columns, category.id, before, newId);
		if (!before) {
			plan.added.push({ line: row.line, sku: row.sku, name: row.name, after });
			continue;
		}
		const fields = COMPARED.filter((key) => !same(before[key], after[key]));
		if (fields.length) {
			plan.changed.push({ line: row.line, sku: row.sku, name: row.name, fields, before, after });
		} else plan.unchanged++;
	}
	const leftOut = catalog.products.filter((p) => p.active && !named.has(p.sku));
	if (unreadableSku && leftOut.length) {
		plan.keptBecause = 'a bad line has no readable SKU, so no product is deactivated';
	} else plan.removed = leftOut;
	return plan;
}

function categoryFor(
	name: string,
	categories: Map<string, StoredCategory>,
	plan: ImportPlan,
	newId: () => string
): StoredCategory {
	const known = categories.get(name.toLowerCase());
	if (known) {
		// An inactive category named by the file comes back.
		if (!known.active && !plan.newCategories.includes(known)) {
			const revived = { ...known, active: true };
			categories.set(name.toLowerCase(), revived);
			plan.newCategories.push(revived);
			return revived;
		}
		return known;
	}
	const order = (Math.max(0, ...[...categories.values()].map((c) => c.order)) || 0) + 10;
	const created: StoredCategory = { id: newId(), name, color: null, order, active: true };
	categories.set(name.toLowerCase(), created);
	plan.newCategories.push(created);
	return created;
}

function productFrom(
	row: CsvProduct,
	columns: readonly CsvColumn[],
	categoryId: string,
	before: StoredProduct | undefined,
	newId: () => string
): StoredProduct {
	const has = (c: CsvColumn) => columns.includes(c);
	return {
		id: before?.id ?? newId(),
		sku: row.sku,
		name: row.name,
		category: categoryId,
		price: row.price,
		taxRateId: has('tax') ? (row.taxRateId ?? null) : (before?.taxRateId ?? null),
		taxInclusive: has('inclusive') ? row.taxInclusive! : (before?.taxInclusive ?? false),
		barcodes: has('barcodes') ? row.barcodes! : (before?.barcodes ?? []),
		active: has('active') ? row.active! : true,
		modifierGroups: has('modifiers') ? row.modifierGroups! : (before?.modifierGroups ?? []),
		openPrice: has('open_min') ? (row.openPrice ?? null) : (before?.openPrice ?? null),
		image: has('image') ? (row.image ?? null) : (before?.image ?? null),
		color: before?.color ?? null
	};
}

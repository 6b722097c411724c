/**
 * The catalog CSV's columns (README, "Catalog CSV"), pure: a header names them in any order; each
 * line becomes one product or one reason it cannot. Prices are decimals in the store currency at
 * the file's edge ("3.50"), integer minor units from here on.
 */
import { barcodeSchema, imageUrlSchema } from '$lib/catalog/types';
import { parseDecimal, toDecimalString } from '$lib/money/format';
import type { CsvRecord } from '$lib/catalog/csv';
import type { CatalogAdminView, StoredProduct } from '$lib/catalog/admin-model';

export const CSV_COLUMNS = [
	'sku',
	'name',
	'category',
	'price',
	'tax',
	'inclusive',
	'barcodes',
	'active',
	'modifiers',
	'open_min',
	'open_max',
	'image'
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED: CsvColumn[] = ['sku', 'name', 'category', 'price'];
/** Several barcodes or modifier groups in one field. */
const LIST_SEPARATOR = '|';

/** One good line: the product it describes, its category by name, which columns it set. */
export interface CsvProduct {
	line: number;
	sku: string;
	name: string;
	categoryName: string;
	price: number;
	/** Undefined: the column is not in the file (the product keeps what it has). */
	taxRateId?: string | null;
	taxInclusive?: boolean;
	barcodes?: string[];
	active?: boolean;
	modifierGroups?: string[];
	openPrice?: { min: number; max: number } | null;
	image?: string | null;
}

export interface CsvLineError {
	line: number;
	reason: string;
}

export type HeaderCheck = { ok: true; columns: CsvColumn[] } | { ok: false; reason: string };

export function readHeader(fields: readonly string[]): HeaderCheck {
	const columns: CsvColumn[] = [];
	for (const raw of fields) {
		const name = raw.trim().toLowerCase();
		if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
			return { ok: false, reason: `unknown column "${raw}" (known: ${CSV_COLUMNS.join(', ')})` };
		}
		if (columns.includes(name as CsvColumn)) return { ok: false, reason: `column "${name}" twice` };
		columns.push(name as CsvColumn);
	}
	const missing = REQUIRED.filter((c) => !columns.includes(c));
	if (missing.length) return { ok: false, reason: `missing column(s) ${missing.join(', ')}` };
	if (columns.includes('open_min') !== columns.includes('open_max')) {
		return { ok: false, reason: 'open_min and open_max come together' };
	}
	return { ok: true, columns };
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

function flag(text: string, column: string, empty: boolean): boolean {
	const value = text.trim().toLowerCase();
	if (value === '') return empty;
	if (TRUE.has(value)) return true;
	if (FALSE.has(value)) return false;
	throw new LineError(`${column} must be true or false, not "${text}"`);
}

class LineError extends Error {}

function money(text: string, column: string, currency: string): number {
	const value = text.trim();
	if (value.startsWith('-')) throw new LineError(`${column} cannot be negative`);
	try {
		return parseDecimal(value, currency);
	} catch (error) {
		throw new LineError(`${column}: ${(error as Error).message}`);
	}
}

function list(text: string): string[] {
	return text
		.split(LIST_SEPARATOR)
		.map((s) => s.trim())
		.filter(Boolean);
}

/** What a line is checked against: the catalog's tax rates and modifier groups. */
export interface CsvContext {
	currency: string;
	taxRates: CatalogAdminView['taxRates'];
	groupIds: ReadonlySet<string>;
}

export function readLine(
	record: CsvRecord,
	columns: readonly CsvColumn[],
	context: CsvContext
): CsvProduct | CsvLineError {
	if (record.fields.length !== columns.length) {
		return {
			line: record.line,
			reason: `has ${record.fields.length} fields; the header has ${columns.length}`
		};
	}
	const get = (column: CsvColumn): string | undefined => {
		const i = columns.indexOf(column);
		return i < 0 ? undefined : record.fields[i];
	};
	try {
		const sku = get('sku')!.trim();
		if (!sku || sku.length > 64) throw new LineError('sku must be 1 to 64 characters');
		const name = get('name')!.trim();
		if (!name || name.length > 120) throw new LineError('name must be 1 to 120 characters');
		const categoryName = get('category')!.trim();
		if (!categoryName || categoryName.length > 80) {
			throw new LineError('category must be 1 to 80 characters');
		}
		const product: CsvProduct = {
			line: record.line,
			sku,
			name,
			categoryName,
			price: money(get('price')!, 'price', context.currency)
		};
		const tax = get('tax');
		if (tax !== undefined) product.taxRateId = taxRateOf(tax, context);
		const inclusive = get('inclusive');
		if (inclusive !== undefined) product.taxInclusive = flag(inclusive, 'inclusive', false);
		const barcodes = get('barcodes');
		if (barcodes !== undefined) {
			product.barcodes = list(barcodes);
			const bad = product.barcodes.find((b) => !barcodeSchema.safeParse(b).success);
			if (bad !== undefined) throw new LineError(`barcode "${bad}" is not letters, digits, - or .`);
			if (product.barcodes.length > 20) throw new LineError('at most 20 barcodes');
		}
		const active = get('active');
		if (active !== undefined) product.active = flag(active, 'active', true);
		const modifiers = get('modifiers');
		if (modifiers !== undefined) {
			product.modifierGroups = list(modifiers);
			const unknown = product.modifierGroups.find((g) => !context.groupIds.has(g));
			if (unknown !== undefined) throw new LineError(`no modifier group "${unknown}"`);
		}
		const openMin = get('open_min');
		const openMax = get('open_max');
		if (openMin !== undefined && openMax !== undefined) {
			product.openPrice = openPriceOf(openMin, openMax, context.currency);
		}
		const image = get('image');
		if (image !== undefined) {
			const url = image.trim();
			if (url && !imageUrlSchema.safeParse(url).success) {
				throw new LineError('image must be a path on this server, e.g. /images/latte.webp');
			}
			product.image = url || null;
		}
		return product;
	} catch (error) {
		if (error instanceof LineError) return { line: record.line, reason: error.message };
		throw error;
	}
}

function taxRateOf(text: string, context: CsvContext): string | null {
	const value = text.trim();
	if (value === '') return null;
	const key = value.toLowerCase();
	const rate =
		context.taxRates.find((r) => r.id.toLowerCase() === key) ??
		context.taxRates.find((r) => r.name.toLowerCase() === key);
	if (!rate?.active) throw new LineError(`no tax rate "${value}" (name or id)`);
	return rate.id;
}

function openPriceOf(min: string, max: string, currency: string) {
	if (min.trim() === '' && max.trim() === '') return null;
	if (min.trim() === '' || max.trim() === '') {
		throw new LineError('an open price needs both open_min and open_max');
	}
	const bounds = { min: money(min, 'open_min', currency), max: money(max, 'open_max', currency) };
	if (bounds.min > bounds.max) throw new LineError('open_min is above open_max');
	return bounds;
}

/** A product as an export line, in `CSV_COLUMNS` order. */
export function toCsvLine(
	product: StoredProduct,
	categoryName: string,
	taxName: string,
	currency: string
): string[] {
	const dec = (minor: number) => toDecimalString(minor, currency);
	return [
		product.sku,
		product.name,
		categoryName,
		dec(product.price),
		taxName,
		String(product.taxInclusive),
		product.barcodes.join(LIST_SEPARATOR),
		String(product.active),
		product.modifierGroups.join(LIST_SEPARATOR),
		product.openPrice ? dec(product.openPrice.min) : '',
		product.openPrice ? dec(product.openPrice.max) : '',
		product.image ?? ''
	];
}

/**
 * The catalog as the server keeps it (the back office's view): everything, inactive rows too, and
 * products naming their tax rate rather than carrying its figure. The till's view is
 * `$lib/catalog/types` (see `toTillProduct`).
 */
import { z } from 'zod';
import {
	barcodeSchema,
	imageUrlSchema,
	modifierOptionSchema,
	openPriceSchema,
	type ModifierGroup,
	type OpenPrice
} from '$lib/catalog/types';

export interface TaxRate {
	id: string;
	/** "Sales tax 8.25 %" */
	name: string;
	/** Basis points: 825 = 8.25 %. */
	rateBp: number;
	active: boolean;
}

export interface StoredCategory {
	id: string;
	name: string;
	color: string | null;
	order: number;
	active: boolean;
}

export interface StoredModifierGroup extends ModifierGroup {
	active: boolean;
}

export interface StoredProduct {
	id: string;
	sku: string;
	name: string;
	/** A category id. */
	category: string;
	/** Minor units. */
	price: number;
	/** Null: the store's default rate. */
	taxRateId: string | null;
	taxInclusive: boolean;
	barcodes: string[];
	modifierGroups: string[];
	openPrice: OpenPrice | null;
	image: string | null;
	color: string | null;
	active: boolean;
}

export interface CatalogAdminView {
	version: number;
	currency: string;
	defaultTaxRateId: string | null;
	taxRates: TaxRate[];
	categories: StoredCategory[];
	modifierGroups: StoredModifierGroup[];
	products: StoredProduct[];
}

const id = z.string().min(1).max(64);
const name = z.string().trim().min(1).max(80);
const color = z
	.string()
	.regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #8d5b3e')
	.nullable();

/** What the back office sends to save a tax rate; no id creates one. */
export const taxRateInput = z.object({
	id: id.optional(),
	name,
	rateBp: z.int().min(0).max(10_000),
	active: z.boolean().default(true)
});
export type TaxRateInput = z.infer<typeof taxRateInput>;

export const categoryInput = z.object({
	id: id.optional(),
	name,
	color: color.default(null),
	order: z.int().min(0).max(1_000_000).default(0),
	active: z.boolean().default(true)
});
export type CategoryInput = z.infer<typeof categoryInput>;

export const modifierGroupInput = z
	.object({
		id: id.optional(),
		name,
		min: z.int().min(0).max(20),
		max: z.int().min(1).max(20),
		options: z.array(modifierOptionSchema).min(1).max(40),
		active: z.boolean().default(true)
	})
	.refine((g) => g.min <= g.max, { message: 'min must be at most max', path: ['min'] })
	.refine((g) => g.min <= g.options.length, {
		message: 'min must be at most the number of options',
		path: ['min']
	})
	.refine((g) => new Set(g.options.map((o) => o.id)).size === g.options.length, {
		message: 'option ids must be unique',
		path: ['options']
	});
export type ModifierGroupInput = z.infer<typeof modifierGroupInput>;

export const productInput = z.object({
	id: id.optional(),
	sku: z.string().trim().min(1).max(64),
	name: z.string().trim().min(1).max(120),
	category: id,
	price: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
	taxRateId: id.nullable().default(null),
	taxInclusive: z.boolean(),
	barcodes: z.array(barcodeSchema).max(20).default([]),
	modifierGroups: z.array(id).max(20).default([]),
	openPrice: openPriceSchema.nullable().default(null),
	image: imageUrlSchema.nullable().default(null),
	color: color.default(null),
	active: z.boolean().default(true)
});
export type ProductInput = z.infer<typeof productInput>;

/** What a first start writes: the demo's catalog, or a config's. */
export interface CatalogSeed {
	taxRates: TaxRate[];
	defaultTaxRateId: string | null;
	categories: StoredCategory[];
	modifierGroups: StoredModifierGroup[];
	products: StoredProduct[];
}

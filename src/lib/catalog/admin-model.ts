/**
 * The catalog as the server keeps it (the back office's view): everything, inactive rows too, and
 * products naming their tax rate rather than carrying its figure. The till's view is
 * `$lib/catalog/types` (see `toTillProduct`).
 */
import { z } from 'zod/mini';
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

const id = z.string().check(z.minLength(1)).check(z.maxLength(64));
const name = z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(80));
const color = z.nullable(
	z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #8d5b3e'))
);

/** What the back office sends to save a tax rate; no id creates one. */
export const taxRateInput = z.object({
	id: z.optional(id),
	name,
	rateBp: z.int().check(z.gte(0)).check(z.lte(10_000)),
	active: z._default(z.boolean(), true)
});
export type TaxRateInput = z.infer<typeof taxRateInput>;

export const categoryInput = z.object({
	id: z.optional(id),
	name,
	color: z._default(color, null),
	order: z._default(z.int().check(z.gte(0)).check(z.lte(1_000_000)), 0),
	active: z._default(z.boolean(), true)
});
export type CategoryInput = z.infer<typeof categoryInput>;

export const modifierGroupInput = z
	.object({
		id: z.optional(id),
		name,
		min: z.int().check(z.gte(0)).check(z.lte(20)),
		max: z.int().check(z.gte(1)).check(z.lte(20)),
		options: z.array(modifierOptionSchema).check(z.minLength(1)).check(z.maxLength(40)),
		active: z._default(z.boolean(), true)
	})
	.check(z.refine((g) => g.min <= g.max, { message: 'min must be at most max', path: ['min'] }))
	.check(
		z.refine((g) => g.min <= g.options.length, {
			message: 'min must be at most the number of options',
			path: ['min']
		})
	)
	.check(
		z.refine((g) => new Set(g.options.map((o) => o.id)).size === g.options.length, {
			message: 'option ids must be unique',
			path: ['options']
		})
	);
export type ModifierGroupInput = z.infer<typeof modifierGroupInput>;

export const productInput = z.object({
	id: z.optional(id),
	sku: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(64)),
	name: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(120)),
	category: id,
	price: z.int().check(z.gte(0)).check(z.lte(Number.MAX_SAFE_INTEGER)),
	taxRateId: z._default(z.nullable(id), null),
	taxInclusive: z.boolean(),
	barcodes: z._default(z.array(barcodeSchema).check(z.maxLength(20)), []),
	modifierGroups: z._default(z.array(id).check(z.maxLength(20)), []),
	openPrice: z._default(z.nullable(openPriceSchema), null),
	image: z._default(z.nullable(imageUrlSchema), null),
	color: z._default(color, null),
	active: z._default(z.boolean(), true)
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

import { z } from 'zod/mini';

export interface Category {
	id: string;
	name: string;
	/** Tile colour of the category, `#rrggbb`. */
	color?: string;
	/** Position in the category bar, smallest first. */
	order?: number;
}

/** One choice of a modifier group: "Oat milk", +50. */
export interface ModifierOption {
	id: string;
	name: string;
	/** Integer minor units added to the line's unit price (0 for a free choice). */
	price: number;
}

/**
 * A set of choices a product offers ("Size": S/M/L). `min` > 0 makes it required: the till asks
 * before the product goes into the cart. `max` caps how many options one line may take.
 */
export interface ModifierGroup {
	id: string;
	name: string;
	min: number;
	max: number;
	options: ModifierOption[];
}

/** A price the cashier types, within these bounds (minor units). */
export interface OpenPrice {
	min: number;
	max: number;
}

export interface Product {
	id: string;
	sku: string;
	/** The first of `barcodes` (older tills read only this one). */
	barcode?: string;
	barcodes?: string[];
	name: string;
	/** A `Category.id`. */
	category: string;
	/** Integer minor units of the catalog's currency (the suggested price of an open-price item). */
	price: number;
	/** Basis points: 1000 = 10 %. */
	taxRateBp: number;
	/** Whether `price` already includes the tax. */
	taxInclusive: boolean;
	/** Tile colour, `#rrggbb`. */
	color?: string;
	/** `ModifierGroup.id`s, in the order the chooser shows them. */
	modifierGroups?: string[];
	/** Set when the cashier types the price. */
	openPrice?: OpenPrice;
	/** A path on this server of the image shown on the tile. */
	image?: string;
}

export interface Catalog {
	currency: string;
	categories: Category[];
	products: Product[];
	modifierGroups?: ModifierGroup[];
}

const id = z.string().check(z.minLength(1)).check(z.maxLength(64));
const minor = z.int().check(z.gte(0)).check(z.lte(Number.MAX_SAFE_INTEGER));
// Only a plain hex colour: the value ends up in a style attribute.
const color = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/));
export const barcodeSchema = z.string().check(z.regex(/^[0-9A-Za-z\-.]{1,64}$/));
/**
 * A path on this server (`/images/latte.webp`): the pages' CSP loads images from 'self' only, and
 * never `javascript:` or `data:` into an `<img src>`.
 */
export const imageUrlSchema = z
	.string()
	.check(z.maxLength(500))
	.check(
		z.regex(
			/^\/(?!\/)[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$/,
			'a path on this server, e.g. /images/latte.webp'
		)
	);

export const categorySchema: z.ZodMiniType<Category> = z.object({
	id,
	name: z.string().check(z.minLength(1)).check(z.maxLength(80)),
	color: z.optional(color),
	order: z.optional(z.int().check(z.gte(0)).check(z.lte(1_000_000)))
});

export const modifierOptionSchema: z.ZodMiniType<ModifierOption> = z.object({
	id,
	name: z.string().check(z.minLength(1)).check(z.maxLength(80)),
	price: minor
});

export const modifierGroupSchema: z.ZodMiniType<ModifierGroup> = z
	.object({
		id,
		name: z.string().check(z.minLength(1)).check(z.maxLength(80)),
		min: z.int().check(z.gte(0)).check(z.lte(20)),
		max: z.int().check(z.gte(1)).check(z.lte(20)),
		options: z.array(modifierOptionSchema).check(z.minLength(1)).check(z.maxLength(40))
	})
	.check(
		z.refine((g) => g.min <= g.max && g.min <= g.options.length, {
			message: 'min must be at most max and at most the number of options'
		})
	)
	.check(
		z.refine((g) => new Set(g.options.map((o) => o.id)).size === g.options.length, {
			message: 'option ids must be unique'
		})
	);

export const openPriceSchema: z.ZodMiniType<OpenPrice> = z
	.object({ min: minor, max: minor })
	.check(z.refine((p) => p.min <= p.max, { message: 'min must be at most max' }));

export const productSchema: z.ZodMiniType<Product> = z.object({
	id,
	sku: z.string().check(z.minLength(1)).check(z.maxLength(64)),
	barcode: z.optional(barcodeSchema),
	barcodes: z.optional(z.array(barcodeSchema).check(z.maxLength(20))),
	name: z.string().check(z.minLength(1)).check(z.maxLength(120)),
	category: z.string().check(z.minLength(1)).check(z.maxLength(64)),
	price: minor,
	taxRateBp: z.int().check(z.gte(0)).check(z.lte(10_000)),
	taxInclusive: z.boolean(),
	color: z.optional(color),
	modifierGroups: z.optional(z.array(id).check(z.maxLength(20))),
	openPrice: z.optional(openPriceSchema),
	image: z.optional(imageUrlSchema)
});

/** What the server sends; ids must be unique and every product's category must exist. */
export const catalogSchema: z.ZodMiniType<Catalog> = z
	.object({
		currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
		categories: z.array(categorySchema),
		products: z.array(productSchema),
		modifierGroups: z.optional(z.array(modifierGroupSchema))
	})
	.check(
		z.superRefine((catalog, ctx) => {
			const categoryIds = new Set<string>();
			catalog.categories.forEach((category, i) => {
				if (categoryIds.has(category.id)) {
					ctx.addIssue({
						code: 'custom',
						path: ['categories', i, 'id'],
						message: `Duplicate category id ${category.id}`
					});
				}
				categoryIds.add(category.id);
			});
			const productIds = new Set<string>();
			catalog.products.forEach((product, i) => {
				if (productIds.has(product.id)) {
					ctx.addIssue({
						code: 'custom',
						path: ['products', i, 'id'],
						message: `Duplicate product id ${product.id}`
					});
				}
				productIds.add(product.id);
				if (!categoryIds.has(product.category)) {
					ctx.addIssue({
						code: 'custom',
						path: ['products', i, 'category'],
						message: `Unknown category ${product.category}`
					});
				}
			});
		})
	);

/**
 * `GET /api/catalog?since=<version>`: what changed since the till's `version` (everything when
 * `full`). `removed` names what was deactivated since; the till drops those.
 */
export interface CatalogChanges {
	currency: string;
	version: number;
	full: boolean;
	categories: Category[];
	products: Product[];
	modifierGroups: ModifierGroup[];
	removed: { categories: string[]; products: string[]; modifierGroups: string[] };
}

export const catalogChangesSchema: z.ZodMiniType<CatalogChanges> = z.object({
	currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
	version: z.int().check(z.gte(0)),
	full: z.boolean(),
	categories: z.array(categorySchema),
	products: z.array(productSchema),
	modifierGroups: z.array(modifierGroupSchema),
	removed: z.object({ categories: z.array(id), products: z.array(id), modifierGroups: z.array(id) })
});

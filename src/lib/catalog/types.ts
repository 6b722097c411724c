import { z } from 'zod';

export interface Category {
	id: string;
	name: string;
}

export interface Product {
	id: string;
	sku: string;
	barcode?: string;
	name: string;
	/** A `Category.id`. */
	category: string;
	/** Integer minor units of the catalog's currency. */
	price: number;
	/** Basis points: 1000 = 10 %. */
	taxRateBp: number;
	/** Whether `price` already includes the tax. */
	taxInclusive: boolean;
	/** Tile colour, `#rrggbb`. */
	color?: string;
}

export interface Catalog {
	currency: string;
	categories: Category[];
	products: Product[];
}

export const categorySchema: z.ZodType<Category> = z.object({
	id: z.string().min(1).max(64),
	name: z.string().min(1).max(80)
});

export const productSchema: z.ZodType<Product> = z.object({
	id: z.string().min(1).max(64),
	sku: z.string().min(1).max(64),
	barcode: z
		.string()
		.regex(/^[0-9A-Za-z\-.]{1,64}$/)
		.optional(),
	name: z.string().min(1).max(120),
	category: z.string().min(1).max(64),
	price: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
	taxRateBp: z.number().int().min(0).max(10_000),
	taxInclusive: z.boolean(),
	// Only a plain hex colour: the value ends up in a style attribute.
	color: z
		.string()
		.regex(/^#[0-9a-fA-F]{6}$/)
		.optional()
});

/** What the server sends; ids must be unique and every product's category must exist. */
export const catalogSchema: z.ZodType<Catalog> = z
	.object({
		currency: z.string().regex(/^[A-Z]{3}$/),
		categories: z.array(categorySchema),
		products: z.array(productSchema)
	})
	.superRefine((catalog, ctx) => {
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
	});

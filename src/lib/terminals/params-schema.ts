/**
 * Building blocks for a rail's params schema (`RailDescriptor.params`). Params are what Settings
 * and the server's configuration store: strings, numbers and booleans, by name. A rail's schema
 * names the keys it reads and their types; the driver applies its defaults and requirements.
 */
import { z } from 'zod/mini';

export const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/** A params object whose `known` keys must have these types; other keys pass through. */
export function paramsSchema(known: Record<string, z.ZodMiniType<string | number | boolean>>) {
	return z.looseObject(
		Object.fromEntries(Object.entries(known).map(([key, schema]) => [key, z.optional(schema)]))
	);
}

export const text = z.string().check(z.maxLength(500));
export const flag = z.union([
	z.boolean(),
	z.enum(['true', 'false', '0', '1']),
	z.literal(0),
	z.literal(1)
]);
export const numeric = z.union([z.number(), z.string().check(z.regex(/^\d+(\.\d+)?$/))]);

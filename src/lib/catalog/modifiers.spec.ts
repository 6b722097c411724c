import { describe, expect, it } from 'vitest';
import {
	groupsOf,
	lineModifiers,
	needsChooser,
	openPriceProblem,
	selectionOf,
	selectionProblems
} from './modifiers';
import type { ModifierGroup, Product } from './types';

const size: ModifierGroup = {
	id: 'size',
	name: 'Size',
	min: 1,
	max: 1,
	options: [
		{ id: 's', name: 'Small', price: 0 },
		{ id: 'l', name: 'Large', price: 90 }
	]
};
const extras: ModifierGroup = {
	id: 'extras',
	name: 'Extras',
	min: 0,
	max: 2,
	options: [
		{ id: 'shot', name: 'Extra shot', price: 75 },
		{ id: 'van', name: 'Vanilla', price: 50 },
		{ id: 'car', name: 'Caramel', price: 50 }
	]
};
const groups = new Map([size, extras].map((g) => [g.id, g]));
const product = (over: Partial<Product> = {}): Product => ({
	id: 'p',
	sku: 'P',
	name: 'Latte',
	category: 'c',
	price: 450,
	taxRateBp: 0,
	taxInclusive: false,
	...over
});
const usd = (n: number) => `$${(n / 100).toFixed(2)}`;

describe('modifiers', () => {
	it('asks first for a required group or an open price, not for optional groups only', () => {
		expect(needsChooser(product({ modifierGroups: ['size', 'extras'] }), groups)).toBe(true);
		expect(needsChooser(product({ modifierGroups: ['extras'] }), groups)).toBe(false);
		expect(needsChooser(product({ openPrice: { min: 1, max: 100 } }), groups)).toBe(true);
		// A group the catalog no longer has is skipped.
		expect(groupsOf(product({ modifierGroups: ['gone', 'extras'] }), groups)).toEqual([extras]);
	});

	it('holds a line back until every group has between min and max choices', () => {
		expect(selectionProblems([size, extras], {})).toEqual(['Choose a size.']);
		expect(
			selectionProblems([size, extras], { size: ['l'], extras: ['shot', 'van', 'car'] })
		).toEqual(['Choose at most 2 of Extras.']);
		expect(selectionProblems([size, extras], { size: ['l'], extras: ['van'] })).toEqual([]);
	});

	it("gives the cart the choices in the groups' order with their prices, and back", () => {
		const chosen = lineModifiers([size, extras], { extras: ['van', 'shot'], size: ['l'] });
		expect(chosen.map((m) => [m.groupName, m.name, m.price])).toEqual([
			['Size', 'Large', 90],
			['Extras', 'Extra shot', 75],
			['Extras', 'Vanilla', 50]
		]);
		expect(selectionOf(chosen)).toEqual({ size: ['l'], extras: ['shot', 'van'] });
	});

	it('keeps a typed open price within its bounds', () => {
		const open = product({ openPrice: { min: 100, max: 50_000 } });
		expect(openPriceProblem(open, null, usd)).toBe('Type the price.');
		expect(openPriceProblem(open, 99, usd)).toBe('The price must be between $1.00 and $500.00.');
		expect(openPriceProblem(open, 1234, usd)).toBeNull();
		expect(openPriceProblem(product(), null, usd)).toBeNull();
	});
});

/**
 * The rules of a product's modifier groups and open price, pure: what the chooser checks before a
 * line goes into the cart, and the modifiers it hands the cart (see `LineModifier`).
 */
import type { LineModifier } from '$lib/orders/pricing';
import type { ModifierGroup, Product } from './types';

/** The groups a product offers, in its order; ids the catalog no longer has are skipped. */
export function groupsOf(
	product: Product,
	groups: ReadonlyMap<string, ModifierGroup>
): ModifierGroup[] {
	return (product.modifierGroups ?? []).flatMap((id) => {
		const group = groups.get(id);
		return group ? [group] : [];
	});
}

/** Whether tapping the product must ask first: a required group, or a price to type. */
export function needsChooser(
	product: Product,
	groups: ReadonlyMap<string, ModifierGroup>
): boolean {
	return product.openPrice !== undefined || groupsOf(product, groups).some((g) => g.min > 0);
}

/** Option ids chosen per group id. */
export type Selection = Record<string, readonly string[]>;

/** Why the selection cannot go into the cart yet (one message per group), or none. */
export function selectionProblems(
	groups: readonly ModifierGroup[],
	selection: Selection
): string[] {
	const problems: string[] = [];
	for (const group of groups) {
		const chosen = (selection[group.id] ?? []).filter((id) =>
			group.options.some((o) => o.id === id)
		);
		if (chosen.length < group.min) {
			problems.push(
				group.min === 1
					? `Choose a ${group.name.toLowerCase()}.`
					: `Choose at least ${group.min} of ${group.name}.`
			);
		} else if (chosen.length > group.max) {
			problems.push(`Choose at most ${group.max} of ${group.name}.`);
		}
	}
	return problems;
}

/** The line's modifiers for a valid selection, in the groups' and options' order. */
export function lineModifiers(
	groups: readonly ModifierGroup[],
	selection: Selection
): LineModifier[] {
	return groups.flatMap((group) => {
		const chosen = new Set(selection[group.id] ?? []);
		return group.options
			.filter((option) => chosen.has(option.id))
			.map((option) => ({
				groupId: group.id,
				groupName: group.name,
				optionId: option.id,
				name: option.name,
				price: option.price
			}));
	});
}

/** The selection a line's modifiers make, to open the chooser on it again. */
export function selectionOf(modifiers: readonly LineModifier[] | undefined): Selection {
	const selection: Record<string, string[]> = {};
	for (const m of modifiers ?? []) (selection[m.groupId] ??= []).push(m.optionId);
	return selection;
}

/** Why a typed open price is refused, or null when it is within the product's bounds. */
export function openPriceProblem(
	product: Product,
	price: number | null,
	format: (minor: number) => string
): string | null {
	const bounds = product.openPrice;
	if (!bounds) return null;
	if (price === null || !Number.isSafeInteger(price) || price < 0) return 'Type the price.';
	if (price < bounds.min || price > bounds.max) {
		return `The price must be between ${format(bounds.min)} and ${format(bounds.max)}.`;
	}
	return null;
}

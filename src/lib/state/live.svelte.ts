import { liveQuery } from 'dexie';
import { errorMessage } from '$lib/text/error-message';

/**
 * A Dexie live query as a rune: `deps` reads the reactive values the query depends on and returns
 * the querier; the value follows both those values and the database.
 */
export function live<T>(deps: () => (() => Promise<T>) | null, initial: T) {
	let value = $state.raw<T>(initial);
	let error = $state<string | null>(null);
	$effect(() => {
		const querier = deps();
		if (!querier) {
			value = initial;
			return;
		}
		const subscription = liveQuery(querier).subscribe({
			next: (next) => {
				value = next;
				error = null;
			},
			error: (e: unknown) => (error = errorMessage(e))
		});
		return () => subscription.unsubscribe();
	});
	return {
		get value() {
			return value;
		},
		get error() {
			return error;
		}
	};
}

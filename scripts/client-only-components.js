/**
 * In the server build, a dynamic import of a Svelte component becomes a rejected promise.
 *
 * The app renders only in the browser (`ssr = false` in the root layout), so the server never
 * renders a component. But SvelteKit links from a page every stylesheet of a component the page
 * imports dynamically when the server build imports it too ("to avoid a flash of unstyled
 * content" during server rendering): the checkout and the rails' screens, lazily loaded, still cost
 * the sale screen's first load a request each for their few bytes of CSS. Without the import in the
 * server build, their CSS loads with them, when they are shown, as Vite's preload of a dynamic
 * import does in the browser. Only the build is touched (unit tests import components as written).
 */

/** `import('./Name.svelte')`, the way the app spells a lazily loaded component. */
const DYNAMIC_SVELTE_IMPORT = /\bimport\(\s*(['"])([^'"\n]+\.svelte)\1\s*\)/g;

/** @returns {import('vite').Plugin} */
export function clientOnlyComponents() {
	return {
		name: 'pos:client-only-components',
		apply: 'build',
		enforce: 'post',
		transform(code, id, options) {
			const server = this.environment?.config.consumer === 'server' || options?.ssr === true;
			if (!server || id.includes('/node_modules/') || id.includes('/.svelte-kit/')) return null;
			if (!code.includes('.svelte')) return null;
			let changed = false;
			const out = code.replace(DYNAMIC_SVELTE_IMPORT, (_all, _quote, path) => {
				changed = true;
				return `Promise.reject(new Error(${JSON.stringify(`${path} is rendered in the browser only`)}))`;
			});
			return changed ? { code: out, map: null } : null;
		}
	};
}

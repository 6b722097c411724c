/**
 * The app's version as `svelte.config.js` names it: `<package.json version>+<build id>`, which is
 * also the service worker's cache name (so two builds never share a cache).
 */
export interface AppVersion {
	release: string;
	build: string | null;
}

export function describeVersion(name: string): AppVersion {
	const at = name.indexOf('+');
	return at < 0
		? { release: name, build: null }
		: { release: name.slice(0, at), build: name.slice(at + 1) };
}

/** "0.1.0 (build 20261202193000)". */
export function versionLabel(name: string): string {
	const { release, build } = describeVersion(name);
	return build ? `${release} (build ${build})` : release;
}

/**
 * A rail's code and UI live in its own folder: the screens, shared components, state classes and
 * the journal know rails only through the registry and the driver interface. This reads their
 * sources, so that a screen deciding by a rail's name or a vendor's response code fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRails } from './registry';

const ROOTS = ['src/routes', 'src/lib/components', 'src/lib/state', 'src/lib/journal'];
/**
 * Tests and their helpers may name the rails they drive. A server rail's API is routed by the
 * server's rail table (`$lib/server/rails/rail-routes.ts`), not by route files of its own.
 */
const EXEMPT = /\.spec\.ts$|\/testing(\.ts|\/)/;

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return /\.(ts|svelte)$/.test(name) && !EXEMPT.test(path) ? [path] : [];
	});
}

/** Rail folders and vendor names, quoted rail ids, and the vendors' response codes. */
function offences(text: string): string[] {
	const ids = allRails().map((rail) => rail.id);
	const patterns = [
		// A one-word id (`simulated`) is also an ordinary word (a simulated printer): flagged only
		// where a rail is compared with it.
		...ids.map((id) =>
			id.includes('-')
				? new RegExp(`['"\`]${id}['"\`]`)
				: new RegExp(`rail\\b[^\\n]{0,24}['"\`]${id}['"\`]`)
		),
		...ids.map((id) => new RegExp(`terminals/${id}/`)),
		/codepay|haojin|qfpay|iotpay|wisecashier|pos-key/i,
		// CodePay LAN (NOTES.md §1) and Haojin (§3) codes a screen might be tempted to test.
		/['"](000|104|106|110|112|113|1143|1145|0000|4001|5001)['"]/
	];
	return patterns.filter((p) => p.test(text)).map(String);
}

describe('rail boundaries', () => {
	const files = ROOTS.flatMap(sources);

	it('finds the sources it checks', () => {
		expect(files.length).toBeGreaterThan(40);
	});

	it('no screen, component, state class or journal module names a rail or a vendor code', () => {
		const found = files.flatMap((file) =>
			offences(readFileSync(file, 'utf8')).map((pattern) => `${file}: ${pattern}`)
		);
		expect(found).toEqual([]);
	});
});

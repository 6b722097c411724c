// Installs the project's packages when they are missing, so `npm start` and `npm test` work on a
// fresh clone with nothing but Node and npm.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

export function ensureDeps() {
	const marker = 'node_modules/.package-lock.json';
	const stale =
		!existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
	if (!stale) return;
	// `npm install`, not `npm ci`: the lock names optional per-platform builds (rollup's) that a
	// registry mirror may not carry, which `npm ci` treats as a mismatch and `npm install` skips.
	console.log('Installing packages…');
	execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
}

// `npm test`: lint, type check, unit and end-to-end tests, in that order; stops at the first failure.
import { spawnSync } from 'node:child_process';
import { ensureDeps } from './ensure-deps.js';

ensureDeps();

const steps = [
	['sync', 'npx', ['svelte-kit', 'sync']],
	['format', 'npx', ['prettier', '--check', '.']],
	['lint', 'npx', ['eslint', '.']],
	['types', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']],
	['unit', 'npx', ['vitest', 'run']],
	['e2e', 'npx', ['playwright', 'test']]
];

const only = process.argv.slice(2);
for (const [name, command, args] of steps) {
	if (only.length > 0 && !only.includes(name)) continue;
	console.log(`\n== ${name}: ${command} ${args.join(' ')}`);
	const started = Date.now();
	const result = spawnSync(command, args, { stdio: 'inherit' });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`\n== ${name} failed after ${seconds} s`);
		process.exit(result.status ?? 1);
	}
	console.log(`== ${name} passed in ${seconds} s`);
}

import { sveltekit } from '@sveltejs/kit/vite';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { clientOnlyComponents } from './scripts/client-only-components.js';
import { firstLoadChunks } from './scripts/first-load-chunks.js';

export default defineConfig({
	// Lazily loaded components' CSS loads with them, not with the page (`scripts/client-only-components.js`).
	plugins: [sveltekit(), clientOnlyComponents()],
	// Dexie's ES2018 build rather than its ES5 one behind a CommonJS-style wrapper: the same Dexie,
	// smaller and quicker to start. Every import of `dexie` gets it, so there is only one copy.
	resolve: { alias: [{ find: /^dexie$/, replacement: 'dexie/dist/modern/dexie.mjs' }] },
	// The sale screen's first load in a few files (`scripts/first-load-chunks.js`).
	build: { rolldownOptions: { output: { codeSplitting: firstLoadChunks() } } },
	test: {
		include: ['src/**/*.spec.ts', 'simulators/**/*.spec.ts'],
		environment: 'node',
		setupFiles: ['./src/test-setup.ts'],
		globalSetup: ['./src/test-global-setup.ts'],
		// Vitest's default leaves one core idle: on a 2-core machine, one worker for ~130 files.
		maxWorkers: Math.max(2, availableParallelism() - 1)
	}
});

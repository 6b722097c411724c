import { sveltekit } from '@sveltejs/kit/vite';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { firstLoadChunks } from './scripts/first-load-chunks.js';

export default defineConfig({
	plugins: [sveltekit()],
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

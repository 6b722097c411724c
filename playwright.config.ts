import { defineConfig } from '@playwright/test';

// A port per run (workers inherit it through the environment), so two runs on one machine don't
// collide.
process.env.E2E_PORT ??= String(20_000 + (process.pid % 20_000));
const port = Number(process.env.E2E_PORT);

// Debian's Chromium, never a downloaded browser. The flags keep it from calling home on a closed
// network (NOTES on the CI machine).
export default defineConfig({
	testDir: 'tests',
	testMatch: '**/*.e2e.ts',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 2,
	retries: 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://localhost:${port}`,
		browserName: 'chromium',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		},
		trace: 'off'
	},
	webServer: {
		command: `npx vite build --logLevel warn && node tests/server.js`,
		port,
		timeout: 180_000,
		reuseExistingServer: false,
		env: { PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://localhost:${port}` }
	}
});

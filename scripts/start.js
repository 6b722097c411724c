// `npm start`: installs what is missing, builds the POS, then runs it with its simulators and the
// embedded store at http://localhost:3000 (PORT to change it).
import { execSync, spawn } from 'node:child_process';
import { ensureDeps } from './ensure-deps.js';

ensureDeps();
console.log('Building the POS…');
execSync('npx vite build --logLevel warn', { stdio: 'inherit' });

const port = process.env.PORT ?? '3000';
const children = [];

function run(name, command, args, env = {}) {
	const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	child.on('exit', (code) => {
		console.log(`${name} stopped (${code ?? 'signal'}).`);
		shutdown(code ?? 1);
	});
	children.push(child);
	return child;
}

function shutdown(code) {
	for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
	process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

run('POS server', process.execPath, ['build/index.js'], {
	PORT: port,
	HOST: process.env.HOST ?? '127.0.0.1',
	ORIGIN: process.env.ORIGIN ?? `http://localhost:${port}`,
	BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '10M'
});

console.log(`
  POS:            http://localhost:${port}
  Pairing code:   246810 (demo)
  Staff PINs:     1111 Casey Cashier · 9999 Morgan Manager (approves refunds)
  Terminal:       "Counter terminal (simulated)"; pick a scenario in Settings
`);

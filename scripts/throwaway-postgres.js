// A throwaway PostgreSQL server for the tests: `initdb` into a temporary folder, started with
// `pg_ctl` on a free loopback port, removed when stopped. Finds the binaries on PATH or in Debian's
// /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run as root, so as root it runs as the
// `postgres` user that Debian's package creates.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @returns {string | null} the folder holding initdb and pg_ctl */
export function findPostgresBin() {
	const candidates = (process.env.PATH ?? '').split(':');
	const debian = '/usr/lib/postgresql';
	if (existsSync(debian)) {
		for (const version of readdirSync(debian).sort().reverse())
			candidates.push(join(debian, version, 'bin'));
	}
	return (
		candidates.find(
			(dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))
		) ?? null
	);
}

/** @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * @param {string} bin
 * @returns {Promise<{ url: string; stop: () => void }>}
 */
export async function startThrowawayPostgres(bin) {
	const dir = mkdtempSync(join(tmpdir(), 'pos-test-pg-'));
	const data = join(dir, 'data');
	const asRoot = process.getuid?.() === 0;
	/** @param {string} tool @param {string[]} args */
	const run = (tool, args) => {
		const command = join(bin, tool);
		if (asRoot)
			execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
		else execFileSync(command, args, { stdio: 'pipe' });
	};
	if (asRoot) {
		const id = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		chownSync(dir, id, gid);
	}
	const port = await freePort();
	run('initdb', ['-D', data, '-U', 'pos', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
	run('pg_ctl', [
		'-D',
		data,
		'-l',
		join(dir, 'log'),
		'-w',
		'-o',
		`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
		'start'
	]);
	return {
		url: `postgres://pos@127.0.0.1:${port}/postgres`,
		stop() {
			try {
				run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}

/**
 * The session secret. Configured (env or file) wins; otherwise one is generated at first start and
 * kept in a file beside the data so that a restart keeps staff signed in. It is never logged.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const MIN_LENGTH = 32;

export async function resolveSessionSecret(options: {
	configured?: string;
	file: string | null;
}): Promise<string> {
	if (options.configured) return options.configured;
	const fresh = randomBytes(32).toString('base64url');
	if (options.file === null) return fresh;
	const existing = await readSecret(options.file);
	if (existing) return existing;
	await mkdir(dirname(options.file), { recursive: true });
	try {
		// 'wx': if two processes start together, the second one reads the first one's secret.
		await writeFile(options.file, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
		return fresh;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		const raced = await readSecret(options.file);
		if (!raced)
			throw new Error(`The session secret file ${options.file} is unreadable or too short.`);
		return raced;
	}
}

async function readSecret(file: string): Promise<string | null> {
	try {
		const value = (await readFile(file, 'utf8')).trim();
		return value.length >= MIN_LENGTH ? value : null;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}

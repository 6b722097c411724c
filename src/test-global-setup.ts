/**
 * Gives the store tests a real PostgreSQL: `TEST_DATABASE_URL` when set, else a throwaway server
 * started here (`scripts/throwaway-postgres.js`). Without PostgreSQL on the machine the tests that
 * need it are skipped with a note, except under CI, where that is an error (`.ci/run` installs it).
 */
import type { TestProject } from 'vitest/node';
import { findPostgresBin, startThrowawayPostgres } from '../scripts/throwaway-postgres.js';

declare module 'vitest' {
	export interface ProvidedContext {
		/** A PostgreSQL server the tests may create databases on; '' when there is none. */
		postgresUrl: string;
	}
}

export default async function setup(project: TestProject) {
	const given = process.env.TEST_DATABASE_URL;
	if (given) {
		project.provide('postgresUrl', given);
		return;
	}
	const bin = findPostgresBin();
	if (!bin) {
		if (process.env.CI)
			throw new Error('PostgreSQL is not installed (initdb, pg_ctl): the store tests need it.');
		console.warn('No PostgreSQL here (initdb, pg_ctl): the PostgreSQL store tests are skipped.');
		project.provide('postgresUrl', '');
		return;
	}
	const server = await startThrowawayPostgres(bin);
	project.provide('postgresUrl', server.url);
	return () => server.stop();
}

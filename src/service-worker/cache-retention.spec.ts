import { describe, expect, it } from 'vitest';
import { cacheName, cachesToDelete } from './cache-retention';

const keys = [cacheName('0.1.0+a'), cacheName('0.1.0+b'), cacheName('0.1.0+c'), 'someone-else'];

describe('cachesToDelete', () => {
	it('keeps the current version and every version an open page runs', () => {
		expect(cachesToDelete(keys, '0.1.0+c', ['0.1.0+a', '0.1.0+c'])).toEqual([cacheName('0.1.0+b')]);
	});

	it('deletes every older version once no page runs one', () => {
		expect(cachesToDelete(keys, '0.1.0+c', [])).toEqual([
			cacheName('0.1.0+a'),
			cacheName('0.1.0+b')
		]);
	});

	it('deletes nothing while a page has not said which version it runs', () => {
		expect(cachesToDelete(keys, '0.1.0+c', ['0.1.0+c', null])).toEqual([]);
	});

	it('never touches caches it did not make', () => {
		expect(cachesToDelete(keys, '0.1.0+c', [])).not.toContain('someone-else');
	});
});

/**
 * One body limit, 10 MiB by default, on the production server however it is started (issue 8 §5):
 * the e2e server runs `server/index.js` without `BODY_SIZE_LIMIT`, as a service manager would. A
 * body above it gets 413 with a message, not 400 "not valid JSON"; a body announced above it is
 * refused before it is sent; a day's sync well above adapter-node's own 512K still goes through.
 */
import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { PAIRING_CODE } from './fixtures';

const MiB = 1024 * 1024;

async function pair(api: import('@playwright/test').APIRequestContext) {
	const paired = await api.post('/api/devices/pair', {
		data: { code: PAIRING_CODE, name: 'Body limit till' }
	});
	expect(paired.status()).toBe(200);
	return (await paired.json()) as { deviceId: string; token: string };
}

/** A sync upload of about `bytes` bytes: no records, and a padding field the server drops. */
function upload(deviceId: string, bytes: number): string {
	return JSON.stringify({ deviceId, orders: [], events: [], padding: 'x'.repeat(bytes) });
}

test('a sync upload above the limit gets 413, and one of a megabyte goes through', async ({
	request: api
}) => {
	const { deviceId, token } = await pair(api);
	const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

	const big = await api.post('/api/sync', { headers, data: upload(deviceId, 11 * MiB) });
	expect(big.status()).toBe(413);
	expect(await big.json()).toMatchObject({
		error: 'body_too_large',
		message: expect.stringContaining('larger than the POS server accepts')
	});

	const megabyte = await api.post('/api/sync', { headers, data: upload(deviceId, MiB) });
	expect(megabyte.status()).toBe(200);
	expect(await megabyte.json()).toMatchObject({ ok: true });
});

test('a body announced above the limit is refused before it is sent', async ({
	request: api,
	baseURL
}) => {
	const { token } = await pair(api);
	const url = new URL('/api/sync', baseURL);
	// 20 MiB announced, a few bytes sent, the rest never: the answer comes anyway.
	const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
		const req = httpRequest(url, {
			method: 'POST',
			agent: false,
			headers: {
				authorization: `Bearer ${token}`,
				'content-type': 'application/json',
				'content-length': String(20 * MiB)
			}
		});
		req.on('response', (res) => {
			let body = '';
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => {
				resolve({ status: res.statusCode ?? 0, body });
				req.destroy();
			});
		});
		req.on('error', reject);
		req.write('{"deviceId":');
	});
	expect(answer.status).toBe(413);
	expect(JSON.parse(answer.body)).toMatchObject({ error: 'body_too_large', limit: 10 * MiB });
});

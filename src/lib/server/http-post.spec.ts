import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpPost, PostError } from './http-post';

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(
		servers.splice(0).map((server) => {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(resolve));
		})
	);
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
	const server = createServer(handler);
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}/entry`;
}

const json = { timeoutMs: 2_000, contentType: 'application/json; charset=utf-8' };

async function failureOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof PostError) return error.failure;
		throw error;
	}
	throw new Error('the post did not fail');
}

describe('httpPost', () => {
	it('sends the body with its type and length and reads the answer, on one kept-alive socket', async () => {
		const seen: { body: string; type?: string; length?: string; socket: unknown }[] = [];
		const url = await serve((request, response) => {
			let body = '';
			request.setEncoding('utf8');
			request.on('data', (chunk: string) => (body += chunk));
			request.on('end', () => {
				seen.push({
					body,
					type: request.headers['content-type'],
					length: request.headers['content-length'],
					socket: request.socket
				});
				response.statusCode = 201;
				response.end('{"code":"0","msg":"好"}');
			});
		});
		const first = await httpPost(url, '{"a":"中文"}', json);
		const second = await httpPost(url, '{"b":1}', json);
		expect(first).toEqual({ status: 201, text: '{"code":"0","msg":"好"}' });
		expect(second.status).toBe(201);
		expect(seen[0]).toMatchObject({
			body: '{"a":"中文"}',
			type: 'application/json; charset=utf-8',
			length: String(Buffer.byteLength('{"a":"中文"}'))
		});
		expect(seen[1]?.socket).toBe(seen[0]?.socket);
	});

	it('says unreachable when the connection is refused (nothing was sent)', async () => {
		const url = await serve(() => {});
		const closed = servers.pop()!;
		await new Promise((resolve) => closed.close(resolve));
		expect(await failureOf(httpPost(url, '{}', json))).toBe('unreachable');
	});

	it('says timeout when the gateway took the request and did not answer in time', async () => {
		let arrived = false;
		const url = await serve((request) => {
			arrived = true;
			request.resume();
		});
		expect(await failureOf(httpPost(url, '{}', { ...json, timeoutMs: 200 }))).toBe('timeout');
		expect(arrived).toBe(true);
	});

	it('says transport when the connection is cut after the request arrived', async () => {
		const url = await serve((request) => request.socket.destroy());
		expect(await failureOf(httpPost(url, '{}', json))).toBe('transport');
	});

	it('refuses an answer larger than a gateway would send', async () => {
		const url = await serve((request, response) => {
			request.resume();
			response.end('x'.repeat(2 << 20));
		});
		expect(await failureOf(httpPost(url, '{}', json))).toBe('transport');
	});

	it('refuses a URL that is not http(s) without sending anything', async () => {
		expect(await failureOf(httpPost('file:///etc/passwd', '{}', json))).toBe('unreachable');
	});
});

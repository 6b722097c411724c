/**
 * `readJson`, the edge every JSON body passes (issue 8 §5): what a hostile body gets back. The
 * store cannot hold NUL or lone surrogates, and JSON.stringify overflows on deep nesting, so these
 * are refused here with a 400, before any handler or store sees them.
 */
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJsonBody, readJson } from './http';
import { z } from 'zod';

function post(body: string | ReadableStream<Uint8Array>): Request {
	return new Request('http://pos.test/api/x', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body,
		// @ts-expect-error -- Node's fetch needs it for a stream body
		duplex: 'half'
	});
}

async function answer(result: Awaited<ReturnType<typeof readJson>>) {
	if (result.ok) return { ok: true, data: result.data };
	return { status: result.response.status, body: await result.response.json() };
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('readJson', () => {
	it('reads clean JSON', async () => {
		expect(await answer(await readJson(post('{"name":"Till 1","n":[1,{"a":"é😀"}]}')))).toEqual({
			ok: true,
			data: { name: 'Till 1', n: [1, { a: 'é😀' }] }
		});
	});

	it.each([
		['a NUL in a value', '{"name":"Till\\u00001"}', 'name'],
		['a lone high surrogate', '{"name":"Till \\ud800"}', 'name'],
		[
			'a lone low surrogate deep inside',
			'{"orders":[{"lines":[{"name":"\\udc00"}]}]}',
			'orders.0.lines.0.name'
		],
		['a NUL in a key', '{"na\\u0000me":"Till"}', 'name'],
		['a surrogate in a key', '{"a":{"\\udbff":1}}', 'a.\ufffd']
	])('refuses %s with a 400 naming where', async (_, text, path) => {
		expect(await answer(await readJson(post(text)))).toEqual({
			status: 400,
			body: {
				error: 'bad_request',
				message: 'The request holds text that is not valid Unicode or has NUL characters.',
				issues: [{ path, message: 'must be valid Unicode without NUL characters' }]
			}
		});
	});

	it('refuses JSON nested 5,000 deep, and takes it as deep as a record may be', async () => {
		const deep = await answer(await readJson(post(`{"x":${nested(5000)}}`)));
		expect(deep).toMatchObject({
			status: 400,
			body: { error: 'bad_request', message: 'The request body is nested too deeply.' }
		});
		expect(await answer(await readJson(post(nested(MAX_JSON_DEPTH))))).toMatchObject({ ok: true });
		expect(await answer(await readJson(post(nested(MAX_JSON_DEPTH + 1))))).toMatchObject({
			status: 400
		});
	});

	it("with uncleanText: 'keep', hands unclean text on but still refuses deep nesting", async () => {
		const keep = { uncleanText: 'keep' } as const;
		expect(await answer(await readJson(post('{"m":"a\\u0000b","\\ud800":1}'), keep))).toEqual({
			ok: true,
			data: { m: 'a\u0000b', '\ud800': 1 }
		});
		expect(
			await answer(await readJson(post(`{"m":"\\u0000","x":${nested(5000)}}`), keep))
		).toMatchObject({
			status: 400,
			body: { message: 'The request body is nested too deeply.' }
		});
	});

	it('answers 400 to a body that is not JSON', async () => {
		expect(await answer(await readJson(post('{"a":')))).toEqual({
			status: 400,
			body: { error: 'bad_request', message: 'The request body is not valid JSON.', issues: [] }
		});
	});

	it('answers 413 when the server stops reading a body above its limit', async () => {
		// What adapter-node does past BODY_SIZE_LIMIT: errors the stream with its 413 error.
		const tooLarge = Object.assign(new Error('request body size exceeded BODY_SIZE_LIMIT'), {
			status: 413
		});
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode('{"a":"'));
				controller.error(tooLarge);
			}
		});
		expect(await answer(await readJson(post(stream)))).toEqual({
			status: 413,
			body: {
				error: 'body_too_large',
				message: 'The request is larger than the POS server accepts.'
			}
		});
	});

	it('is what parseJsonBody reads with, so every route refuses the same', async () => {
		const parsed = await parseJsonBody(post('{"name":"\\u0000"}'), z.object({ name: z.string() }));
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.response.status).toBe(400);
	});
});

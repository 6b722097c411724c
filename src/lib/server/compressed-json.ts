/**
 * A JSON response compressed as the caller accepts (`br`, else `gzip`, else none): a catalog of
 * 20,000 products is megabytes of JSON but a small download. Brotli at a middle quality: most of
 * its gain at a fraction of its top setting's time.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

// Off the event loop (zlib's thread pool): a 20,000-product catalog takes a few hundred ms.
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Below this, compressing costs more than it saves. */
const MIN_BYTES = 1024;

export async function compressedJson(
	request: Request,
	body: unknown,
	headers: Record<string, string> = {}
): Promise<Response> {
	const text = Buffer.from(JSON.stringify(body));
	const accepts = (request.headers.get('accept-encoding') ?? '').toLowerCase();
	const base = { 'content-type': 'application/json', vary: 'accept-encoding', ...headers };
	if (text.length >= MIN_BYTES && /\bbr\b/.test(accepts)) {
		const data = await brotli(text, {
			params: {
				[constants.BROTLI_PARAM_QUALITY]: 5,
				[constants.BROTLI_PARAM_SIZE_HINT]: text.length
			}
		});
		return new Response(data, { headers: { ...base, 'content-encoding': 'br' } });
	}
	if (text.length >= MIN_BYTES && /\bgzip\b/.test(accepts)) {
		return new Response(await gzipped(text), { headers: { ...base, 'content-encoding': 'gzip' } });
	}
	return new Response(text, { headers: base });
}

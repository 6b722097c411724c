import { normalizeText, wordsOf } from './normalize';
import type { Product } from './types';

/**
 * An index over the catalog, built once, that answers each keystroke of the product search.
 *
 * Everything a query needs is precomputed: normalised names and words, a sorted word list and a
 * sorted SKU list (prefix = a range found by binary search), and all names joined in one string
 * so that a substring match is a native `indexOf`, not a scan over 20,000 strings. Products are
 * held in alphabetical order, so collecting matches by position gives them sorted for free.
 */
export class CatalogIndex {
	/** Products in alphabetical order of their normalised name; positions are "ranks". */
	readonly #products: Product[];
	readonly #names: string[];
	readonly #words: string[][];
	readonly #wordKeys: string[];
	readonly #wordOwner: Int32Array;
	/** 1 where the word is the first of its name. */
	readonly #wordFirst: Uint8Array;
	readonly #skuKeys: string[];
	readonly #skuOwner: Int32Array;
	readonly #skus = new Map<string, number>();
	readonly #barcodes = new Map<string, number>();
	readonly #ids = new Map<string, Product>();
	readonly #categories = new Map<string, Product[]>();
	/** All names joined by `\n`, which no query phrase contains. */
	readonly #haystack: string;
	readonly #starts: Int32Array;

	constructor(products: readonly Product[]) {
		for (const product of products) {
			this.#ids.set(product.id, product);
			const inCategory = this.#categories.get(product.category);
			if (inCategory) inCategory.push(product);
			else this.#categories.set(product.category, [product]);
		}

		const entries = products
			.map((product) => {
				const words = wordsOf(normalizeText(product.name));
				return { product, words, name: words.join(' '), sku: normalizeText(product.sku) };
			})
			.sort((a, b) => compare(a.name, b.name) || compare(a.sku, b.sku));
		this.#products = entries.map((e) => e.product);
		this.#names = entries.map((e) => e.name);
		this.#words = entries.map((e) => e.words);

		const words = entries.flatMap((e, rank) => e.words.map((word, at) => ({ word, rank, at })));
		words.sort((a, b) => compare(a.word, b.word) || a.rank - b.rank);
		this.#wordKeys = words.map((w) => w.word);
		this.#wordOwner = Int32Array.from(words, (w) => w.rank);
		this.#wordFirst = Uint8Array.from(words, (w) => (w.at === 0 ? 1 : 0));

		const skus = entries.map((e, rank) => ({ sku: e.sku, rank }));
		skus.sort((a, b) => compare(a.sku, b.sku) || a.rank - b.rank);
		this.#skuKeys = skus.map((s) => s.sku);
		this.#skuOwner = Int32Array.from(skus, (s) => s.rank);
		for (const { sku, rank } of skus) if (!this.#skus.has(sku)) this.#skus.set(sku, rank);
		this.#products.forEach(({ barcode, barcodes }, rank) => {
			for (const code of barcodes ?? (barcode ? [barcode] : [])) {
				if (!this.#barcodes.has(code)) this.#barcodes.set(code, rank);
			}
		});

		this.#haystack = this.#names.join('\n');
		this.#starts = new Int32Array(this.#names.length);
		let offset = 0;
		this.#names.forEach((name, rank) => {
			this.#starts[rank] = offset;
			offset += name.length + 1;
		});
	}

	get size(): number {
		return this.#products.length;
	}

	/**
	 * Products matching `query`, best first: exact barcode, exact SKU, names whose words start
	 * with every query word (names starting with the whole query first), SKU prefix, then names
	 * containing the query. Alphabetical within each group. An empty query matches nothing.
	 */
	search(query: string, limit = 50): Product[] {
		const raw = query.trim();
		if (raw === '' || limit <= 0) return [];
		const q = normalizeText(raw);
		const taken = new Uint8Array(this.#products.length);
		const found: number[] = [];
		const take = (rank: number | undefined): void => {
			if (rank === undefined || taken[rank] || found.length >= limit) return;
			taken[rank] = 1;
			found.push(rank);
		};

		take(this.#barcodes.get(raw));
		take(this.#skus.get(q));

		const tokens = wordsOf(q);
		const phrase = tokens.join(' ');
		if (tokens.length > 0) this.#namePrefix(tokens, phrase, take);

		const [skuFrom, skuTo] = prefixRange(this.#skuKeys, q);
		for (let k = skuFrom; k < skuTo && found.length < limit; k++) take(this.#skuOwner[k]);

		// A single letter inside a word is noise, not a match worth showing.
		if (phrase.length >= 2) {
			let at = this.#haystack.indexOf(phrase);
			while (at !== -1 && found.length < limit) {
				const rank = this.#ownerAt(at);
				take(rank);
				at = this.#haystack.indexOf(phrase, this.#starts[rank + 1] ?? this.#haystack.length);
			}
		}
		return found.flatMap((rank) => this.#products[rank] ?? []);
	}

	byBarcode(code: string): Product | undefined {
		const rank = this.#barcodes.get(code.trim());
		return rank === undefined ? undefined : this.#products[rank];
	}

	byId(id: string): Product | undefined {
		return this.#ids.get(id);
	}

	/** The category's products in catalog order. */
	byCategory(id: string): readonly Product[] {
		return this.#categories.get(id) ?? [];
	}

	/** Takes, alphabetically, the products whose name words start with every token. */
	#namePrefix(tokens: string[], phrase: string, take: (rank: number) => void): void {
		// Walk the rarest token's range; check the other tokens against each candidate's words.
		const keys = this.#wordKeys;
		let driver = 0;
		let [from, to] = prefixRange(keys, tokens[0] ?? '');
		for (let t = 1; t < tokens.length; t++) {
			const [f, e] = prefixRange(keys, tokens[t] ?? '');
			if (e - f < to - from) [driver, from, to] = [t, f, e];
		}
		if (from === to) return;

		// Fields read into locals: this loop may visit tens of thousands of entries.
		const owner = this.#wordOwner;
		const first = this.#wordFirst;
		const mark = new Uint8Array(this.#products.length);
		if (tokens.length === 1) {
			// One word: the name starts with it exactly when its first word does.
			for (let k = from; k < to; k++) {
				const rank = owner[k] ?? 0;
				if (first[k]) mark[rank] = STARTS;
				else if (!mark[rank]) mark[rank] = CONTAINS;
			}
		} else {
			const words = this.#words;
			const names = this.#names;
			const others = tokens.filter((_, t) => t !== driver);
			for (let k = from; k < to; k++) {
				const rank = owner[k] ?? 0;
				if (mark[rank]) continue;
				mark[rank] = hasPrefixes(words[rank] ?? [], others)
					? names[rank]?.startsWith(phrase)
						? STARTS
						: CONTAINS
					: NO_MATCH;
			}
		}
		for (const wanted of [STARTS, CONTAINS]) {
			for (let rank = 0; rank < mark.length; rank++) if (mark[rank] === wanted) take(rank);
		}
	}

	/** The rank of the name holding haystack position `at`. */
	#ownerAt(at: number): number {
		let lo = 0;
		let hi = this.#starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if ((this.#starts[mid] ?? 0) <= at) lo = mid;
			else hi = mid - 1;
		}
		return lo;
	}
}

const STARTS = 1;
const CONTAINS = 2;
const NO_MATCH = 3;

/** Whether every token starts some word. */
function hasPrefixes(words: readonly string[], tokens: readonly string[]): boolean {
	for (const token of tokens) {
		let found = false;
		for (const word of words) {
			if (word.startsWith(token)) {
				found = true;
				break;
			}
		}
		if (!found) return false;
	}
	return true;
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** The half-open range of `sorted` whose entries start with `prefix`. */
function prefixRange(sorted: readonly string[], prefix: string): [number, number] {
	if (prefix === '') return [0, 0];
	return [lowerBound(sorted, prefix), lowerBound(sorted, prefix + '\uffff')];
}

function lowerBound(sorted: readonly string[], key: string): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if ((sorted[mid] ?? '') < key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

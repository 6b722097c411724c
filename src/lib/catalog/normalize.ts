// Letters that Unicode does not decompose into a base letter plus a mark.
const FOLDS: Record<string, string> = {
	ß: 'ss',
	æ: 'ae',
	œ: 'oe',
	ø: 'o',
	ł: 'l',
	đ: 'd',
	ð: 'd',
	þ: 'th',
	ı: 'i'
};
const FOLDABLE = /[ßæœøłđðþı]/g;
const MARKS = /\p{M}/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** Lower case without diacritics, so that "creme" finds "Crème brûlée". */
export function normalizeText(text: string): string {
	return text
		.normalize('NFD')
		.replace(MARKS, '')
		.toLowerCase()
		.replace(FOLDABLE, (c) => FOLDS[c] ?? c);
}

/** The words of already normalised text: runs of letters and digits. */
export function wordsOf(normalized: string): string[] {
	return normalized.split(SEPARATORS).filter((word) => word.length > 0);
}

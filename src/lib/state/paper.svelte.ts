const KEY = 'pos.paper-width';

/** Receipt paper width, applied to the document so the print stylesheet can size the receipt. */
class PaperWidth {
	#value = $state<'58' | '80'>(
		typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === '58' ? '58' : '80'
	);
	get value() {
		return this.#value;
	}
	set value(width: '58' | '80') {
		this.#value = width;
		localStorage.setItem(KEY, width);
		document.documentElement.dataset.paper = width;
	}
	apply() {
		document.documentElement.dataset.paper = this.#value;
	}
}

export const paperWidth = new PaperWidth();

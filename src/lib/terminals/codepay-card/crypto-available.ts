/**
 * Why card entry cannot run in this browser, or null when it can. WebCrypto's `crypto.subtle`
 * exists only in secure contexts (https, or http on localhost): a till opened on plain http from
 * another address has none, and then the card is never typed, let alone sent.
 */
export function cardEntryUnavailableReason(scope: {
	isSecureContext?: boolean;
	crypto?: { subtle?: unknown };
}): string | null {
	if (scope.crypto?.subtle && scope.isSecureContext !== false) return null;
	return (
		'Card entry is unavailable on this page: the browser offers its encryption (WebCrypto) only ' +
		'on https or localhost, and a card is never sent unencrypted. Open the POS over https.'
	);
}

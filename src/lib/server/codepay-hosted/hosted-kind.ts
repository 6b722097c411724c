/**
 * How the customer reaches the gateway's checkout for a hosted order (issue 11): a link shown as a
 * QR code on the till, the till's own browser sent there (kiosk), or, later, a card form of the
 * POS whose ciphertext goes to `pay.merchant.checkout`.
 */
export const HOSTED_KINDS = ['link', 'kiosk', 'card'] as const;
export type HostedKind = (typeof HOSTED_KINDS)[number];

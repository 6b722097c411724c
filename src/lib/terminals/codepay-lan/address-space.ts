/**
 * Which IP address space a host is in, as Chrome's Local Network Access sorts them (NOTES.md §1):
 * `loopback` (this device), `local` (private and link-local addresses, `.local` names) or `public`.
 * A DNS name other than those is `unknown`: only the browser learns its address, when it connects.
 */
export type AddressSpace = 'loopback' | 'local' | 'public' | 'unknown';

function ipv4(host: string): number[] | null {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
	const bytes = parts.map(Number);
	return bytes.every((b) => b <= 255) ? bytes : null;
}

function ipv4Space([a, b]: number[]): AddressSpace {
	if (a === 127) return 'loopback';
	// 0.0.0.0/8 is "this network": Chrome blocks it outright, so no page may count on it.
	if (a === 0) return 'unknown';
	if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'local';
	if ((a === 169 && b === 254) || (a === 100 && b! >= 64 && b! <= 127)) return 'local';
	return 'public';
}

function ipv6Space(host: string): AddressSpace | null {
	if (!host.includes(':') || !/^[0-9a-f:.]+$/.test(host)) return null;
	if (host === '::1') return 'loopback';
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
	if (mapped) {
		const bytes = ipv4(mapped[1]!);
		return bytes ? ipv4Space(bytes) : null;
	}
	const first = parseInt(host.split(':')[0] || '0', 16);
	// fc00::/7 unique local, fe80::/10 link-local.
	if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80) return 'local';
	return 'public';
}

export function addressSpace(host: string): AddressSpace {
	const h = host.replace(/^\[|\]$/g, '').toLowerCase();
	if (h === 'localhost' || h.endsWith('.localhost')) return 'loopback';
	const v4 = ipv4(h);
	if (v4) return ipv4Space(v4);
	const v6 = ipv6Space(h);
	if (v6) return v6;
	if (h.endsWith('.local')) return 'local';
	return 'unknown';
}

/**
 * Whether this browser can reach a USB serial terminal, said in words a cashier can act on
 * (NOTES.md §3: Chrome/Edge desktop 89+, Android Chrome only from 148, secure contexts only).
 */
import type { SerialPortLike } from './transport';

export interface SerialLike {
	getPorts(): Promise<SerialPortLike[]>;
	requestPort(options?: {
		filters?: { usbVendorId?: number; usbProductId?: number }[];
	}): Promise<SerialPortLike>;
}

export interface NavigatorLike {
	serial?: SerialLike;
	userAgent?: string;
}

export type WebSerialSupport =
	{ supported: true; serial: SerialLike } | { supported: false; reason: string };

export function isWebSerialSupported(
	nav: NavigatorLike | undefined,
	secureContext = true
): WebSerialSupport {
	if (!nav) {
		return {
			supported: false,
			reason: 'USB terminals work only in the till’s browser, not on the server.'
		};
	}
	if (!secureContext) {
		return {
			supported: false,
			reason:
				'The browser only offers USB serial ports to secure pages. Open the POS over https:// ' +
				'or at http://localhost.'
		};
	}
	if (!nav.serial) {
		const ua = nav.userAgent ?? '';
		const android = /Android/i.test(ua);
		// An app's embedded WebView ("; wv)") never has Web Serial, whatever Chrome is installed.
		if (android && /; wv\)/.test(ua)) {
			return {
				supported: false,
				reason:
					'This POS is running inside an app’s web view, which cannot use USB serial devices. ' +
					'Open it in Chrome (version 148 or later) instead.'
			};
		}
		return {
			supported: false,
			reason: android
				? 'Chrome on Android can use USB serial terminals only from version 148. Update Chrome, ' +
					'or connect the terminal to a desktop computer.'
				: 'This browser cannot talk to USB serial devices. Use Chrome or Edge (version 89 or ' +
					'later) on a desktop computer.'
		};
	}
	return { supported: true, serial: nav.serial };
}

/**
 * Reopens a port the user already granted (no prompt, NOTES.md §3). Picking a new port needs
 * `serial.requestPort()` from a click; that belongs to the settings screen.
 */
export async function grantedPort(serial: SerialLike): Promise<SerialPortLike | undefined> {
	const ports = await serial.getPorts();
	return ports[0];
}

import { z } from 'zod/mini';
import type { RailDescriptor } from '../rail';
import { flag, numeric, paramsSchema } from '../params-schema';

/** Haojin (QFPay) on USB, by Chrome's Web Serial (NOTES.md §3). */
export const haojinUsbRail: RailDescriptor<'haojin-usb'> = {
	id: 'haojin-usb',
	label: 'Haojin (QFPay) USB',
	needs: { webSerial: true },
	params: paramsSchema({
		keyMode: z.enum(['ascii256', 'hex128']),
		channel: z.string().check(z.maxLength(40)),
		cameraId: numeric,
		scanType: z.enum(['QRCODE_PAY', 'SCAN_PAY']),
		waitCardTimeoutS: numeric,
		moveToBack: flag,
		fragmentLengthMode: z.enum(['whole', 'fragment']),
		txamtUnit: z.enum(['minor', 'major']),
		refundOrderId: z.enum(['merchantOrderNo', 'reference']),
		baudRate: numeric,
		usbVendorId: numeric,
		usbProductId: numeric,
		simulator: z.boolean()
	}),
	// Which USB device on this till is the terminal (chosen with the browser's port picker).
	deviceLocalParams: ['usbVendorId', 'usbProductId'],
	addOnTill: () => ({}),
	load: async () => {
		const { createHaojinUsbDriver } = await import('./create-driver');
		return {
			createDriver: (config, options) =>
				createHaojinUsbDriver(config, undefined, { demo: options.demo === true })
		};
	},
	settings: async () => (await import('./HaojinUsbFields.svelte')).default,
	// Its POS-KEY is kept only on this device: it must not outlive the terminal there.
	forget: async (terminalId) => {
		const { posKeyStore } = await import('./key-store');
		await posKeyStore().remove(terminalId);
	}
};

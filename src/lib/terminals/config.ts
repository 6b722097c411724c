import { z } from 'zod';
import type { TerminalConfig } from './driver';

export const railSchema = z.enum([
	'simulated',
	'codepay-lan',
	'haojin-usb',
	'codepay-cloud',
	'iotpay-pax'
]);

export const terminalConfigSchema: z.ZodType<TerminalConfig> = z.object({
	id: z.string().min(1).max(64),
	name: z.string().min(1).max(80),
	rail: railSchema,
	currency: z.string().regex(/^[A-Z]{3}$/),
	params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
	provisioned: z.boolean().optional()
});

export const RAIL_LABELS: Record<TerminalConfig['rail'], string> = {
	simulated: 'Simulated terminal',
	'codepay-lan': 'CodePay Register (LAN)',
	'haojin-usb': 'Haojin (QFPay) USB',
	'codepay-cloud': 'CodePay cloud',
	'iotpay-pax': 'IOT Pay CC_PAX'
};

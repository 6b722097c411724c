/**
 * IOT Pay's server settings, from the environment. The merchant id and key live only here (never
 * in the config file that tablets see a part of): `IOTPAY_MCH_ID`, `IOTPAY_KEY` or
 * `IOTPAY_KEY_FILE` (a file outside the repository), `IOTPAY_BASE_URL`.
 */
import { readFileSync } from 'node:fs';
import type { WireForm } from './wire';

export interface IotPaySettings {
	mchId: string;
	key: string;
	/** e.g. `https://api.iotpaycloud.com/v1`; `create_order` and `query_order` are below it. */
	baseUrl: string;
	/** `params` (one `params=<json>` field, the default) or `fields` (NOTES.md §4). */
	form: WireForm;
	/** How long `create_order` is held open: as long as a card can take, and then some. */
	createTimeoutMs: number;
	/** A `query_order` call's own limit. */
	queryTimeoutMs: number;
	/** After a lost `create_order`: ask `query_order` this often, for this long (NOTES.md §4). */
	pollEveryMs: number;
	pollForMs: number;
	/** `clientIp` sent with an order: the gateway wants one; the server's LAN address is as good. */
	clientIp: string;
}

export type SettingsResult =
	| { ok: true; settings: IotPaySettings }
	/** What is missing or wrong, naming the variables, for the cashier and the log. */
	| { ok: false; message: string };

type Env = Record<string, string | undefined>;

function positive(env: Env, name: string, fallback: number): number {
	const text = env[name];
	if (text === undefined || text === '') return fallback;
	const value = Number(text);
	if (!Number.isSafeInteger(value) || value <= 0) {
		throw new Error(`${name} must be a positive whole number of milliseconds.`);
	}
	return value;
}

export const DEFAULTS = {
	createTimeoutMs: 180_000,
	queryTimeoutMs: 10_000,
	pollEveryMs: 2_000,
	pollForMs: 60_000
};

export function readSettings(env: Env): SettingsResult {
	const mchId = env.IOTPAY_MCH_ID?.trim();
	let key = env.IOTPAY_KEY;
	if (!key && env.IOTPAY_KEY_FILE) {
		try {
			key = readFileSync(env.IOTPAY_KEY_FILE, 'utf8').trim();
		} catch (error) {
			return {
				ok: false,
				message: `IOTPAY_KEY_FILE cannot be read: ${(error as Error).message}`
			};
		}
	}
	const baseUrl = env.IOTPAY_BASE_URL?.trim();
	const missing = [
		mchId ? null : 'IOTPAY_MCH_ID',
		key ? null : 'IOTPAY_KEY (or IOTPAY_KEY_FILE)',
		baseUrl ? null : 'IOTPAY_BASE_URL'
	].filter(Boolean);
	if (missing.length > 0 || !mchId || !key || !baseUrl) {
		return {
			ok: false,
			message: `IOT Pay is not set up on the POS server: set ${missing.join(', ')}.`
		};
	}
	if (!/^https?:\/\//.test(baseUrl)) {
		return { ok: false, message: 'IOTPAY_BASE_URL must be an http(s) URL.' };
	}
	const form = env.IOTPAY_FORM || 'params';
	if (form !== 'params' && form !== 'fields') {
		return { ok: false, message: 'IOTPAY_FORM must be "params" or "fields".' };
	}
	try {
		return {
			ok: true,
			settings: {
				mchId,
				key,
				baseUrl: baseUrl.replace(/\/+$/, ''),
				form,
				createTimeoutMs: positive(env, 'IOTPAY_CREATE_TIMEOUT_MS', DEFAULTS.createTimeoutMs),
				queryTimeoutMs: positive(env, 'IOTPAY_QUERY_TIMEOUT_MS', DEFAULTS.queryTimeoutMs),
				pollEveryMs: positive(env, 'IOTPAY_POLL_EVERY_MS', DEFAULTS.pollEveryMs),
				pollForMs: positive(env, 'IOTPAY_POLL_FOR_MS', DEFAULTS.pollForMs),
				clientIp: env.IOTPAY_CLIENT_IP || '127.0.0.1'
			}
		};
	} catch (error) {
		return { ok: false, message: (error as Error).message };
	}
}

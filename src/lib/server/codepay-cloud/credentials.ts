/**
 * The cloud rail's credentials, from the server's environment only (issue 10): the gateway URL,
 * app id, merchant number, the merchant's private key and the gateway's public key, each key
 * given inline or as a path in `…_FILE`. Absent: the rail is "not configured" (the server starts
 * and says so). Present but unreadable: an error at start, naming the variable, never the key.
 */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { loadPrivateKey, loadPublicKey } from './keys';

export interface CloudCredentials {
	/** The entry point, e.g. `https://open.example.com/api/entry` (sandbox or production). */
	gatewayUrl: string;
	appId: string;
	merchantNo: string;
	privateKey: KeyObject;
	gatewayPublicKey: KeyObject;
}

export type CredentialsResult =
	{ configured: true; credentials: CloudCredentials } | { configured: false; missing: string[] };

export const CLOUD_ENV = {
	url: 'CODEPAY_GATEWAY_URL',
	appId: 'CODEPAY_APP_ID',
	merchantNo: 'CODEPAY_MERCHANT_NO',
	privateKey: 'CODEPAY_MERCHANT_PRIVATE_KEY',
	publicKey: 'CODEPAY_GATEWAY_PUBLIC_KEY'
} as const;

type Env = Record<string, string | undefined>;

function inlineOrFile(env: Env, name: string): string | undefined {
	const inline = env[name];
	if (inline) return inline;
	const path = env[`${name}_FILE`];
	if (!path) return undefined;
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		throw new Error(`${name}_FILE: cannot read ${path}: ${(error as NodeJS.ErrnoException).code}`);
	}
}

export function loadCloudCredentials(env: Env): CredentialsResult {
	const url = env[CLOUD_ENV.url];
	const appId = env[CLOUD_ENV.appId];
	const merchantNo = env[CLOUD_ENV.merchantNo];
	const privateText = inlineOrFile(env, CLOUD_ENV.privateKey);
	const publicText = inlineOrFile(env, CLOUD_ENV.publicKey);
	const missing = [
		!url && CLOUD_ENV.url,
		!appId && CLOUD_ENV.appId,
		!merchantNo && CLOUD_ENV.merchantNo,
		!privateText && `${CLOUD_ENV.privateKey} (or _FILE)`,
		!publicText && `${CLOUD_ENV.publicKey} (or _FILE)`
	].filter((name): name is string => typeof name === 'string');
	if (missing.length > 0 || !url || !appId || !merchantNo || !privateText || !publicText) {
		return { configured: false, missing };
	}
	let parsedUrl: URL;
	try {
		parsedUrl = new URL(url);
	} catch {
		throw new Error(`${CLOUD_ENV.url} is not a URL.`);
	}
	if (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') {
		throw new Error(`${CLOUD_ENV.url} must be http(s).`);
	}
	return {
		configured: true,
		credentials: {
			gatewayUrl: parsedUrl.href,
			appId,
			merchantNo,
			privateKey: loadPrivateKey(privateText, CLOUD_ENV.privateKey),
			gatewayPublicKey: loadPublicKey(publicText, CLOUD_ENV.publicKey)
		}
	};
}

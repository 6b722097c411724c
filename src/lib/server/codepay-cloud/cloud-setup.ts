/**
 * Builds the process's cloud rail from the environment and starts its poller, which also
 * reconciles at start-up every order left open (its first round runs at once). Without the
 * CODEPAY_* variables the rail is "not configured" and says which are missing.
 */
import type { TerminalConfig } from '$lib/terminals/driver';
import type { CloudRailSetup } from '../runtime';
import type { Store } from '../store/types';
import { CloudRail } from './cloud-rail';
import { loadCloudCredentials } from './credentials';
import { CodePayGateway } from './gateway-client';

const POLL_EVERY_MS = 2_000;

export function setUpCloudRail(options: {
	env: Record<string, string | undefined>;
	store: Store;
	/** The terminals now (the back office may change them while the server runs). */
	terminals: readonly TerminalConfig[] | (() => readonly TerminalConfig[]);
}): CloudRailSetup {
	const terminals = options.terminals;
	const current = typeof terminals === 'function' ? terminals : () => terminals;
	let loaded: ReturnType<typeof loadCloudCredentials>;
	try {
		loaded = loadCloudCredentials(options.env);
	} catch (error) {
		// A key that does not load: the rest of the POS runs on, and the rail says why it cannot.
		const problem = (error as Error).message;
		console.error(`POS server: CodePay cloud is not configured: ${problem}`);
		return { configured: false, missing: [problem] };
	}
	if (!loaded.configured) {
		if (current().some((t) => t.rail === 'codepay-cloud')) {
			console.warn(
				`POS server: CodePay cloud terminals are configured, but the rail is not configured (missing ${loaded.missing.join(', ')}).`
			);
		}
		return loaded;
	}
	const { credentials } = loaded;
	const rail = new CloudRail({
		gateway: new CodePayGateway(credentials),
		gatewayPublicKey: credentials.gatewayPublicKey,
		store: options.store,
		terminals: current,
		now: Date.now
	});
	let running = false;
	const round = async () => {
		if (running) return;
		running = true;
		try {
			await rail.pollDue();
		} catch (error) {
			console.warn('POS server: CodePay cloud poll failed:', (error as Error).message);
		} finally {
			running = false;
		}
	};
	void round();
	setInterval(round, POLL_EVERY_MS).unref();
	return {
		configured: true,
		rail,
		notifyUrl: options.env.CODEPAY_NOTIFY_URL || undefined,
		returnUrl: options.env.CODEPAY_RETURN_URL || undefined
	};
}

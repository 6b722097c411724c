/** Types for `server.js`, the CodePay cloud gateway simulator. */

export interface CloudSimulatorFaults {
	decline: boolean;
	cancelOnTerminal: boolean;
	badResponseSignature: boolean;
	unsignedResponse: boolean;
	noNotification: boolean;
	notificationCopies: number;
	outOfOrder: boolean;
	amountMismatch: boolean;
	staleNotification: boolean;
	clockSkewMs: number;
	slowMs: number;
	terminalDelayMs: number;
	/** With on_screen_tip, the tip the customer picks on the terminal, in % of the amount. */
	screenTipPercent: number;
	notifyDelayMs: number;
	http5xx: boolean;
	timeout: boolean;
}

export interface CloudSimulatorOptions {
	/** Default 35780; 0 picks a free port. */
	port?: number;
	host?: string;
	appId?: string;
	merchantNo?: string;
	/** PEM of the merchant's public key (to verify requests). */
	merchantPublicKey: string;
	/** PEM of the gateway's private key (to sign answers and notifications). */
	gatewayPrivateKey: string;
	/** How long the virtual terminal takes before it finishes an order. */
	approveMs?: number;
	/** Base delay between notification retries. */
	retryMs?: number;
	log?: (line: string) => void;
}

export interface CloudOrderView {
	trans_no: string;
	merchant_order_no: string;
	terminal_sn?: string;
	trans_status: number;
	trans_type: number;
	price_currency: string;
	order_amount: string;
	tip_amount: string;
	[key: string]: unknown;
}

export interface CloudGatewaySimulator {
	port: number;
	/** The Open API entry point, for `CODEPAY_GATEWAY_URL`. */
	url: string;
	controlUrl: string;
	readonly faults: CloudSimulatorFaults;
	setFaults(next: Partial<CloudSimulatorFaults>): void;
	orders(): CloudOrderView[];
	requests(): Record<string, unknown>[];
	notifications(): { merchantOrderNo: string; attempt: number; answer: string; body: string }[];
	close(): Promise<void>;
}

export function canonical(fields: Record<string, unknown>): string;
export function startCloudGatewaySimulator(
	options: CloudSimulatorOptions
): Promise<CloudGatewaySimulator>;

/**
 * The server's side of the rails that go through it, as one table: `/api/rails/<rail>/<path>` is
 * routed here (`src/routes/api/rails/[rail]/[...path]`), so that no route file names a rail and
 * adding a server rail means its own module plus an entry below.
 */
import {
	cancelCloudOrder,
	cloudNotification,
	getCloudOrder,
	pushCloudOrder,
	queryCloudOrder
} from '../api/codepay-cloud';
import { cloudEvents } from '../api/codepay-cloud-events';
import { adjustCloudTip, closeCloudBatch } from '../api/codepay-cloud-extras';
import { cancelHostedOrder, createCheckout, refundHostedOrder } from '../api/codepay-link';
import { iotPaySaleStatus, startIotPaySale } from '../api/iotpay-sales';
import {
	cancelCheckout,
	checkoutStatus,
	gatewayKey,
	startCheckout,
	startRefund
} from '../api/card-entry';
import { jsonError, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

type Handler = (rt: Runtime, event: ApiEvent, params: Record<string, string>) => Promise<Response>;

interface RailRoute {
	method: 'GET' | 'POST';
	/** Segments after the rail; `:name` matches one segment, given to the handler as a param. */
	path: string;
	handler: Handler;
}

const ROUTES: Readonly<Record<string, readonly RailRoute[]>> = {
	'iotpay-pax': [
		{ method: 'POST', path: 'sales', handler: (rt, event) => startIotPaySale(rt, event) },
		{
			method: 'GET',
			path: 'sales/:merchantOrderNo',
			handler: (rt, event, params) => iotPaySaleStatus(rt, event, params.merchantOrderNo ?? '')
		}
	],
	// Issue 10: the till's side of the CodePay cloud rail (`api/codepay-cloud.ts`).
	'codepay-cloud': [
		{ method: 'POST', path: 'orders', handler: (rt, event) => pushCloudOrder(rt, event) },
		{
			method: 'GET',
			path: 'orders/:no',
			handler: (rt, event, params) => getCloudOrder(rt, event, params.no ?? '')
		},
		{
			method: 'POST',
			path: 'orders/:no/query',
			handler: (rt, event, params) => queryCloudOrder(rt, event, params.no ?? '')
		},
		{
			method: 'POST',
			path: 'orders/:no/cancel',
			handler: (rt, event, params) => cancelCloudOrder(rt, event, params.no ?? '')
		},
		{
			method: 'POST',
			path: 'orders/:no/tip',
			handler: (rt, event, params) => adjustCloudTip(rt, event, params.no ?? '')
		},
		{ method: 'POST', path: 'batch-close', handler: (rt, event) => closeCloudBatch(rt, event) },
		{ method: 'GET', path: 'events', handler: (rt, event) => cloudEvents(rt, event) }
	],
	// Issue 11: pay by link and kiosk checkout, hosted orders of the same gateway (`api/codepay-link.ts`).
	'codepay-link': [
		{ method: 'POST', path: 'checkouts', handler: (rt, event) => createCheckout(rt, event) },
		{
			method: 'GET',
			path: 'orders/:no',
			handler: (rt, event, params) => getCloudOrder(rt, event, params.no ?? '')
		},
		{
			method: 'POST',
			path: 'orders/:no/query',
			handler: (rt, event, params) => queryCloudOrder(rt, event, params.no ?? '')
		},
		{
			method: 'POST',
			path: 'orders/:no/cancel',
			handler: (rt, event, params) => cancelHostedOrder(rt, event, params.no ?? '')
		},
		{ method: 'POST', path: 'refunds', handler: (rt, event) => refundHostedOrder(rt, event) },
		{ method: 'GET', path: 'events', handler: (rt, event) => cloudEvents(rt, event) }
	],
	// Issue 11: card entry (merchant-hosted checkout), `api/card-entry.ts`.
	'codepay-card': [
		{ method: 'GET', path: 'key', handler: (rt, event) => gatewayKey(rt, event) },
		{ method: 'POST', path: 'checkouts', handler: (rt, event) => startCheckout(rt, event) },
		{
			method: 'GET',
			path: 'checkouts/:no',
			handler: (rt, event, params) => checkoutStatus(rt, event, params.no ?? '')
		},
		{
			method: 'POST',
			path: 'checkouts/:no/cancel',
			handler: (rt, event, params) => cancelCheckout(rt, event, params.no ?? '')
		},
		{ method: 'POST', path: 'refunds', handler: (rt, event) => startRefund(rt, event) }
	]
};

/** Gateways' notifications, by rail (`/api/notify/<rail>`, public: each checks its signature). */
const NOTIFICATIONS: Readonly<Record<string, (rt: Runtime, event: ApiEvent) => Promise<Response>>> =
	{
		'codepay-cloud': cloudNotification
	};

export async function railNotification(
	rt: Runtime,
	event: ApiEvent,
	rail: string
): Promise<Response> {
	const handler = Object.hasOwn(NOTIFICATIONS, rail) ? NOTIFICATIONS[rail] : undefined;
	if (!handler) return jsonError(404, 'not_found', 'No such API route.');
	return handler(rt, event);
}

function match(pattern: string, segments: string[]): Record<string, string> | null {
	const parts = pattern.split('/');
	if (parts.length !== segments.length) return null;
	const params: Record<string, string> = {};
	for (const [i, part] of parts.entries()) {
		const segment = segments[i] ?? '';
		if (part.startsWith(':')) params[part.slice(1)] = segment;
		else if (part !== segment) return null;
	}
	return params;
}

/** Answers `/api/rails/<rail>/<path>`: the rail's handler, or a JSON 404 / 405. */
export async function railRoute(
	rt: Runtime,
	event: ApiEvent,
	method: 'GET' | 'POST',
	rail: string,
	path: string
): Promise<Response> {
	const routes = Object.hasOwn(ROUTES, rail) ? ROUTES[rail] : undefined;
	const segments = path.split('/').filter(Boolean);
	const found = routes?.flatMap((route) => {
		const params = match(route.path, segments);
		return params ? [{ route, params }] : [];
	});
	if (!found?.length) return jsonError(404, 'not_found', 'No such API route.');
	const hit = found.find(({ route }) => route.method === method);
	if (!hit) return jsonError(405, 'method_not_allowed', `Use ${found[0]?.route.method}.`);
	return hit.route.handler(rt, event, hit.params);
}

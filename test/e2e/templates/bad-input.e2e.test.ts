/**
 * The bad-input sweep (issue 11): the shipped order-sync and fulfilment back-sync templates in a
 * real n8n 2.x, fed bad inputs in the same time window as good ones. Good orders are placed the
 * way a shopper places them (the Shopify sandbox's control API) and shipped the way the warehouse
 * ships them (ShipBob's simulate-shipment call); bad inputs come the way they reach a production
 * webhook: malformed JSON, missing, wrong or stale signatures and oversized bodies posted to the
 * trigger's URL, and correctly signed deliveries whose content is wrong (negative, fractional or
 * text quantities, lines without a SKU, SKUs no system knows, no lines, no e-mail, a shipment
 * without an id). Each bad input must be answered with a 4xx at the webhook (no execution), or
 * end as a dead letter or error-output item whose error names the field; every good item must
 * still reach every system exactly once, asserted from the sandboxes' state.
 */
import { createHmac, randomBytes } from 'node:crypto';

import { SHIPBOB_SANDBOX_TOKEN } from '../../../sandbox/systems/shipbob';
import { E2E_TIMEOUT } from '../setup';
import { BadInputTally, post, shopifySign, type BadOutcome } from './support-badinput';
import {
	allItems,
	importTemplate,
	nodesRun,
	placeShopifyOrder,
	startTemplateEnv,
	waitFor,
	waitForSubscription,
	type TemplateEnv,
} from './support-ordersync';

type Execution = Awaited<ReturnType<TemplateEnv['n8n']['executions']>>[number];

const tally = new BadInputTally();

/** Larger than the body limit n8n runs with in the harness (N8N_PAYLOAD_SIZE_MAX=64, in MiB). */
const OVERSIZED_BYTES = 65 * 1024 * 1024;
/**
 * What n8n 2.x answers a webhook body over its limit: it reads the body before any trigger code
 * runs, and its webhook handler turns raw-body's 413 into a 500 with this message. No trigger
 * can answer earlier; what matters is that nothing starts (asserted from the run counts).
 */
const N8N_OVERSIZED = { status: 500, message: 'There was a problem executing the workflow' };

/** Standard Webhooks signature headers (ShipBob) for a body, with the subscription's secret. */
function shipBobHeaders(secret: string, body: string, options: { timestampS?: number; id?: string } = {}): Record<string, string> {
	const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
	const id = options.id ?? `msg_${randomBytes(8).toString('hex')}`;
	const ts = String(options.timestampS ?? Math.floor(Date.now() / 1000));
	return {
		'webhook-id': id,
		'webhook-timestamp': ts,
		'webhook-signature': `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`, 'utf8').digest('base64')}`,
		'x-webhook-topic': 'order.shipped',
	};
}

/** A Shopify orders/create body as Shopify sends it (REST shape), for crafted deliveries. */
function shopifyOrder(id: number, lineItems: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id,
		admin_graphql_api_id: `gid://shopify/Order/${id}`,
		name: `#B${id % 100_000}`,
		order_number: id % 100_000,
		email: `bad.${id}@example.com`,
		created_at: new Date().toISOString(),
		updated_at: new Date().toISOString(),
		cancelled_at: null,
		financial_status: 'paid',
		fulfillment_status: null,
		currency: 'USD',
		total_price: '20.00',
		customer: { id: id + 7, email: `bad.${id}@example.com`, first_name: 'Bad', last_name: 'Input' },
		shipping_address: {
			name: 'Bad Input',
			address1: '1 Test Street',
			address2: null,
			city: 'Reno',
			zip: '89501',
			province_code: 'NV',
			country_code: 'US',
			phone: null,
		},
		...(lineItems === undefined ? {} : { line_items: lineItems }),
		...overrides,
	};
}

function line(id: number, sku: unknown, quantity: unknown): Record<string, unknown> {
	return { id, admin_graphql_api_id: `gid://shopify/LineItem/${id}`, sku, name: `Line ${id}`, quantity, price: '10.00', variant_id: null };
}

/** The run of a workflow whose trigger item matches, once it has finished. */
async function runFor(env: TemplateEnv, workflowId: string, trigger: string, match: (item: Record<string, unknown>) => boolean, timeoutMs = 180_000): Promise<Execution> {
	return await waitFor(
		`the run of ${trigger} for the item`,
		async () => {
			const all = await env.n8n.executions(workflowId);
			const run = all.find((e) => {
				try {
					return allItems(e, trigger).some(match);
				} catch {
					return false;
				}
			});
			return run && !['running', 'new', 'waiting'].includes(run.status) ? run : undefined;
		},
		timeoutMs,
	);
}

/** Waits until no execution of a workflow is running, then a quiet spell. */
async function quiet(env: TemplateEnv, workflowId: string, settleMs = 3_000, timeoutMs = 240_000): Promise<Execution[]> {
	let since = 0;
	return await waitFor(
		`workflow ${workflowId} to go quiet`,
		async () => {
			const all = await env.n8n.executions(workflowId);
			if (all.some((e) => ['running', 'new', 'waiting'].includes(e.status))) {
				since = 0;
				return undefined;
			}
			since ||= Date.now();
			return Date.now() - since >= settleMs ? all : undefined;
		},
		timeoutMs,
	);
}

/** The error text a bad item ended with in a run: its dead letter's, or the run's own error. */
function errorOf(run: Execution, failedNode: string, key: (item: Record<string, unknown>) => boolean): { error?: string; where: string } {
	const dead = (() => {
		try {
			return allItems(run, failedNode).filter((i) => i._retry && key(i));
		} catch {
			return [];
		}
	})();
	const parked = dead.find((d) => typeof (d._retry as { deadLetterId?: unknown }).deadLetterId === 'string');
	if (parked) {
		const retry = parked._retry as { lastError?: { message?: string }; reason?: string };
		const err = parked.error as { message?: string; description?: string } | undefined;
		return { error: [retry.lastError?.message, err?.message, err?.description].filter(Boolean).join(' | '), where: `dead letter (${retry.reason}) after ${String(parked.failedStep)}` };
	}
	const runError = (run.data as { resultData?: { error?: { message?: string; description?: string; node?: { name?: string } } } } | undefined)?.resultData?.error;
	if (runError) return { error: `${runError.message ?? ''} ${runError.description ?? ''}`.trim(), where: `run failed in ${runError.node?.name ?? '?'}` };
	return { where: `no error (status ${run.status}; nodes ${nodesRun(run).join(', ')})` };
}

describe('Bad input sweep: order sync and fulfilment back-sync fed bad inputs beside good ones', () => {
	let env: TemplateEnv;
	let orderSync: { id: string; webhookId: string };
	let backSync: { id: string; webhookId: string };
	let orderUrl: string;
	let shipUrl: string;
	const goodOrderKeys: string[] = [];

	const netsuite = () => env.sandbox.state('netsuite') as { transactions: Array<{ type: string; externalId: string | null; createdFrom: string | null; id: string }>; customers: Array<{ externalId?: string }> };
	const shipbob = () => env.sandbox.state('shipbob') as { orders: Array<{ referenceId: string; shipmentIds: string[] }> };
	const hubspot = () => env.sandbox.state('hubspot') as { deals: Array<{ properties: Record<string, string> }> };
	const shopify = () => env.sandbox.state('shopify') as { fulfillments: Array<{ orderId: string }>; orders: Array<{ id: string }> };
	const salesOrders = (key: string) => netsuite().transactions.filter((t) => t.type === 'SalesOrd' && t.externalId === key);
	const shipbobOrders = (key: string) => shipbob().orders.filter((o) => o.referenceId === key);
	const deals = (key: string) => hubspot().deals.filter((d) => d.properties.order_id === key);
	const footprint = (key: string) => ({ netsuite: salesOrders(key).length, shipbob: shipbobOrders(key).length, hubspot: deals(key).length });

	const record = (o: BadOutcome) => {
		tally.bad.push(o);
		return o;
	};

	beforeAll(async () => {
		env = await startTemplateEnv({
			systems: ['shopify', 'netsuite', 'shipbob', 'hubspot'],
			seed: { seed: 'e2e-bad-input', skus: 16, locations: 2 },
			credentialTypes: ['shopifyAdminGraphqlApi', 'netSuiteTbaApi', 'shipBobApi', 'hubSpotPrivateAppApi'],
		});
		orderSync = await importTemplate(env, 'order-sync.json');
		await env.n8n.activate(orderSync.id);
		orderUrl = await waitForSubscription(env, 'shopify', orderSync.webhookId);
		backSync = await importTemplate(env, 'fulfilment-back-sync.json');
		await env.n8n.activate(backSync.id);
		shipUrl = await waitForSubscription(env, 'shipbob', backSync.webhookId);
	}, E2E_TIMEOUT);

	afterAll(async () => {
		console.log(tally.summary('bad-input'));
		await env?.close();
	}, 60_000);

	it('refuses bad order deliveries at the webhook and parks bad orders with an error naming the field, while every good order goes through once', async () => {
		const items = env.sandbox.catalog()!.items;
		// Good orders use SKUs NetSuite has plenty of everywhere: a backordered line cannot be
		// fulfilled, and the shipment test must fail only for bad inputs, not for thin stock.
		const stocked = items.filter((i) => i.stock.every((s) => s.onHand - s.committed - s.reserved >= 10));
		expect(stocked.length).toBeGreaterThanOrEqual(5);
		const before = (await env.n8n.executions(orderSync.id)).length;
		const goodBody = JSON.stringify(shopifyOrder(9_100_000_001, [line(9_100_000_101, items[0].sku, 1)]));

		// Good order 1, then bad deliveries and bad orders, with good orders in between.
		const place = async (lineItems: Array<{ sku: string; quantity: number }>, email: string) => {
			const order = await placeShopifyOrder(env, { lineItems, email });
			tally.goodSent++;
			goodOrderKeys.push(`shopify-${order.numericId}`);
		};
		await place([{ sku: stocked[0].sku, quantity: 2 }], 'good.one@example.com');

		// At the door: each must be refused with a 4xx and start nothing.
		const door: Array<{ kind: string; what: string; expect: number; body?: string; send: () => Promise<{ status: number; text: string }> }> = [
			{ kind: 'malformed JSON', what: 'Shopify order, truncated JSON, correctly signed (application/json)', expect: 422, send: async () => {
				const body = '{"id": 9100000002, "line_items": [{"sku": ';
				return await post(orderUrl, body, { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': shopifySign(body) });
			} },
			{ kind: 'malformed JSON', what: 'Shopify order, truncated JSON, correctly signed (text/plain)', expect: 400, send: async () => {
				const body = '{"id": 9100000003, "line_items": [{"sku": ';
				return await post(orderUrl, body, { 'content-type': 'text/plain', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': shopifySign(body) });
			} },
			{ kind: 'malformed JSON', what: 'Shopify order, a JSON list instead of an order, correctly signed', expect: 400, send: async () => {
				const body = '[{"id": 9100000004}]';
				return await post(orderUrl, body, { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': shopifySign(body) });
			} },
			{ kind: 'bad signature', what: 'Shopify order without X-Shopify-Hmac-Sha256', expect: 401, send: async () =>
				await post(orderUrl, goodBody, { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create' }) },
			{ kind: 'bad signature', what: 'Shopify order signed with another secret', expect: 401, send: async () =>
				await post(orderUrl, goodBody, { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': createHmac('sha256', 'not-the-secret').update(goodBody).digest('base64') }) },
			{ kind: 'bad signature', what: 'Shopify order whose quantity was changed after signing', expect: 401, send: async () =>
				await post(orderUrl, goodBody.replace('"quantity":1', '"quantity":100'), { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': shopifySign(goodBody) }) },
			{ kind: 'oversized', what: `Shopify order of ${OVERSIZED_BYTES >> 20} MiB, correctly signed`, expect: N8N_OVERSIZED.status, body: N8N_OVERSIZED.message, send: async () => {
				const many = Array.from({ length: Math.ceil(OVERSIZED_BYTES / 150) }, (_, i) => line(9_200_000_000 + i, items[1].sku, 1));
				const body = JSON.stringify(shopifyOrder(9_100_000_005, many));
				return await post(orderUrl, body, { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': shopifySign(body) });
			} },
		];
		for (const d of door) {
			const res = await d.send();
			const ok = res.status === d.expect && (d.body === undefined || res.text.includes(d.body));
			record({ kind: d.kind, what: d.what, status: res.status, error: res.text.slice(0, 160), ok, why: ok ? undefined : `expected ${d.expect} ${d.body ?? ''}` });
		}
		// Shopify itself delivering a truncated body (its own signature, its own retries).
		const truncated = env.sandbox.webhooks.emit('shopify', 'orders/create', '{"id": 9100000006, "email": "x@example.com", "line_');
		await place([{ sku: stocked[1].sku, quantity: 1 }, { sku: stocked[2].sku, quantity: 3 }], 'good.two@example.com');

		// Bad orders that are valid deliveries: they must reach the workflow and fail there, clearly.
		const badOrders: Array<{ kind: string; what: string; key: string; field: RegExp; send: () => Promise<void> }> = [];
		const crafted = (kind: string, what: string, id: number, field: RegExp, lineItems: unknown, overrides: Record<string, unknown> = {}) =>
			badOrders.push({ kind, what, key: `shopify-${id}`, field, send: async () => void env.sandbox.webhooks.emit('shopify', 'orders/create', shopifyOrder(id, lineItems, overrides)) });
		crafted('negative quantity', 'a line with quantity -2', 9_100_000_010, /quantity/i, [line(9_100_001_010, items[3].sku, 1), line(9_100_002_010, items[4].sku, -2)]);
		crafted('non-integer quantity', 'a line with quantity 1.5', 9_100_000_011, /quantity/i, [line(9_100_001_011, items[3].sku, 1.5)]);
		crafted('non-integer quantity', 'a line with quantity "two"', 9_100_000_012, /quantity/i, [line(9_100_001_012, items[3].sku, 'two')]);
		crafted('missing field', 'a custom line without a SKU', 9_100_000_013, /sku/i, [line(9_100_001_013, items[3].sku, 1), line(9_100_002_013, null, 1)]);
		crafted('missing field', 'an order with no lines', 9_100_000_014, /line/i, []);
		crafted('missing field', 'an order without line_items', 9_100_000_015, /line/i, undefined);
		badOrders.push({
			kind: 'unknown SKU',
			what: 'a shopper order with a SKU no ERP or warehouse knows',
			key: '',
			field: /NOT-IN-ANY-SYSTEM-7/,
			send: async () => {
				const order = await placeShopifyOrder(env, { lineItems: [{ sku: items[5].sku, quantity: 1 }, { sku: 'NOT-IN-ANY-SYSTEM-7', quantity: 1 }], email: 'unknown.sku@example.com' });
				badOrders.find((b) => b.kind === 'unknown SKU')!.key = `shopify-${order.numericId}`;
			},
		});
		badOrders.push({
			kind: 'missing field',
			what: 'a shopper order without an e-mail address',
			key: '',
			field: /e-?mail/i,
			send: async () => {
				const order = await placeShopifyOrder(env, { lineItems: [{ sku: items[6].sku, quantity: 1 }], email: '' });
				badOrders.find((b) => b.what.includes('without an e-mail'))!.key = `shopify-${order.numericId}`;
			},
		});
		for (const [i, b] of badOrders.entries()) {
			await b.send();
			if (i === 3) await place([{ sku: stocked[3].sku, quantity: 1 }], 'good.three@example.com');
		}
		await place([{ sku: stocked[4].sku, quantity: 1 }, { sku: stocked[0].sku, quantity: 1 }], 'good.four@example.com');

		// Everything settles: one run per good order and per bad order that was a valid delivery.
		await waitFor('every order run', async () => ((await env.n8n.executions(orderSync.id)).length >= before + goodOrderKeys.length + badOrders.length ? true : undefined), 240_000);
		const runs = await quiet(env, orderSync.id);

		// Shopify's own truncated delivery was refused (n8n cannot parse it), so it started nothing.
		const truncatedAttempts = env.sandbox.webhooks.deliveries({ system: 'shopify', eventId: truncated.eventId });
		record({
			kind: 'malformed JSON',
			what: 'Shopify delivering a truncated order body (signed by the sandbox)',
			status: truncatedAttempts[0]?.status ?? undefined,
			ok: truncatedAttempts.length > 0 && truncatedAttempts.every((a) => a.status !== null && a.status >= 400 && a.status < 500),
		});

		for (const b of badOrders) {
			const run = await runFor(env, orderSync.id, 'Shopify order created', (i) => `shopify-${(i.payload as { id?: unknown })?.id}` === b.key);
			const { error, where } = errorOf(run, 'Retry or give up', (i) => i.orderKey === b.key);
			const nothingWritten = b.kind === 'unknown SKU' || b.what.includes('e-mail') ? true : footprint(b.key).netsuite === 0 && footprint(b.key).shipbob === 0 && footprint(b.key).hubspot === 0;
			const named = error !== undefined && b.field.test(error);
			record({
				kind: b.kind,
				what: b.what,
				error: `${where}: ${error ?? '(none)'}`,
				ok: named && nothingWritten && run.status === 'success',
				why: !named ? `error does not name ${b.field}` : !nothingWritten ? `written: ${JSON.stringify(footprint(b.key))}` : run.status !== 'success' ? `run ${run.status}` : undefined,
			});
		}

		// Every good order is in NetSuite, ShipBob and HubSpot exactly once.
		for (const key of goodOrderKeys) {
			const got = footprint(key);
			if (got.netsuite !== 1 || got.shipbob !== 1 || got.hubspot !== 1) tally.goodLost.push(`${key} ${JSON.stringify(got)}`);
		}
		expect(tally.goodLost).toEqual([]);
		expect(tally.bad.filter((b) => !b.ok)).toEqual([]);
		// Nothing refused at the door started a run: one run per good order and per bad order.
		expect(runs.length - before).toBe(goodOrderKeys.length + badOrders.length);
	}, 420_000);

	it('refuses bad shipment deliveries at the webhook and still applies every good shipment once', async () => {
		expect(goodOrderKeys.length).toBeGreaterThan(0);
		const secret = (env.sandbox.webhooks as unknown as { subscriptions: Array<{ address: string; secret?: string }> }).subscriptions.find((s) => s.address === shipUrl)?.secret;
		expect(typeof secret).toBe('string');
		const before = (await env.n8n.executions(backSync.id)).length;
		const good = goodOrderKeys.filter((k) => shipbobOrders(k).length === 1);
		const ship = async (key: string) => {
			const shipmentId = shipbobOrders(key)[0].shipmentIds[0];
			const res = await fetch(`${env.sandbox.urlFor('shipbob')}/2026-01/simulate/shipment`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${SHIPBOB_SANDBOX_TOKEN}` },
				body: JSON.stringify({ shipment_id: Number(shipmentId), action: 'ShipOrder' }),
			});
			expect(res.status).toBe(200);
			tally.goodSent++;
		};
		const shipment = (id: unknown, referenceId: string) => ({
			id,
			order_id: 77_001,
			reference_id: referenceId,
			status: 'Completed',
			location: { id: 1, name: 'Sandbox FC' },
			products: [],
			is_tracking_uploaded: true,
			tracking: { carrier: 'USPS', tracking_number: '9400000000000000000001', tracking_url: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400000000000000000001' },
		});
		const goodShipment = JSON.stringify(shipment(91_000_001, good[0]));

		await ship(good[0]);
		const door: Array<{ kind: string; what: string; expect: number; body?: string; send: () => Promise<{ status: number; text: string }> }> = [
			{ kind: 'malformed JSON', what: 'ShipBob shipment, truncated JSON, correctly signed (text/plain)', expect: 400, send: async () => {
				const body = '{"id": 91000002, "reference_id": "shopify-1", "tracking": {';
				return await post(shipUrl, body, { 'content-type': 'text/plain', ...shipBobHeaders(secret!, body) });
			} },
			{ kind: 'malformed JSON', what: 'ShipBob shipment, truncated JSON, correctly signed (application/json)', expect: 422, send: async () => {
				const body = '{"id": 91000003, "reference_id": "shopify-1", "tracking": {';
				return await post(shipUrl, body, { 'content-type': 'application/json', ...shipBobHeaders(secret!, body) });
			} },
			{ kind: 'bad signature', what: 'ShipBob shipment without webhook-signature', expect: 401, send: async () => {
				const { 'webhook-signature': _gone, ...headers } = shipBobHeaders(secret!, goodShipment);
				return await post(shipUrl, goodShipment, { 'content-type': 'application/json', ...headers });
			} },
			{ kind: 'bad signature', what: 'ShipBob shipment signed with another secret', expect: 401, send: async () =>
				await post(shipUrl, goodShipment, { 'content-type': 'application/json', ...shipBobHeaders('whsec_bm90LXRoZS1zZWNyZXQ=', goodShipment) }) },
			{ kind: 'bad signature', what: 'ShipBob shipment replayed with a timestamp an hour old', expect: 401, send: async () =>
				await post(shipUrl, goodShipment, { 'content-type': 'application/json', ...shipBobHeaders(secret!, goodShipment, { timestampS: Math.floor(Date.now() / 1000) - 3600 }) }) },
			{ kind: 'bad signature', what: 'ShipBob shipment whose reference was changed after signing', expect: 401, send: async () => {
				const headers = shipBobHeaders(secret!, goodShipment);
				return await post(shipUrl, goodShipment.replace(good[0], 'shopify-1'), { 'content-type': 'application/json', ...headers });
			} },
			{ kind: 'oversized', what: `ShipBob shipment of ${OVERSIZED_BYTES >> 20} MiB, correctly signed`, expect: N8N_OVERSIZED.status, body: N8N_OVERSIZED.message, send: async () => {
				const body = JSON.stringify({ ...shipment(91_000_004, good[0]), products: [{ name: 'x'.repeat(OVERSIZED_BYTES) }] });
				return await post(shipUrl, body, { 'content-type': 'application/json', ...shipBobHeaders(secret!, body) });
			} },
			{ kind: 'missing field', what: 'ShipBob shipment without its id, correctly signed', expect: 400, send: async () => {
				const { id: _none, ...rest } = shipment(undefined, good[0]);
				const body = JSON.stringify(rest);
				return await post(shipUrl, body, { 'content-type': 'application/json', ...shipBobHeaders(secret!, body) });
			} },
			{ kind: 'malformed JSON', what: 'ShipBob shipment, a JSON string instead of a shipment, correctly signed', expect: 400, send: async () => {
				const body = '"order.shipped"';
				return await post(shipUrl, body, { 'content-type': 'application/json', ...shipBobHeaders(secret!, body) });
			} },
		];
		for (const [i, d] of door.entries()) {
			const res = await d.send();
			const ok = res.status === d.expect && (d.body === undefined || res.text.includes(d.body));
			record({ kind: d.kind, what: d.what, status: res.status, error: res.text.slice(0, 160), ok, why: ok ? undefined : `expected ${d.expect} ${d.body ?? ''}` });
			if (i === 3 && good[1]) await ship(good[1]);
		}
		for (const key of good.slice(2)) await ship(key);

		await waitFor('every shipment run', async () => ((await env.n8n.executions(backSync.id)).length >= before + good.length ? true : undefined), 180_000);
		const runs = await quiet(env, backSync.id);

		for (const key of good) {
			const so = salesOrders(key)[0];
			const shopifyOrderId = `gid://shopify/Order/${key.slice('shopify-'.length)}`;
			const fulfilled = shopify().fulfillments.filter((f) => f.orderId === shopifyOrderId).length;
			const itemShips = netsuite().transactions.filter((t) => t.type === 'ItemShip' && t.createdFrom === so?.id).length;
			const stage = deals(key)[0]?.properties.dealstage;
			if (fulfilled !== 1 || itemShips !== 1 || stage !== 'shipped') {
				const run = runs.find((r) => allItems(r, 'ShipBob shipment shipped').some((i) => i.referenceId === key));
				const how = run ? `${run.status}; ${JSON.stringify(errorOf(run, 'Retry or give up', (i) => i.orderKey === key))}; ${JSON.stringify(allItems(run, 'Retry or give up')).slice(0, 600)}` : 'no run';
				tally.goodLost.push(`shipment of ${key}: shopify ${fulfilled}, netsuite ${itemShips}, hubspot ${stage} (${how})`);
			}
		}
		expect(tally.goodLost).toEqual([]);
		expect(tally.bad.filter((b) => !b.ok)).toEqual([]);
		// Only the good shipments started runs: every bad one was refused at the door.
		expect(runs.length - before).toBe(good.length);
	}, 300_000);
});

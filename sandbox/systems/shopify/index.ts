/**
 * Shopify Admin GraphQL stand-in (reference/commerce-apis.md §1): one shop, served at
 * `POST /admin/api/<2025-10|2026-01|2026-04>/graphql.json` with `X-Shopify-Access-Token`.
 * Documents are validated against the real 2025-01 schema adjusted per version (schema.ts),
 * limited to the implemented fields (allowlist.ts), costed and throttled by Shopify's rules
 * (cost.ts + the framework's cost bucket) and executed by graphql-js over the in-memory shop.
 *
 * Seed options (`seed.options.shopify`): accessToken, appSecret, shopDomain, shopName,
 * webhookApiVersion, orders (count), maximumAvailable, restoreRate, maxQueryCost, bulkStartMs,
 * bulkDurationMs. Control routes (no auth) live under `/_control` of this system.
 */
import { createHmac } from 'node:crypto';
import { json, text, type SandboxResponse } from '../../http';
import type { CostBucketPolicy } from '../../ratelimit/policies';
import { shopifyCostBucket } from '../../ratelimit/presets';
import type { SandboxRequest, SandboxSystem, SystemContext, SystemRegistration } from '../../types';
import { SHOPIFY_DELIVERY, type WebhookSigner } from '../../webhooks/signers';
import { gid, iso, levelGid, parseGid, type ExecContext } from './context';
import { handleGraphql, COST_POLICY } from './endpoint';
import { merchantSet, emitLevelUpdate } from './inventory';
import { orderPayload } from './orders';
import { API_VERSIONS, type ApiVersion } from './schema';
import { allQuantities, createOrder, DEFAULTS, emptyState, fulfillmentStatusOf, levelKey, moveQuantity, newLevel, orderTotal, seedState, type ShopState } from './state';
import { bulkStatus } from './views';

/** Seed options this module reads, with their types. */
const OPTION_TYPES: Record<string, 'string' | 'number'> = {
	accessToken: 'string',
	appSecret: 'string',
	shopDomain: 'string',
	shopName: 'string',
	webhookApiVersion: 'string',
	orders: 'number',
	maximumAvailable: 'number',
	restoreRate: 'number',
	maxQueryCost: 'number',
	bulkStartMs: 'number',
	bulkDurationMs: 'number',
};

function checkOptions(options: Record<string, unknown>): void {
	for (const [key, value] of Object.entries(options)) {
		const type = OPTION_TYPES[key];
		if (!type) throw new RangeError(`Shopify seed option "${key}" is unknown; options: ${Object.keys(OPTION_TYPES).join(', ')}`);
		if (typeof value !== type || (type === 'number' && !(Number(value) >= 0))) {
			throw new RangeError(`Shopify seed option "${key}" must be a ${type === 'number' ? 'non-negative number' : 'string'}, got ${JSON.stringify(value)}`);
		}
	}
}

/**
 * Shopify's webhook headers, signed here (not with the kernel's code, so a bug cannot cancel
 * out): base64 HMAC-SHA256 of the raw body with the app secret.
 */
function signer(state: ShopState): WebhookSigner {
	return (i) => ({
		'X-Shopify-Topic': i.topic,
		'X-Shopify-Hmac-Sha256': createHmac('sha256', state.appSecret ?? i.secret).update(Buffer.from(i.body, 'utf8')).digest('base64'),
		'X-Shopify-Shop-Domain': state.shopDomain,
		'X-Shopify-API-Version': state.webhookApiVersion,
		'X-Shopify-Webhook-Id': i.deliveryId,
		'X-Shopify-Event-Id': i.eventId,
		'X-Shopify-Triggered-At': new Date(i.occurredAtMs).toISOString(),
	});
}

function badRequest(req: SandboxRequest, message: string): SandboxResponse {
	return json(400, { errors: message }, { 'x-request-id': req.requestId });
}

/** Creates the Shopify system for one sandbox. */
export function createShopify(ctx: SystemContext): SandboxSystem {
	const state = emptyState();
	const policy: CostBucketPolicy = shopifyCostBucket({ maximumAvailable: DEFAULTS.maximumAvailable, restoreRate: DEFAULTS.restoreRate });

	const execCtx = (req: SandboxRequest, version: ApiVersion = '2026-01'): ExecContext => ({
		state,
		version,
		// Control routes never run GraphQL; they only need the state, time and webhooks.
		schema: undefined as never,
		now: req.now,
		clock: ctx.clock,
		baseUrl: req.baseUrl,
		webhooks: req.webhooks,
		bulk: false,
		searchWarnings: [],
	});

	const findItem = (body: Record<string, unknown>) => {
		if (typeof body.inventoryItemId === 'string') return state.items.get(parseGid(body.inventoryItemId, 'InventoryItem') ?? -1);
		if (typeof body.sku === 'string') return [...state.items.values()].find((i) => i.sku === body.sku);
		return undefined;
	};
	const findLocation = (value: unknown) => {
		if (typeof value === 'number') return state.locations.get(value);
		if (typeof value === 'string') return state.locations.get(parseGid(value, 'Location') ?? (/^\d+$/.test(value) ? Number(value) : -1));
		return [...state.locations.values()][0];
	};

	return {
		name: ctx.name,
		description: 'Shopify Admin GraphQL API (2025-10, 2026-01, 2026-04): inventory, products, orders, fulfilment, bulk, webhooks',
		rateLimits: [policy],
		webhooks: { signer: signer(state), secret: DEFAULTS.appSecret, ...SHOPIFY_DELIVERY },
		reset() {
			Object.assign(state, emptyState());
			delete state.appSecret;
		},
		seed({ catalog, options, rng }) {
			checkOptions(options);
			const o = options;
			if (o.webhookApiVersion !== undefined && !(API_VERSIONS as readonly string[]).includes(String(o.webhookApiVersion))) {
				throw new RangeError(`Shopify seed option "webhookApiVersion" must be one of ${API_VERSIONS.join(', ')}`);
			}
			state.accessToken = (o.accessToken as string) ?? DEFAULTS.accessToken;
			if (o.appSecret !== undefined) state.appSecret = o.appSecret as string;
			state.shopDomain = (o.shopDomain as string) ?? DEFAULTS.shopDomain;
			state.shopName = (o.shopName as string) ?? DEFAULTS.shopName;
			state.webhookApiVersion = (o.webhookApiVersion as string) ?? DEFAULTS.webhookApiVersion;
			state.bulkStartMs = (o.bulkStartMs as number) ?? DEFAULTS.bulkStartMs;
			state.bulkDurationMs = (o.bulkDurationMs as number) ?? DEFAULTS.bulkDurationMs;
			policy.configure({
				maximumAvailable: (o.maximumAvailable as number) ?? DEFAULTS.maximumAvailable,
				restoreRate: (o.restoreRate as number) ?? DEFAULTS.restoreRate,
				maxQueryCost: (o.maxQueryCost as number) ?? 1000,
			});
			policy.reset();
			seedState(state, catalog, rng, ctx.clock.now(), (o.orders as number) ?? DEFAULTS.orders);
		},
		snapshot: () => snapshot(state, ctx.clock.now()),
		routes: [
			{
				method: 'POST',
				path: '/admin/api/:version/graphql.json',
				operation: 'graphql',
				handler: (req) => handleGraphql({ state, clock: ctx.clock, policy }, req),
			},
			{
				method: 'GET',
				path: '/bulk/:file',
				operation: 'bulkResult',
				handler: (req) => {
					const op = state.bulkOperations.get(Number(/^(\d+)\.jsonl$/.exec(req.params.file)?.[1] ?? -1));
					if (!op || bulkStatus(op, ctx.clock.now()) !== 'COMPLETED') {
						return text(404, '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>', 'application/xml');
					}
					return text(200, op.jsonl, 'application/jsonl');
				},
			},
			{
				method: 'GET',
				path: '/_control',
				operation: 'control',
				handler: () =>
					json(200, {
						routes: [
							{ method: 'POST', path: '/_control/inventory', body: '{sku | inventoryItemId, locationId?, name?: "available"|"on_hand", quantity? | delta?}', what: 'set or move stock as a merchant would in the admin (no CAS); emits inventory_levels/update' },
							{ method: 'POST', path: '/_control/orders', body: '{lineItems: [{sku, quantity, price?}], email?, financialStatus?: "PAID"|"PENDING", locationId?}', what: 'place an order; emits orders/create (and orders/paid when paid)' },
						],
						seedOptions: OPTION_TYPES,
						apiVersions: API_VERSIONS,
					}),
			},
			{
				method: 'POST',
				path: '/_control/inventory',
				operation: 'controlInventory',
				handler: (req) => {
					const body = (req.body ?? {}) as Record<string, unknown>;
					const item = findItem(body);
					if (!item) return badRequest(req, 'Give "sku" (an existing SKU) or "inventoryItemId" (a gid://shopify/InventoryItem/… GID)');
					const loc = findLocation(body.locationId);
					if (!loc) return badRequest(req, `"locationId" ${JSON.stringify(body.locationId)} is not a location of this shop (a GID or numeric id)`);
					const name = body.name ?? 'available';
					if (name !== 'available' && name !== 'on_hand') return badRequest(req, '"name" must be "available" or "on_hand"');
					const ectx = execCtx(req);
					let level = state.levels.get(levelKey(item.id, loc.id));
					if (!level) {
						level = newLevel(item.id, loc.id, req.now);
						state.levels.set(levelKey(item.id, loc.id), level);
					}
					if (typeof body.quantity === 'number' && Number.isInteger(body.quantity)) merchantSet(ectx, level, name, body.quantity);
					else if (typeof body.delta === 'number' && Number.isInteger(body.delta)) {
						moveQuantity(level, 'available', body.delta, req.now);
						emitLevelUpdate(ectx, level);
					} else return badRequest(req, 'Give an integer "quantity" (absolute) or "delta"');
					return json(200, { sku: item.sku, inventoryItemId: gid('InventoryItem', item.id), locationId: gid('Location', loc.id), quantities: allQuantities(level) });
				},
			},
			{
				method: 'POST',
				path: '/_control/orders',
				operation: 'controlOrders',
				handler: (req) => {
					const body = (req.body ?? {}) as Record<string, unknown>;
					const lines = body.lineItems;
					if (!Array.isArray(lines) || lines.length === 0) return badRequest(req, '"lineItems" must be a non-empty list of {sku, quantity}');
					for (const [i, l] of lines.entries()) {
						const line = l as Record<string, unknown>;
						if (typeof line?.sku !== 'string' || !Number.isInteger(line.quantity) || (line.quantity as number) < 1) {
							return badRequest(req, `lineItems[${i}] needs a "sku" string and a positive integer "quantity"`);
						}
					}
					const loc = findLocation(body.locationId);
					if (!loc) return badRequest(req, `"locationId" ${JSON.stringify(body.locationId)} is not a location of this shop`);
					const financial = body.financialStatus ?? 'PAID';
					if (financial !== 'PAID' && financial !== 'PENDING') return badRequest(req, '"financialStatus" must be "PAID" or "PENDING"');
					const email = typeof body.email === 'string' ? body.email : 'buyer@example.com';
					const ectx = execCtx(req);
					const order = createOrder(state, {
						email,
						customer: { firstName: 'Sandbox', lastName: 'Buyer', email },
						shippingAddress: { name: 'Sandbox Buyer', address1: '1 Test Street', address2: null, city: 'Reno', zip: '89501', provinceCode: 'NV', countryCode: 'US', phone: null },
						lines: (lines as Array<{ sku: string; quantity: number; price?: string }>).map((l) => ({ sku: l.sku, quantity: l.quantity, price: l.price })),
						financialStatus: financial,
						createdAt: req.now,
						updatedAt: req.now,
						locationId: loc.id,
					});
					// A new order commits stock at the fulfilling location: available → committed.
					for (const li of order.lineItems) {
						const variant = li.variantId === null ? undefined : state.variants.get(li.variantId);
						const level = variant ? state.levels.get(levelKey(variant.inventoryItemId, loc.id)) : undefined;
						if (!level) continue;
						moveQuantity(level, 'available', -li.quantity, req.now);
						moveQuantity(level, 'committed', li.quantity, req.now);
						emitLevelUpdate(ectx, level);
					}
					ctx.webhooks.emit('orders/create', orderPayload(ectx, order));
					if (financial === 'PAID') ctx.webhooks.emit('orders/paid', orderPayload(ectx, order));
					return json(201, { id: gid('Order', order.id), name: `#${order.number}` });
				},
			},
		],
		errorResponse: (status, req) => {
			if (status === 405) return json(405, { errors: 'Method Not Allowed' }, { 'x-request-id': req.requestId });
			return json(
				status,
				{ errors: [{ message: `Internal error. Looks like something went wrong on our end.\nRequest ID: ${req.requestId} (include this in support requests).`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: req.requestId } }] },
				{ 'x-request-id': req.requestId },
			);
		},
		notFound: (req) => json(404, { errors: 'Not Found' }, { 'x-request-id': req.requestId }),
	};
}

/** The state as tests and templates assert it (`GET /_sandbox/state/shopify`). */
function snapshot(state: ShopState, now: number): unknown {
	const items = state.items;
	return {
		shop: { name: state.shopName, domain: state.shopDomain, apiVersions: API_VERSIONS },
		locations: [...state.locations.values()].map((l) => ({ id: gid('Location', l.id), legacyId: String(l.id), code: l.code, name: l.name, city: l.city, countryCode: l.countryCode, isActive: l.isActive })),
		levels: [...state.levels.values()].map((l) => ({
			id: levelGid(l.itemId, l.locationId),
			sku: items.get(l.itemId)?.sku ?? null,
			inventoryItemId: gid('InventoryItem', l.itemId),
			locationId: gid('Location', l.locationId),
			legacyLocationId: String(l.locationId),
			quantities: allQuantities(l),
			updatedAt: iso(Math.max(...Object.values(l.updatedAt))),
		})),
		products: [...state.products.values()].map((p) => ({
			id: gid('Product', p.id),
			handle: p.handle,
			title: p.title,
			status: p.status,
			vendor: p.vendor,
			productType: p.productType,
			updatedAt: iso(p.updatedAt),
			options: p.options,
			variants: p.variantIds
				.map((id) => state.variants.get(id))
				.filter((v) => v !== undefined)
				.map((v) => ({
					id: gid('ProductVariant', v!.id),
					sku: v!.sku,
					title: v!.title,
					price: v!.price,
					compareAtPrice: v!.compareAtPrice,
					barcode: v!.barcode,
					inventoryItemId: gid('InventoryItem', v!.inventoryItemId),
					optionValues: v!.optionValues,
				})),
		})),
		orders: [...state.orders.values()].map((o) => ({
			id: gid('Order', o.id),
			name: `#${o.number}`,
			email: o.email,
			createdAt: iso(o.createdAt),
			updatedAt: iso(o.updatedAt),
			financialStatus: o.financialStatus,
			fulfillmentStatus: fulfillmentStatusOf(state, o),
			total: orderTotal(o),
			lineItems: o.lineItems.map((li) => ({ id: gid('LineItem', li.id), sku: li.sku, quantity: li.quantity, price: li.price })),
		})),
		fulfillmentOrders: [...state.fulfillmentOrders.values()].map((fo) => ({
			id: gid('FulfillmentOrder', fo.id),
			orderId: gid('Order', fo.orderId),
			locationId: gid('Location', fo.locationId),
			status: fo.status,
			lineItems: fo.lineItems.map((li) => ({ id: gid('FulfillmentOrderLineItem', li.id), sku: li.sku, totalQuantity: li.totalQuantity, remainingQuantity: li.remainingQuantity })),
		})),
		fulfillments: [...state.fulfillments.values()].map((f) => ({
			id: gid('Fulfillment', f.id),
			orderId: gid('Order', f.orderId),
			locationId: gid('Location', f.locationId),
			status: f.status,
			createdAt: iso(f.createdAt),
			trackingInfo: f.trackingInfo,
			notifyCustomer: f.notifyCustomer,
			lineItems: f.lineItems.map((li) => ({ lineItemId: gid('LineItem', li.lineItemId), sku: li.sku, quantity: li.quantity })),
		})),
		bulkOperations: [...state.bulkOperations.values()].map((b) => ({ id: gid('BulkOperation', b.id), status: bulkStatus(b, now), objectCount: b.objectCount, query: b.query })),
		idempotencyKeys: state.replay.size,
	};
}

/** Registration for `sandbox/systems/index.ts`. */
export const shopifySystem: SystemRegistration = {
	name: 'shopify',
	description: 'Shopify Admin GraphQL API (cost-throttled, versioned CAS, bulk JSONL, signed webhooks)',
	create: createShopify,
};

export { COST_POLICY };

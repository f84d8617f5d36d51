/**
 * Read side: the objects graphql-js resolves against. Each view is a plain object whose
 * argument-taking fields are functions `(args, ctx, info)` (graphql-js's default resolver calls
 * them), so nested data is built only when a document asks for it.
 */
import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { connection, gid, gidType, iso, levelGid, MAX_PAGE_SIZE, parseGid, type ConnectionArgs, type ExecContext } from './context';
import { applySearch, compareDate, compareId, contains, equalsIgnoreCase, exact, SearchSyntaxError, type Matchers } from './search';
import {
	QUANTITY_NAMES,
	fulfillmentStatusOf,
	orderTotal,
	quantityOf,
	type BulkOperationRecord,
	type FulfillmentOrderRecord,
	type FulfillmentRecord,
	type InventoryItemRecord,
	type LevelRecord,
	type OrderRecord,
	type ProductRecord,
	type QuantityName,
	type ShopLocation,
	type VariantRecord,
} from './state';
import type { SubscriptionView } from '../../webhooks/emitter';

type Args = Record<string, unknown>;
type View = Record<string, unknown>;

// --- search -----------------------------------------------------------------------------------

function search<T>(ctx: ExecContext, info: GraphQLResolveInfo, records: T[], query: unknown, matchers: Matchers<T>): T[] {
	const text = typeof query === 'string' ? query : undefined;
	try {
		const { records: out, unknownFields } = applySearch(records, text, matchers);
		if (unknownFields.length > 0 && text !== undefined) {
			ctx.searchWarnings.push({
				path: responsePathAsArray(info.path),
				query: text,
				warnings: unknownFields.map((field) => ({ field, message: 'Invalid search field for this query.' })),
			});
		}
		return out;
	} catch (error) {
		if (error instanceof SearchSyntaxError) throw new GraphQLError(error.message, { extensions: { code: 'INVALID_SEARCH_QUERY', query: text } });
		throw error;
	}
}

// --- views ------------------------------------------------------------------------------------

export function locationView(ctx: ExecContext, loc: ShopLocation): View {
	return {
		__typename: 'Location',
		id: gid('Location', loc.id),
		name: loc.name,
		isActive: loc.isActive,
		fulfillsOnlineOrders: loc.fulfillsOnlineOrders,
		address: { city: loc.city, countryCode: loc.countryCode, address1: `${100 + (loc.id % 800)} Warehouse Way`, zip: String(10000 + (loc.id % 89999)), provinceCode: null },
		inventoryLevels: (args: ConnectionArgs) =>
			connection(
				ctx,
				[...ctx.state.levels.values()].filter((l) => l.locationId === loc.id),
				args,
				(l) => ({ id: l.itemId, value: l.itemId }),
				(l) => levelView(ctx, l),
			),
		inventoryLevel: (args: Args) => {
			const itemId = parseGid(args.inventoryItemId, 'InventoryItem');
			const level = itemId === undefined ? undefined : ctx.state.levels.get(`${itemId}:${loc.id}`);
			return level ? levelView(ctx, level) : null;
		},
	};
}

export function levelView(ctx: ExecContext, level: LevelRecord): View {
	return {
		__typename: 'InventoryLevel',
		id: levelGid(level.itemId, level.locationId),
		updatedAt: iso(Math.max(...Object.values(level.updatedAt))),
		location: () => {
			const loc = ctx.state.locations.get(level.locationId);
			return loc ? locationView(ctx, loc) : null;
		},
		item: () => {
			const item = ctx.state.items.get(level.itemId);
			return item ? itemView(ctx, item) : null;
		},
		quantities: (args: Args) => {
			const names = (args.names as string[]) ?? [];
			const bad = names.filter((n) => !(QUANTITY_NAMES as readonly string[]).includes(n));
			if (bad.length > 0) {
				throw new GraphQLError(`Invalid quantity name(s): ${bad.join(', ')}. Valid names: ${QUANTITY_NAMES.join(', ')}`, { extensions: { code: 'BAD_REQUEST' } });
			}
			return names.map((name) => ({
				__typename: 'InventoryQuantity',
				name,
				quantity: quantityOf(level, name as QuantityName),
				updatedAt: iso(level.updatedAt[name as QuantityName]),
			}));
		},
	};
}

export function itemView(ctx: ExecContext, item: InventoryItemRecord): View {
	return {
		__typename: 'InventoryItem',
		id: gid('InventoryItem', item.id),
		sku: item.sku,
		tracked: item.tracked,
		createdAt: iso(item.createdAt),
		updatedAt: iso(item.updatedAt),
		inventoryLevels: (args: ConnectionArgs) =>
			connection(
				ctx,
				[...ctx.state.levels.values()].filter((l) => l.itemId === item.id),
				args,
				(l) => ({ id: l.locationId, value: l.locationId }),
				(l) => levelView(ctx, l),
			),
		inventoryLevel: (args: Args) => {
			const locationId = parseGid(args.locationId, 'Location');
			const level = locationId === undefined ? undefined : ctx.state.levels.get(`${item.id}:${locationId}`);
			return level ? levelView(ctx, level) : null;
		},
		variant: () => {
			const v = ctx.state.variants.get(item.variantId);
			return v ? variantView(ctx, v) : null;
		},
	};
}

export function productView(ctx: ExecContext, p: ProductRecord): View {
	return {
		__typename: 'Product',
		id: gid('Product', p.id),
		handle: p.handle,
		title: p.title,
		status: p.status,
		vendor: p.vendor,
		productType: p.productType,
		createdAt: iso(p.createdAt),
		updatedAt: iso(p.updatedAt),
		variants: (args: ConnectionArgs) =>
			connection(
				ctx,
				p.variantIds.map((id) => ctx.state.variants.get(id)).filter((v): v is VariantRecord => v !== undefined),
				args,
				(v) => ({ id: v.id, value: v.position }),
				(v) => variantView(ctx, v),
			),
	};
}

export function variantView(ctx: ExecContext, v: VariantRecord): View {
	return {
		__typename: 'ProductVariant',
		id: gid('ProductVariant', v.id),
		sku: v.sku,
		title: v.title,
		price: v.price,
		compareAtPrice: v.compareAtPrice,
		barcode: v.barcode,
		updatedAt: iso(v.updatedAt),
		inventoryQuantity: () => [...ctx.state.levels.values()].filter((l) => l.itemId === v.inventoryItemId).reduce((n, l) => n + quantityOf(l, 'available'), 0),
		inventoryItem: () => {
			const item = ctx.state.items.get(v.inventoryItemId);
			return item ? itemView(ctx, item) : null;
		},
		product: () => {
			const p = ctx.state.products.get(v.productId);
			return p ? productView(ctx, p) : null;
		},
	};
}

function money(amount: string, currencyCode: string): View {
	return { shopMoney: { amount, currencyCode } };
}

export function orderView(ctx: ExecContext, o: OrderRecord): View {
	return {
		__typename: 'Order',
		id: gid('Order', o.id),
		name: `#${o.number}`,
		email: o.email,
		createdAt: iso(o.createdAt),
		updatedAt: iso(o.updatedAt),
		cancelledAt: o.cancelledAt === null ? null : iso(o.cancelledAt),
		displayFinancialStatus: o.financialStatus,
		displayFulfillmentStatus: fulfillmentStatusOf(ctx.state, o),
		currencyCode: o.currency,
		totalPriceSet: money(orderTotal(o), o.currency),
		customer: { id: gid('Customer', o.customer.id), email: o.customer.email, firstName: o.customer.firstName, lastName: o.customer.lastName },
		shippingAddress: { ...o.shippingAddress, countryCodeV2: o.shippingAddress.countryCode },
		lineItems: (args: ConnectionArgs) =>
			connection(ctx, o.lineItems, args, (li) => ({ id: li.id, value: li.id }), (li) => ({
				__typename: 'LineItem',
				id: gid('LineItem', li.id),
				sku: li.sku,
				name: li.name,
				quantity: li.quantity,
				originalUnitPriceSet: money(li.price, o.currency),
				variant: () => {
					const v = li.variantId === null ? undefined : ctx.state.variants.get(li.variantId);
					return v ? variantView(ctx, v) : null;
				},
			})),
		fulfillmentOrders: (args: ConnectionArgs) =>
			connection(
				ctx,
				[...ctx.state.fulfillmentOrders.values()].filter((fo) => fo.orderId === o.id),
				args,
				(fo) => ({ id: fo.id, value: fo.id }),
				(fo) => fulfillmentOrderView(ctx, fo),
			),
	};
}

export function fulfillmentOrderView(ctx: ExecContext, fo: FulfillmentOrderRecord): View {
	return {
		__typename: 'FulfillmentOrder',
		id: gid('FulfillmentOrder', fo.id),
		status: fo.status,
		lineItems: (args: ConnectionArgs) =>
			connection(ctx, fo.lineItems, args, (li) => ({ id: li.id, value: li.id }), (li) => ({
				__typename: 'FulfillmentOrderLineItem',
				id: gid('FulfillmentOrderLineItem', li.id),
				sku: li.sku,
				totalQuantity: li.totalQuantity,
				remainingQuantity: li.remainingQuantity,
			})),
	};
}

export function fulfillmentView(f: FulfillmentRecord): View {
	return {
		__typename: 'Fulfillment',
		id: gid('Fulfillment', f.id),
		status: f.status,
		createdAt: iso(f.createdAt),
		trackingInfo: (args: Args) => {
			const first = typeof args.first === 'number' ? args.first : undefined;
			return (first === undefined ? f.trackingInfo : f.trackingInfo.slice(0, first)).map((t) => ({ __typename: 'FulfillmentTrackingInfo', ...t }));
		},
	};
}

/** CREATED → RUNNING → COMPLETED on the sandbox clock. */
export function bulkStatus(op: BulkOperationRecord, now: number): 'CREATED' | 'RUNNING' | 'COMPLETED' {
	if (now >= op.completedAt) return 'COMPLETED';
	return now >= op.runningAt ? 'RUNNING' : 'CREATED';
}

export function bulkView(ctx: ExecContext, op: BulkOperationRecord): View {
	const status = bulkStatus(op, ctx.clock.now());
	const done = status === 'COMPLETED';
	return {
		__typename: 'BulkOperation',
		id: gid('BulkOperation', op.id),
		status,
		errorCode: null,
		type: 'QUERY',
		query: op.query,
		createdAt: iso(op.createdAt),
		completedAt: done ? iso(op.completedAt) : null,
		// UnsignedInt64 serialises as a string in Shopify's responses.
		objectCount: done ? String(op.objectCount) : '0',
		rootObjectCount: done ? String(op.rootObjectCount) : '0',
		fileSize: done && op.objectCount > 0 ? String(Buffer.byteLength(op.jsonl)) : null,
		url: done && op.objectCount > 0 ? `${ctx.baseUrl}/bulk/${op.id}.jsonl` : null,
		partialDataUrl: null,
	};
}

/** Topic enum (`INVENTORY_LEVELS_UPDATE`) ↔ delivery topic (`inventory_levels/update`). */
export function topicToDelivery(topic: string): string {
	const i = topic.lastIndexOf('_');
	return `${topic.slice(0, i)}/${topic.slice(i + 1)}`.toLowerCase();
}

export function deliveryToTopic(topic: string): string {
	return topic.replace('/', '_').toUpperCase();
}

/** Emitter ids are `shopify-sub-<n>`; the GID carries the same n. */
export function subscriptionNumber(id: string): number {
	return Number(/(\d+)$/.exec(id)?.[1] ?? 0);
}

export function subscriptionView(s: SubscriptionView): View {
	return {
		__typename: 'WebhookSubscription',
		id: gid('WebhookSubscription', subscriptionNumber(s.id)),
		topic: deliveryToTopic(s.topic),
		format: 'JSON',
		createdAt: iso(s.createdAt),
		endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: s.address },
	};
}

// --- root query fields ------------------------------------------------------------------------

const itemMatchers: Matchers<InventoryItemRecord> = {
	default: (r, t) => contains(r.sku, t),
	sku: (r, t) => exact(r.sku, t),
	id: (r, t) => compareId(r.id, t),
	created_at: (r, t) => compareDate(r.createdAt, t),
	updated_at: (r, t) => compareDate(r.updatedAt, t),
};

function productMatchers(ctx: ExecContext): Matchers<ProductRecord> {
	const skus = (p: ProductRecord) => p.variantIds.map((id) => ctx.state.variants.get(id)?.sku ?? '');
	return {
		default: (p, t) => contains(p.title, t) || skus(p).some((s) => contains(s, t)),
		title: (p, t) => contains(p.title, t),
		handle: (p, t) => exact(p.handle, t),
		sku: (p, t) => skus(p).some((s) => exact(s, t)),
		status: (p, t) => equalsIgnoreCase(p.status, t),
		vendor: (p, t) => contains(p.vendor, t),
		product_type: (p, t) => equalsIgnoreCase(p.productType, t),
		id: (p, t) => compareId(p.id, t),
		created_at: (p, t) => compareDate(p.createdAt, t),
		updated_at: (p, t) => compareDate(p.updatedAt, t),
	};
}

const variantMatchers: Matchers<VariantRecord> = {
	default: (v, t) => contains(v.sku, t) || contains(v.title, t),
	sku: (v, t) => exact(v.sku, t),
	barcode: (v, t) => exact(v.barcode, t),
	product_id: (v, t) => compareId(v.productId, t),
	id: (v, t) => compareId(v.id, t),
	updated_at: (v, t) => compareDate(v.updatedAt, t),
};

function orderMatchers(ctx: ExecContext): Matchers<OrderRecord> {
	return {
		default: (o, t) => contains(`#${o.number}`, t) || contains(o.email, t),
		name: (o, t) => `#${o.number}` === t.value || String(o.number) === t.value,
		email: (o, t) => equalsIgnoreCase(o.email, t),
		sku: (o, t) => o.lineItems.some((li) => exact(li.sku, t)),
		id: (o, t) => compareId(o.id, t),
		created_at: (o, t) => compareDate(o.createdAt, t),
		updated_at: (o, t) => compareDate(o.updatedAt, t),
		financial_status: (o, t) => equalsIgnoreCase(o.financialStatus, t),
		fulfillment_status: (o, t) => {
			const s = fulfillmentStatusOf(ctx.state, o);
			const v = t.value.toLowerCase();
			if (v === 'shipped' || v === 'fulfilled') return s === 'FULFILLED';
			if (v === 'partial') return s === 'PARTIALLY_FULFILLED';
			if (v === 'unshipped' || v === 'unfulfilled') return s === 'UNFULFILLED';
			return s.toLowerCase() === v;
		},
		status: (o, t) => {
			const v = t.value.toLowerCase();
			if (v === 'cancelled') return o.cancelledAt !== null;
			const open = o.cancelledAt === null && fulfillmentStatusOf(ctx.state, o) !== 'FULFILLED';
			return v === 'open' ? open : v === 'closed' ? !open : false;
		},
	};
}

const locationMatchers: Matchers<ShopLocation> = {
	default: (l, t) => contains(l.name, t),
	name: (l, t) => contains(l.name, t),
	id: (l, t) => compareId(l.id, t),
	active: (l, t) => String(l.isActive) === t.value.toLowerCase(),
};

function sortValue(kind: string | undefined, r: { id: number; updatedAt?: number; createdAt?: number; title?: string; name?: string }): number | string {
	switch (kind) {
		case 'UPDATED_AT':
			return r.updatedAt ?? 0;
		case 'CREATED_AT':
		case 'PROCESSED_AT':
			return r.createdAt ?? 0;
		case 'TITLE':
			return (r.title ?? '').toLowerCase();
		case 'NAME':
			return (r.name ?? '').toLowerCase();
		default:
			return r.id;
	}
}

/** `node(id:)` for the types the stand-in can look up. */
function nodeById(ctx: ExecContext, id: string): View | null {
	const type = gidType(id);
	const n = type ? parseGid(id, type) : undefined;
	if (!type || n === undefined) return null;
	const s = ctx.state;
	switch (type) {
		case 'BulkOperation': {
			const op = s.bulkOperations.get(n);
			return op ? bulkView(ctx, op) : null;
		}
		case 'Product': {
			const p = s.products.get(n);
			return p ? productView(ctx, p) : null;
		}
		case 'ProductVariant': {
			const v = s.variants.get(n);
			return v ? variantView(ctx, v) : null;
		}
		case 'InventoryItem': {
			const i = s.items.get(n);
			return i ? itemView(ctx, i) : null;
		}
		case 'Location': {
			const l = s.locations.get(n);
			return l ? locationView(ctx, l) : null;
		}
		case 'Order': {
			const o = s.orders.get(n);
			return o ? orderView(ctx, o) : null;
		}
		default:
			return null;
	}
}

/** Root `Query` fields. */
export function queryRoot(ctx: ExecContext): Record<string, unknown> {
	const s = ctx.state;
	return {
		shop: () => ({ __typename: 'Shop', id: gid('Shop', 60_000_001), name: s.shopName, myshopifyDomain: s.shopDomain, currencyCode: 'USD' }),
		locations: (args: Args, _c: unknown, info: GraphQLResolveInfo) => {
			let list = [...s.locations.values()];
			if (args.includeInactive !== true) list = list.filter((l) => l.isActive);
			list = search(ctx, info, list, args.query, locationMatchers);
			return connection(ctx, list, args, (l) => ({ id: l.id, value: sortValue(args.sortKey as string, l) }), (l) => locationView(ctx, l));
		},
		location: (args: Args) => {
			// Without an id Shopify answers the shop's primary location.
			const id = args.id === undefined || args.id === null ? [...s.locations.keys()][0] : parseGid(args.id, 'Location');
			const loc = id === undefined ? undefined : s.locations.get(id);
			return loc ? locationView(ctx, loc) : null;
		},
		inventoryItems: (args: Args, _c: unknown, info: GraphQLResolveInfo) => {
			const list = search(ctx, info, [...s.items.values()], args.query, itemMatchers);
			return connection(ctx, list, args, (i) => ({ id: i.id, value: i.id }), (i) => itemView(ctx, i));
		},
		inventoryItem: (args: Args) => {
			const item = s.items.get(parseGid(args.id, 'InventoryItem') ?? -1);
			return item ? itemView(ctx, item) : null;
		},
		products: (args: Args, _c: unknown, info: GraphQLResolveInfo) => {
			const list = search(ctx, info, [...s.products.values()], args.query, productMatchers(ctx));
			return connection(ctx, list, args, (p) => ({ id: p.id, value: sortValue(args.sortKey as string, p) }), (p) => productView(ctx, p));
		},
		product: (args: Args) => {
			const p = s.products.get(parseGid(args.id, 'Product') ?? -1);
			return p ? productView(ctx, p) : null;
		},
		productByHandle: (args: Args) => {
			const p = [...s.products.values()].find((x) => x.handle === args.handle);
			return p ? productView(ctx, p) : null;
		},
		productVariants: (args: Args, _c: unknown, info: GraphQLResolveInfo) => {
			const list = search(ctx, info, [...s.variants.values()], args.query, variantMatchers);
			return connection(ctx, list, args, (v) => ({ id: v.id, value: args.sortKey === 'SKU' ? v.sku : v.id }), (v) => variantView(ctx, v));
		},
		productVariant: (args: Args) => {
			const v = s.variants.get(parseGid(args.id, 'ProductVariant') ?? -1);
			return v ? variantView(ctx, v) : null;
		},
		orders: (args: Args, _c: unknown, info: GraphQLResolveInfo) => {
			const list = search(ctx, info, [...s.orders.values()], args.query, orderMatchers(ctx));
			return connection(ctx, list, args, (o) => ({ id: o.id, value: sortValue(args.sortKey as string, o) }), (o) => orderView(ctx, o));
		},
		order: (args: Args) => {
			const o = s.orders.get(parseGid(args.id, 'Order') ?? -1);
			return o ? orderView(ctx, o) : null;
		},
		node: (args: Args) => nodeById(ctx, String(args.id)),
		nodes: (args: Args) => {
			const ids = (args.ids as string[]) ?? [];
			if (ids.length > MAX_PAGE_SIZE) {
				throw new GraphQLError(`The input array size of ${ids.length} is greater than the maximum allowed of ${MAX_PAGE_SIZE}.`, { extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' } });
			}
			return ids.map((id) => nodeById(ctx, id));
		},
		currentBulkOperation: () => {
			const ops = [...s.bulkOperations.values()];
			const last = ops[ops.length - 1];
			return last ? bulkView(ctx, last) : null;
		},
		webhookSubscriptions: (args: Args) => {
			let list = ctx.webhooks.list();
			const topics = args.topics as string[] | null | undefined;
			if (topics && topics.length > 0) list = list.filter((w) => topics.includes(deliveryToTopic(w.topic)));
			if (typeof args.callbackUrl === 'string') list = list.filter((w) => w.address === args.callbackUrl);
			return connection(ctx, list, args, (w) => ({ id: subscriptionNumber(w.id), value: subscriptionNumber(w.id) }), subscriptionView);
		},
	};
}

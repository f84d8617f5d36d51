/**
 * The Shopify stand-in's in-memory shop: locations, products → variants → inventory items, levels
 * with named quantities, orders with fulfilment orders, fulfilments, bulk operations and the
 * idempotency replay cache. Seeded from the shared catalog (one product with one variant per
 * catalog SKU, stocked at every catalog location) plus a few generated orders.
 *
 * Quantity model (reference/commerce-apis.md §1.2): `on_hand` is never stored; it is
 * available + committed + reserved + damaged + quality_control + safety_stock. `incoming` is
 * outside on_hand. Setting `available` (or `on_hand`) therefore moves the other by the same delta.
 */
import type { Catalog } from '../../catalog';
import type { Rng } from '../../rng';

/** Quantity names stored per level (on_hand is derived). */
export const STORED_STATES = ['available', 'committed', 'reserved', 'damaged', 'quality_control', 'safety_stock', 'incoming'] as const;
export type StoredState = (typeof STORED_STATES)[number];
/** Every name `quantities(names:)` answers. */
export const QUANTITY_NAMES = [...STORED_STATES, 'on_hand'] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];
/** States that are physically on hand (part of on_hand). */
export const ON_HAND_STATES: readonly StoredState[] = ['available', 'committed', 'reserved', 'damaged', 'quality_control', 'safety_stock'];

export interface ShopLocation {
	id: number;
	code: string;
	name: string;
	city: string;
	countryCode: string;
	isActive: boolean;
	fulfillsOnlineOrders: boolean;
}

export interface InventoryItemRecord {
	id: number;
	sku: string;
	tracked: boolean;
	cost: string;
	variantId: number;
	createdAt: number;
	updatedAt: number;
}

export interface LevelRecord {
	itemId: number;
	locationId: number;
	quantities: Record<StoredState, number>;
	/** Last change per name (on_hand follows its parts). */
	updatedAt: Record<QuantityName, number>;
}

export interface VariantRecord {
	id: number;
	productId: number;
	sku: string;
	title: string;
	price: string;
	compareAtPrice: string | null;
	barcode: string | null;
	inventoryItemId: number;
	position: number;
	optionValues: Array<{ optionName: string; name: string }>;
	updatedAt: number;
}

export interface ProductRecord {
	id: number;
	handle: string;
	title: string;
	status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED';
	vendor: string;
	productType: string;
	createdAt: number;
	updatedAt: number;
	options: Array<{ name: string; values: string[] }>;
	variantIds: number[];
}

export interface AddressRecord {
	name: string;
	address1: string;
	address2: string | null;
	city: string;
	zip: string;
	provinceCode: string | null;
	countryCode: string;
	phone: string | null;
}

export interface CustomerRecord {
	id: number;
	email: string;
	firstName: string;
	lastName: string;
}

export interface LineItemRecord {
	id: number;
	sku: string;
	name: string;
	quantity: number;
	variantId: number | null;
	price: string;
}

export interface OrderRecord {
	id: number;
	number: number;
	email: string;
	createdAt: number;
	updatedAt: number;
	cancelledAt: number | null;
	financialStatus: 'PENDING' | 'AUTHORIZED' | 'PAID' | 'PARTIALLY_PAID' | 'REFUNDED' | 'VOIDED';
	currency: string;
	customer: CustomerRecord;
	shippingAddress: AddressRecord;
	lineItems: LineItemRecord[];
}

export interface FulfillmentOrderLineRecord {
	id: number;
	lineItemId: number;
	sku: string;
	totalQuantity: number;
	remainingQuantity: number;
}

export interface FulfillmentOrderRecord {
	id: number;
	orderId: number;
	locationId: number;
	status: 'OPEN' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED';
	lineItems: FulfillmentOrderLineRecord[];
	updatedAt: number;
}

export interface FulfillmentRecord {
	id: number;
	orderId: number;
	locationId: number;
	status: 'SUCCESS';
	createdAt: number;
	trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }>;
	notifyCustomer: boolean;
	lineItems: Array<{ lineItemId: number; sku: string; quantity: number }>;
}

export interface BulkOperationRecord {
	id: number;
	query: string;
	createdAt: number;
	/** When it turns RUNNING, then COMPLETED (sandbox clock). */
	runningAt: number;
	completedAt: number;
	/** Computed at creation, revealed at completion. */
	jsonl: string;
	objectCount: number;
	rootObjectCount: number;
}

export interface ReplayEntry {
	fingerprint: string;
	result: unknown;
	at: number;
}

/** Everything the shop holds. */
export interface ShopState {
	shopName: string;
	shopDomain: string;
	accessToken: string;
	/** Set only when the seed names one (otherwise the framework's webhook secret signs). */
	appSecret?: string;
	webhookApiVersion: string;
	bulkStartMs: number;
	bulkDurationMs: number;
	locations: Map<number, ShopLocation>;
	products: Map<number, ProductRecord>;
	variants: Map<number, VariantRecord>;
	items: Map<number, InventoryItemRecord>;
	/** Key `${itemId}:${locationId}`. */
	levels: Map<string, LevelRecord>;
	orders: Map<number, OrderRecord>;
	fulfillmentOrders: Map<number, FulfillmentOrderRecord>;
	fulfillments: Map<number, FulfillmentRecord>;
	bulkOperations: Map<number, BulkOperationRecord>;
	/** `@idempotent` keys → the first result. */
	replay: Map<string, ReplayEntry>;
	adjustmentGroups: number;
	nextId: Record<'product' | 'variant' | 'item' | 'order' | 'lineItem' | 'fulfillmentOrder' | 'foLine' | 'fulfillment' | 'bulk' | 'customer', number>;
}

/** Shop-wide defaults (seed options override them). */
export const DEFAULTS = {
	shopName: 'Commerce Sync Sandbox',
	shopDomain: 'sandbox-shop.myshopify.com',
	accessToken: 'shpat_sandbox_token',
	appSecret: 'shpss_sandbox_secret',
	webhookApiVersion: '2026-01',
	bulkStartMs: 300,
	bulkDurationMs: 1500,
	orders: 12,
	maximumAvailable: 1000,
	restoreRate: 100,
} as const;

export function emptyState(): ShopState {
	return {
		shopName: DEFAULTS.shopName,
		shopDomain: DEFAULTS.shopDomain,
		accessToken: DEFAULTS.accessToken,
		webhookApiVersion: DEFAULTS.webhookApiVersion,
		bulkStartMs: DEFAULTS.bulkStartMs,
		bulkDurationMs: DEFAULTS.bulkDurationMs,
		locations: new Map(),
		products: new Map(),
		variants: new Map(),
		items: new Map(),
		levels: new Map(),
		orders: new Map(),
		fulfillmentOrders: new Map(),
		fulfillments: new Map(),
		bulkOperations: new Map(),
		replay: new Map(),
		adjustmentGroups: 0,
		nextId: {
			product: 8_100_000_001,
			variant: 45_100_000_001,
			item: 47_100_000_001,
			order: 5_600_000_001,
			lineItem: 14_600_000_001,
			fulfillmentOrder: 6_600_000_001,
			foLine: 13_600_000_001,
			fulfillment: 5_100_000_001,
			bulk: 3_100_000_001,
			customer: 7_100_000_001,
		},
	};
}

/** Allocates the next numeric id of a kind. */
export function nextId(state: ShopState, kind: keyof ShopState['nextId']): number {
	return state.nextId[kind]++;
}

export function levelKey(itemId: number, locationId: number): string {
	return `${itemId}:${locationId}`;
}

/** A named quantity of a level (on_hand derived). */
export function quantityOf(level: LevelRecord, name: QuantityName): number {
	if (name === 'on_hand') return ON_HAND_STATES.reduce((n, s) => n + level.quantities[s], 0);
	return level.quantities[name];
}

/** Every named quantity of a level. */
export function allQuantities(level: LevelRecord): Record<QuantityName, number> {
	const out = {} as Record<QuantityName, number>;
	for (const n of QUANTITY_NAMES) out[n] = quantityOf(level, n);
	return out;
}

/**
 * Moves a stored state by `delta` and stamps the times. Changing an on-hand state moves on_hand
 * too (it is derived), so its time is stamped as well.
 */
export function moveQuantity(level: LevelRecord, name: StoredState, delta: number, now: number): void {
	level.quantities[name] += delta;
	level.updatedAt[name] = now;
	if (ON_HAND_STATES.includes(name)) level.updatedAt.on_hand = now;
}

export function newLevel(itemId: number, locationId: number, now: number, q: Partial<Record<StoredState, number>> = {}): LevelRecord {
	const quantities = {} as Record<StoredState, number>;
	for (const s of STORED_STATES) quantities[s] = q[s] ?? 0;
	const updatedAt = {} as Record<QuantityName, number>;
	for (const n of QUANTITY_NAMES) updatedAt[n] = now;
	return { itemId, locationId, quantities, updatedAt };
}

export function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

const FIRST = ['Ava', 'Noah', 'Mia', 'Liam', 'Zoe', 'Omar', 'Lena', 'Ravi', 'Iris', 'Theo', 'Nora', 'Kai'];
const LAST = ['Lopez', 'Schmidt', 'Okafor', 'Tanaka', 'Novak', 'Haddad', 'Berg', 'Costa', 'Walsh', 'Ibrahim'];
const STREETS = ['Main St', 'Oak Ave', 'Harbor Rd', 'Pine Ln', 'Market St', 'Lake Dr'];
const US_STATES = ['NV', 'OH', 'TX', 'GA', 'CA', 'NY', 'WA'];

/** Options the seed understands (documented in the module's README section of the report). */
export interface ShopSeedOptions {
	orders?: number;
}

/**
 * Fills the state from the catalog. Locations keep the catalog ids (`gid://shopify/Location/<id>`);
 * every SKU becomes one ACTIVE product with one variant; `orders` orders (default 12) reference
 * random SKUs, with updatedAt spread over the 10 days before `now`.
 */
export function seedState(state: ShopState, catalog: Catalog, rng: Rng, now: number, orderCount: number): void {
	for (const loc of catalog.locations) {
		const id = Number(loc.id);
		state.locations.set(id, { id, code: loc.code, name: loc.name, city: loc.city, countryCode: loc.country, isActive: true, fulfillsOnlineOrders: true });
	}
	const catalogStart = now - 30 * 86_400_000;
	catalog.items.forEach((item, i) => {
		const productId = nextId(state, 'product');
		const variantId = nextId(state, 'variant');
		const itemId = nextId(state, 'item');
		const created = catalogStart + i * 60_000;
		state.products.set(productId, {
			id: productId,
			handle: slug(`${item.name}-${item.sku}`),
			title: item.name,
			status: 'ACTIVE',
			vendor: 'Commerce Sync Outfitters',
			productType: item.sku.split('-')[0],
			createdAt: created,
			updatedAt: created,
			options: [{ name: 'Title', values: ['Default Title'] }],
			variantIds: [variantId],
		});
		state.variants.set(variantId, {
			id: variantId,
			productId,
			sku: item.sku,
			title: 'Default Title',
			price: item.price,
			compareAtPrice: item.compareAtPrice,
			barcode: item.barcode,
			inventoryItemId: itemId,
			position: 1,
			optionValues: [{ optionName: 'Title', name: 'Default Title' }],
			updatedAt: created,
		});
		state.items.set(itemId, { id: itemId, sku: item.sku, tracked: true, cost: item.cost, variantId, createdAt: created, updatedAt: created });
		for (const s of item.stock) {
			const locationId = Number(s.locationId);
			// Catalog available = onHand − committed − reserved, so on_hand here equals catalog onHand.
			state.levels.set(
				levelKey(itemId, locationId),
				newLevel(itemId, locationId, created, { available: s.available, committed: s.committed, reserved: s.reserved, incoming: s.incoming }),
			);
		}
	});

	const variants = [...state.variants.values()];
	const locations = [...state.locations.values()];
	if (variants.length === 0 || locations.length === 0) return;
	for (let n = 0; n < orderCount; n++) {
		const first = rng.pick(FIRST);
		const last = rng.pick(LAST);
		const email = `${first}.${last}${n + 1}@example.com`.toLowerCase();
		const lines: Array<{ variant: VariantRecord; quantity: number }> = [];
		const lineCount = rng.int(1, 3);
		for (let l = 0; l < lineCount; l++) {
			const variant = rng.pick(variants);
			if (!lines.some((x) => x.variant === variant)) lines.push({ variant, quantity: rng.int(1, 3) });
		}
		const createdAt = now - (10 * 86_400_000 - n * Math.floor((9 * 86_400_000) / Math.max(1, orderCount)));
		const fulfilled = n % 4 === 3;
		createOrder(state, {
			email,
			customer: { firstName: first, lastName: last, email },
			shippingAddress: {
				name: `${first} ${last}`,
				address1: `${rng.int(10, 999)} ${rng.pick(STREETS)}`,
				address2: rng.chance(0.3) ? `Apt ${rng.int(1, 40)}` : null,
				city: rng.pick(['Reno', 'Columbus', 'Austin', 'Atlanta', 'Portland', 'Denver']),
				zip: String(rng.int(10000, 99999)),
				provinceCode: rng.pick(US_STATES),
				countryCode: 'US',
				phone: rng.chance(0.5) ? `+1555${rng.int(1000000, 9999999)}` : null,
			},
			lines: lines.map((x) => ({ sku: x.variant.sku, quantity: x.quantity })),
			financialStatus: n % 5 === 4 ? 'PENDING' : 'PAID',
			createdAt,
			updatedAt: createdAt + rng.int(0, 3_600_000),
			locationId: locations[n % locations.length].id,
		});
		if (fulfilled) {
			const order = [...state.orders.values()].pop() as OrderRecord;
			for (const fo of state.fulfillmentOrders.values()) {
				if (fo.orderId !== order.id) continue;
				fo.status = 'CLOSED';
				for (const li of fo.lineItems) li.remainingQuantity = 0;
			}
		}
	}
}

/** What a new order needs. */
export interface NewOrder {
	email: string;
	customer: { firstName: string; lastName: string; email: string };
	shippingAddress: AddressRecord;
	lines: Array<{ sku: string; quantity: number; price?: string }>;
	financialStatus: OrderRecord['financialStatus'];
	createdAt: number;
	updatedAt: number;
	locationId: number;
}

/** Creates an order with one open fulfilment order at `locationId`. Unknown SKUs become custom lines. */
export function createOrder(state: ShopState, input: NewOrder): OrderRecord {
	const id = nextId(state, 'order');
	const number = 1001 + state.orders.size;
	const lineItems: LineItemRecord[] = input.lines.map((l) => {
		const variant = [...state.variants.values()].find((v) => v.sku === l.sku);
		const product = variant ? state.products.get(variant.productId) : undefined;
		return {
			id: nextId(state, 'lineItem'),
			sku: l.sku,
			name: product ? product.title : l.sku,
			quantity: l.quantity,
			variantId: variant?.id ?? null,
			price: l.price ?? variant?.price ?? '0.00',
		};
	});
	const order: OrderRecord = {
		id,
		number,
		email: input.email,
		createdAt: input.createdAt,
		updatedAt: input.updatedAt,
		cancelledAt: null,
		financialStatus: input.financialStatus,
		currency: 'USD',
		customer: { id: nextId(state, 'customer'), ...input.customer },
		shippingAddress: input.shippingAddress,
		lineItems,
	};
	state.orders.set(id, order);
	const foId = nextId(state, 'fulfillmentOrder');
	state.fulfillmentOrders.set(foId, {
		id: foId,
		orderId: id,
		locationId: input.locationId,
		status: 'OPEN',
		updatedAt: input.updatedAt,
		lineItems: lineItems.map((li) => ({ id: nextId(state, 'foLine'), lineItemId: li.id, sku: li.sku, totalQuantity: li.quantity, remainingQuantity: li.quantity })),
	});
	return order;
}

/** Sum of line prices × quantities, two decimals. */
export function orderTotal(order: OrderRecord): string {
	const cents = order.lineItems.reduce((n, li) => n + Math.round(Number(li.price) * 100) * li.quantity, 0);
	return (cents / 100).toFixed(2);
}

/** UNFULFILLED / PARTIALLY_FULFILLED / FULFILLED from the fulfilment orders' remaining quantities. */
export function fulfillmentStatusOf(state: ShopState, order: OrderRecord): 'UNFULFILLED' | 'PARTIALLY_FULFILLED' | 'FULFILLED' {
	let total = 0;
	let remaining = 0;
	for (const fo of state.fulfillmentOrders.values()) {
		if (fo.orderId !== order.id || fo.status === 'CANCELLED') continue;
		for (const li of fo.lineItems) {
			total += li.totalQuantity;
			remaining += li.remainingQuantity;
		}
	}
	if (total === 0 || remaining === total) return 'UNFULFILLED';
	return remaining === 0 ? 'FULFILLED' : 'PARTIALLY_FULFILLED';
}

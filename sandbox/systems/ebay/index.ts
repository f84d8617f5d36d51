/**
 * eBay Sell Inventory API stand-in: OAuth refresh-token grant, inventory items by SKU
 * (createOrReplace needs Content-Language), paged item list, offers by SKU, and
 * bulkUpdatePriceQuantity (≤25 SKUs and ≤25 offers per call, per-item status, 250 revisions per
 * listing per day), behind the daily call quota (429 errorId 2001).
 * API: https://developer.ebay.com/api-docs/sell/inventory/resources/methods
 */
import { json, empty, type SandboxResponse } from '../../http';
import { ebayDailyQuota } from '../../ratelimit/presets';
import type { RouteDefinition, SandboxRequest, SandboxSystem, SeedInput, SystemContext, SystemRegistration } from '../../types';

/** OAuth client and refresh token the sandbox accepts (seed options override). */
export const EBAY_SANDBOX_CLIENT = Object.freeze({
	clientId: 'SandboxA-commerce-PRD-0000000-00000000',
	clientSecret: 'PRD-sandbox-cert-id',
	refreshToken: 'v^1.1#i^1#sandbox-refresh-token',
});
/** A long-lived user token issued at seed time, for tests that skip the exchange. */
export const EBAY_SANDBOX_ACCESS_TOKEN = 'v^1.1#i^1#sandbox-static-user-token';
export const EBAY_MARKETPLACE = 'EBAY_US';
/** eBay's cap on revisions of one listing per calendar day. */
export const EBAY_REVISIONS_PER_DAY = 250;

interface Item {
	sku: string;
	quantity: number;
	condition: string;
	product: Record<string, unknown>;
	locale: string;
}

interface Offer {
	offerId: string;
	sku: string;
	price: string;
	currency: string;
	availableQuantity?: number;
	listingId: string;
	status: 'PUBLISHED' | 'UNPUBLISHED';
	revisions: { day: number; count: number };
}

type EbayError = { errorId: number; domain: string; category: string; message: string; longMessage?: string; parameters?: Array<{ name: string; value: string }> };
const err = (errorId: number, message: string, parameters?: EbayError['parameters'], category = 'REQUEST'): EbayError => ({
	errorId,
	domain: 'API_INVENTORY',
	category,
	message,
	...(parameters ? { parameters } : {}),
});
const errors = (status: number, ...list: EbayError[]): SandboxResponse => json(status, { errors: list });

/** Sandbox settings (seed option `ebay: {perDay, tokenTtlSeconds, maxBulk}`). */
interface Settings {
	tokenTtlSeconds: number;
	maxBulk: number;
}

function createEbay(ctx: SystemContext): SandboxSystem {
	let items = new Map<string, Item>();
	let offers = new Map<string, Offer>();
	let tokens = new Map<string, number>();
	let client: Record<'clientId' | 'clientSecret' | 'refreshToken', string> = { ...EBAY_SANDBOX_CLIENT };
	let settings: Settings = { tokenTtlSeconds: 7200, maxBulk: 25 };
	let counter = 0;
	const quota = ebayDailyQuota();
	// eBay's calendar day is US Pacific; a fixed -7 h offset keeps the sandbox deterministic.
	const day = (now: number) => Math.floor((now - 7 * 3_600_000) / 86_400_000);

	function reset(): void {
		items = new Map();
		offers = new Map();
		tokens = new Map();
		client = { ...EBAY_SANDBOX_CLIENT };
		settings = { tokenTtlSeconds: 7200, maxBulk: 25 };
		counter = 0;
	}

	function seed({ catalog, options, rng }: SeedInput): void {
		for (const key of ['clientId', 'clientSecret', 'refreshToken'] as const) {
			if (typeof options[key] === 'string') client[key] = options[key] as string;
		}
		if (typeof options.tokenTtlSeconds === 'number') settings.tokenTtlSeconds = options.tokenTtlSeconds;
		if (typeof options.maxBulk === 'number') settings.maxBulk = options.maxBulk;
		if (typeof options.perDay === 'number') quota.configure({ windows: { DAILY: { max: options.perDay } } });
		tokens.set(EBAY_SANDBOX_ACCESS_TOKEN, Number.POSITIVE_INFINITY);
		let offerId = 5_000_000_000;
		let listingId = 110_000_000_000;
		for (const item of catalog.items) {
			const available = item.stock.reduce((n, s) => n + s.available, 0);
			const drift = rng.chance(0.3) ? rng.int(-5, 5) : 0;
			items.set(item.sku, {
				sku: item.sku,
				quantity: Math.max(0, available + drift),
				condition: 'NEW',
				product: { title: item.name, upc: [item.barcode.slice(1)], imageUrls: [] },
				locale: 'en_US',
			});
			offerId += rng.int(1, 9);
			listingId += rng.int(1, 9);
			offers.set(String(offerId), {
				offerId: String(offerId),
				sku: item.sku,
				price: item.price,
				currency: item.currency,
				listingId: String(listingId),
				status: 'PUBLISHED',
				revisions: { day: day(ctx.clock.now()), count: 0 },
			});
		}
	}

	const authed =
		(handler: (req: SandboxRequest) => SandboxResponse): RouteDefinition['handler'] =>
		(req) => {
			const header = req.headers.authorization ?? '';
			const token = header.startsWith('Bearer ') ? header.slice(7) : '';
			const expiry = tokens.get(token);
			if (expiry === undefined || expiry <= req.now) {
				return errors(401, { errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token', longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.' });
			}
			return handler(req);
		};

	const itemView = (item: Item) => ({
		sku: item.sku,
		locale: item.locale,
		condition: item.condition,
		product: item.product,
		availability: { shipToLocationAvailability: { quantity: item.quantity } },
	});

	const offerView = (offer: Offer) => ({
		offerId: offer.offerId,
		sku: offer.sku,
		marketplaceId: EBAY_MARKETPLACE,
		format: 'FIXED_PRICE',
		status: offer.status,
		listing: { listingId: offer.listingId, listingStatus: 'ACTIVE' },
		pricingSummary: { price: { value: offer.price, currency: offer.currency } },
		...(offer.availableQuantity === undefined ? {} : { availableQuantity: offer.availableQuantity }),
	});

	/** One revision of the offer's listing; false when today's cap is reached. */
	function revise(offer: Offer, now: number): boolean {
		const today = day(now);
		if (offer.revisions.day !== today) offer.revisions = { day: today, count: 0 };
		if (offer.revisions.count >= EBAY_REVISIONS_PER_DAY) return false;
		offer.revisions.count++;
		return true;
	}

	const routes: RouteDefinition[] = [
		{
			method: 'POST',
			path: '/identity/v1/oauth2/token',
			operation: 'token',
			// API: https://developer.ebay.com/api-docs/static/oauth-refresh-token-request.html
			handler: (req) => {
				const basic = (req.headers.authorization ?? '').replace(/^Basic\s+/i, '');
				const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
				if (id !== client.clientId || secret !== client.clientSecret) return json(401, { error: 'invalid_client', error_description: 'client authentication failed' });
				const form = new URLSearchParams(req.rawBody.toString('utf8'));
				if (form.get('grant_type') !== 'refresh_token') return json(400, { error: 'unsupported_grant_type', error_description: 'grant type in request is not supported by the authorization server' });
				if (form.get('refresh_token') !== client.refreshToken) return json(400, { error: 'invalid_grant', error_description: 'the provided authorization refresh token is invalid or was issued to another client' });
				const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
				if (scopes.some((s) => !s.startsWith('https://api.ebay.com/oauth/api_scope'))) return json(400, { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client' });
				const token = `v^1.1#i^1#sandbox-${req.requestId}-${++counter}`;
				tokens.set(token, req.now + settings.tokenTtlSeconds * 1000);
				return json(200, { access_token: token, expires_in: settings.tokenTtlSeconds, token_type: 'User Access Token' });
			},
		},
		{
			method: 'GET',
			path: '/sell/inventory/v1/inventory_item',
			operation: 'getInventoryItems',
			handler: authed((req) => {
				const limit = req.query.limit === undefined ? 25 : Number(req.query.limit);
				const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
				if (!Number.isInteger(limit) || limit < 1 || limit > 200) return errors(400, err(25709, 'Invalid value for limit. The value must be between 1 and 200.', [{ name: 'limit', value: String(req.query.limit) }]));
				if (!Number.isInteger(offset) || offset < 0) return errors(400, err(25709, 'Invalid value for offset.', [{ name: 'offset', value: String(req.query.offset) }]));
				const all = [...items.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
				const base = `${req.baseUrl}${req.path}`;
				const body: Record<string, unknown> = {
					href: `${base}?limit=${limit}&offset=${offset}`,
					limit,
					size: Math.min(limit, Math.max(0, all.length - offset)),
					total: all.length,
					inventoryItems: all.slice(offset, offset + limit).map(itemView),
				};
				if (offset + limit < all.length) body.next = `${base}?limit=${limit}&offset=${offset + limit}`;
				if (offset > 0) body.prev = `${base}?limit=${limit}&offset=${Math.max(0, offset - limit)}`;
				return json(200, body);
			}),
		},
		{
			method: 'GET',
			path: '/sell/inventory/v1/inventory_item/:sku',
			operation: 'getInventoryItem',
			handler: authed((req) => {
				const item = items.get(req.params.sku);
				if (!item) return errors(404, err(25710, `We didn't find the resource/entity you are requesting. Please verify the request`, undefined, 'REQUEST'));
				return json(200, itemView(item));
			}),
		},
		{
			method: 'PUT',
			path: '/sell/inventory/v1/inventory_item/:sku',
			operation: 'createOrReplaceInventoryItem',
			handler: authed((req) => {
				const language = req.headers['content-language'];
				if (!language) return errors(400, err(25709, 'Invalid value for header Content-Language.', [{ name: 'Content-Language', value: '' }]));
				const body = req.body as { condition?: string; product?: Record<string, unknown>; availability?: { shipToLocationAvailability?: { quantity?: unknown } } } | undefined;
				if (!body || typeof body !== 'object') return errors(400, err(2004, 'Invalid request. The request has errors.'));
				const quantity = body.availability?.shipToLocationAvailability?.quantity;
				if (quantity !== undefined && (!Number.isInteger(quantity) || (quantity as number) < 0)) {
					return errors(400, err(25604, 'Input error. The quantity must be a whole number of at least 0.', [{ name: 'quantity', value: String(quantity) }]));
				}
				const sku = req.params.sku;
				if (sku.length > 50) return errors(400, err(25707, 'This is an invalid value for a SKU. Only alphanumeric characters can be used for SKUs, and their length must not exceed 50 characters'));
				const existed = items.has(sku);
				items.set(sku, { sku, quantity: (quantity as number | undefined) ?? 0, condition: body.condition ?? 'NEW', product: body.product ?? {}, locale: language.replace('-', '_') });
				return existed ? empty(204) : empty(204);
			}),
		},
		{
			method: 'GET',
			path: '/sell/inventory/v1/offer',
			operation: 'getOffers',
			handler: authed((req) => {
				const sku = req.query.sku;
				if (typeof sku !== 'string' || sku === '') return errors(400, err(25707, 'A SKU is required.', [{ name: 'sku', value: '' }]));
				if (!items.has(sku)) return errors(404, err(25713, 'This Offer is not available.'));
				const list = [...offers.values()].filter((o) => o.sku === sku);
				return json(200, { href: `${req.baseUrl}${req.path}?sku=${encodeURIComponent(sku)}`, limit: 25, size: list.length, total: list.length, offers: list.map(offerView) });
			}),
		},
		{
			method: 'POST',
			path: '/sell/inventory/v1/bulk_update_price_quantity',
			operation: 'bulkUpdatePriceQuantity',
			handler: authed((req) => {
				const body = req.body as { requests?: Array<{ sku?: string; shipToLocationAvailability?: { quantity?: unknown }; offers?: Array<{ offerId?: string; availableQuantity?: unknown; price?: { value?: string; currency?: string } }> }> } | undefined;
				const requests = body?.requests;
				if (!Array.isArray(requests) || requests.length === 0) return errors(400, err(25001, 'The requests array is required.'));
				const offerCount = requests.reduce((n, r) => n + (r.offers?.length ?? 0), 0);
				if (requests.length > settings.maxBulk || offerCount > settings.maxBulk) {
					return errors(400, err(25759, `A maximum of ${settings.maxBulk} SKUs and ${settings.maxBulk} offers is allowed per call.`));
				}
				const responses: Array<Record<string, unknown>> = [];
				for (const r of requests) {
					const sku = String(r.sku ?? '');
					const item = items.get(sku);
					const fail = (statusCode: number, e: EbayError, offerId?: string) => responses.push({ statusCode, sku, ...(offerId ? { offerId } : {}), errors: [e], warnings: [] });
					if (!item) {
						fail(404, err(25702, `SKU ${sku} is not available in the system`, [{ name: 'sku', value: sku }]));
						continue;
					}
					const q = r.shipToLocationAvailability?.quantity;
					if (q !== undefined && (!Number.isInteger(q) || (q as number) < 0)) {
						fail(400, err(25604, 'Input error. The quantity must be a whole number of at least 0.', [{ name: 'quantity', value: String(q) }]));
						continue;
					}
					const own = [...offers.values()].filter((o) => o.sku === sku && o.status === 'PUBLISHED');
					// Any change to the item revises every published listing of it.
					const touched = r.offers?.length ? r.offers.map((o) => offers.get(String(o.offerId))) : q !== undefined ? own : [];
					const capped = touched.find((o) => o && o.revisions.day === day(req.now) && o.revisions.count >= EBAY_REVISIONS_PER_DAY);
					if (capped) {
						fail(400, err(25019, `The listing ${capped.listingId} has reached the maximum of ${EBAY_REVISIONS_PER_DAY} revisions for today.`, [{ name: 'listingId', value: capped.listingId }], 'BUSINESS'), capped.offerId);
						continue;
					}
					let failed = false;
					for (const o of r.offers ?? []) {
						const offer = offers.get(String(o.offerId));
						if (!offer || offer.sku !== sku) {
							fail(404, err(25713, 'This Offer is not available.', [{ name: 'offerId', value: String(o.offerId) }]), String(o.offerId));
							failed = true;
							continue;
						}
						if (o.price !== undefined && !(Number(o.price.value) > 0)) {
							fail(400, err(25020, 'Invalid price. The price must be greater than 0.', [{ name: 'price', value: String(o.price.value) }]), offer.offerId);
							failed = true;
						}
					}
					if (failed) continue;
					if (q !== undefined) item.quantity = q as number;
					for (const offer of touched) if (offer) revise(offer, req.now);
					if (r.offers?.length) {
						for (const o of r.offers) {
							const offer = offers.get(String(o.offerId)) as Offer;
							if (o.price) {
								offer.price = Number(o.price.value).toFixed(2);
								if (o.price.currency) offer.currency = o.price.currency;
							}
							if (o.availableQuantity !== undefined) offer.availableQuantity = Number(o.availableQuantity);
							responses.push({ statusCode: 200, sku, offerId: offer.offerId, warnings: [] });
						}
					} else {
						responses.push({ statusCode: 200, sku, warnings: [] });
					}
				}
				const allOk = responses.every((r) => r.statusCode === 200);
				return json(allOk ? 200 : 207, { responses });
			}),
		},
	];

	return {
		name: 'ebay',
		description: 'eBay Sell Inventory API v1 (inventory items, offers, bulk price/quantity)',
		routes,
		rateLimits: [quota],
		reset,
		seed,
		snapshot: () => ({
			items: [...items.values()].map((i) => ({ sku: i.sku, quantity: i.quantity })),
			offers: [...offers.values()].map((o) => ({ offerId: o.offerId, sku: o.sku, price: o.price, availableQuantity: o.availableQuantity ?? null, revisionsToday: o.revisions.count })),
		}),
		errorResponse: (status) => errors(status, err(status >= 500 ? 25001 : 2004, status >= 500 ? 'A system error has occurred.' : `Request failed with status ${status}.`, undefined, status >= 500 ? 'APPLICATION' : 'REQUEST')),
		notFound: () => errors(404, { errorId: 2002, domain: 'ACCESS', category: 'REQUEST', message: 'Resource not found' }),
	};
}

export const ebaySystem: SystemRegistration = {
	name: 'ebay',
	description: 'eBay Sell Inventory API v1',
	create: createEbay,
};

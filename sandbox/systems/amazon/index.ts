/**
 * Amazon Selling Partner API stand-in: Login with Amazon token exchange, Listings Items
 * 2021-08-01 (get, search, put, patch — applied asynchronously after ACCEPTED), Feeds 2021-06-30
 * with presigned document upload/download and JSON_LISTINGS_FEED processing on the sandbox clock
 * (IN_QUEUE → IN_PROGRESS → DONE with a processing report that carries per-message issues), and
 * per-operation token buckets with the models' rates (429 QuotaExceeded, x-amzn-RateLimit-Limit).
 * API: https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-reference
 * API: https://developer-docs.amazon.com/sp-api/docs/feeds-api-v2021-06-30-reference
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import Ajv, { type ValidateFunction } from 'ajv';

import { json, SandboxHttpError, text, type SandboxResponse } from '../../http';
import { amazonTokenBuckets } from '../../ratelimit/presets';
import { loadSpecFile } from '../../spec/load';
import type { RouteDefinition, SandboxRequest, SandboxSystem, SeedInput, SystemContext, SystemRegistration } from '../../types';

/** LWA client the sandbox accepts (seed options `clientId`/`clientSecret`/`refreshToken` override). */
export const AMAZON_SANDBOX_CLIENT = Object.freeze({
	clientId: 'amzn1.application-oa2-client.sandbox',
	clientSecret: 'sandbox-lwa-secret',
	refreshToken: 'Atzr|sandbox-refresh-token',
});
/** A long-lived access token issued at seed time, for tests that skip the exchange. */
export const AMAZON_SANDBOX_ACCESS_TOKEN = 'Atza|sandbox-static-access-token';
export const AMAZON_SANDBOX_SELLER = 'A2SANDBOXSELLER';
export const AMAZON_SANDBOX_MARKETPLACE = 'ATVPDKIKX0DER';

/** Default bucket sizes per operation, from the models' usage-plan tables. */
export const AMAZON_OPERATION_RATES: Record<string, { rate: number; burst: number }> = {
	getListingsItem: { rate: 5, burst: 10 },
	putListingsItem: { rate: 5, burst: 10 },
	patchListingsItem: { rate: 5, burst: 5 },
	searchListingsItems: { rate: 5, burst: 5 },
	createFeedDocument: { rate: 0.5, burst: 15 },
	createFeed: { rate: 0.0083, burst: 15 },
	getFeed: { rate: 2, burst: 15 },
	getFeedDocument: { rate: 0.0222, burst: 10 },
	// Not SP-API operations: LWA and the presigned document store have no such limits.
	lwaToken: { rate: 100, burst: 100 },
	uploadDocument: { rate: 100, burst: 100 },
	downloadDocument: { rate: 100, burst: 100 },
};

interface Listing {
	sku: string;
	asin: string;
	productType: string;
	itemName: string;
	quantity: number;
	price: string;
	currency: string;
	createdAt: number;
	updatedAt: number;
	attributes: Record<string, unknown>;
}

interface Pending {
	sku: string;
	applyAt: number;
	patches: Array<{ op: string; path: string; value?: unknown[] }>;
	productType: string;
}

interface Doc {
	id: string;
	contentType: string;
	content?: Buffer;
	createdAt: number;
}

interface Feed {
	feedId: string;
	feedType: string;
	marketplaceIds: string[];
	inputFeedDocumentId: string;
	createdAt: number;
	startAt: number;
	doneAt: number;
	status: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL' | 'CANCELLED';
	resultFeedDocumentId?: string;
	processed?: boolean;
}

/** Sandbox timings (seed option `amazon: {patchDelayMs, feedQueueMs, feedPerMessageMs, tokenTtlSeconds}`). */
interface Timings {
	patchDelayMs: number;
	feedQueueMs: number;
	feedPerMessageMs: number;
	tokenTtlSeconds: number;
}

const DEFAULT_TIMINGS: Timings = { patchDelayMs: 1000, feedQueueMs: 5000, feedPerMessageMs: 2, tokenTtlSeconds: 3600 };
const LISTINGS = '/listings/2021-08-01/items/:sellerId';
const errorList = (status: number, code: string, message: string, details?: string): SandboxResponse =>
	json(status, { errors: [{ code, message, ...(details ? { details } : {}) }] });

let feedValidator: ValidateFunction | undefined;
function validateFeed(body: unknown): string[] {
	if (!feedValidator) {
		const ajv = new Ajv({ strict: false, allErrors: true });
		feedValidator = ajv.compile(loadSpecFile('amazon/listings-feed-schema-v2.json') as object);
	}
	if (feedValidator(body)) return [];
	return (feedValidator.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

function iso(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function createAmazon(ctx: SystemContext): SandboxSystem {
	let listings = new Map<string, Listing>();
	let pending: Pending[] = [];
	let tokens = new Map<string, number>();
	let docs = new Map<string, Doc>();
	let feeds = new Map<string, Feed>();
	let client: Record<'clientId' | 'clientSecret' | 'refreshToken', string> = { ...AMAZON_SANDBOX_CLIENT };
	let sellerId = AMAZON_SANDBOX_SELLER;
	let marketplaceId = AMAZON_SANDBOX_MARKETPLACE;
	let timings: Timings = { ...DEFAULT_TIMINGS };
	let counter = 0;
	// Signs presigned URLs; the node never sees this key, only the URLs.
	const presignKey = 'sandbox-presign-key';

	const nextId = (prefix: string) => `${prefix}${String(++counter).padStart(8, '0')}`;

	function reset(): void {
		listings = new Map();
		pending = [];
		tokens = new Map();
		docs = new Map();
		feeds = new Map();
		client = { ...AMAZON_SANDBOX_CLIENT };
		sellerId = AMAZON_SANDBOX_SELLER;
		marketplaceId = AMAZON_SANDBOX_MARKETPLACE;
		timings = { ...DEFAULT_TIMINGS };
		counter = 0;
	}

	function seed({ catalog, options, rng }: SeedInput): void {
		for (const key of ['clientId', 'clientSecret', 'refreshToken'] as const) {
			if (typeof options[key] === 'string') client[key] = options[key] as string;
		}
		if (typeof options.sellerId === 'string') sellerId = options.sellerId;
		if (typeof options.marketplaceId === 'string') marketplaceId = options.marketplaceId;
		for (const key of Object.keys(DEFAULT_TIMINGS) as Array<keyof Timings>) {
			if (typeof options[key] === 'number') timings[key] = options[key] as number;
		}
		tokens.set(AMAZON_SANDBOX_ACCESS_TOKEN, Number.POSITIVE_INFINITY);
		const now = ctx.clock.now();
		for (const item of catalog.items) {
			const available = item.stock.reduce((n, s) => n + s.available, 0);
			// Marketplace listings drift from the warehouse: that is what reconcile is for.
			const drift = rng.chance(0.3) ? rng.int(-5, 5) : 0;
			listings.set(item.sku, {
				sku: item.sku,
				asin: `B0${rng.int(10_000_000, 99_999_999)}`,
				productType: 'PRODUCT',
				itemName: item.name,
				quantity: Math.max(0, available + drift),
				price: item.price,
				currency: item.currency,
				createdAt: now - rng.int(30, 400) * 86_400_000,
				updatedAt: now - rng.int(60, 86_400) * 1000,
				attributes: {},
			});
		}
	}

	/** Applies what is due at `now`: accepted patches and finished feeds. */
	function settle(now: number): void {
		const due = pending.filter((p) => p.applyAt <= now).sort((a, b) => a.applyAt - b.applyAt);
		pending = pending.filter((p) => p.applyAt > now);
		for (const p of due) applyPatches(p.sku, p.patches, p.applyAt);
		for (const feed of [...feeds.values()].sort((a, b) => a.doneAt - b.doneAt)) {
			if (feed.status === 'CANCELLED' || feed.processed) continue;
			if (now >= feed.doneAt) processFeed(feed);
			else if (now >= feed.startAt) feed.status = 'IN_PROGRESS';
		}
	}

	/** Validates one message's patches against the listing; returns issues (empty = fine). */
	function checkPatches(sku: string, patches: Pending['patches']): Array<{ code: string; message: string; attributeName?: string }> {
		const issues: Array<{ code: string; message: string; attributeName?: string }> = [];
		if (!listings.has(sku)) issues.push({ code: '4000003', message: `The Amazon listing for SKU '${sku}' was not found; a PATCH needs an existing listing.` });
		for (const patch of patches) {
			const value = (patch.value ?? []) as Array<Record<string, unknown>>;
			if (patch.path === '/attributes/fulfillment_availability') {
				const q = value[0]?.quantity;
				if (!Number.isInteger(q) || (q as number) < 0) {
					issues.push({ code: '90220', message: `'quantity' must be a whole number of at least 0, got ${JSON.stringify(q)}.`, attributeName: 'fulfillment_availability' });
				}
			} else if (patch.path === '/attributes/purchasable_offer') {
				const price = ((value[0]?.our_price as Array<Record<string, unknown>>)?.[0]?.schedule as Array<Record<string, unknown>>)?.[0]?.value_with_tax;
				if (typeof price !== 'number' || price <= 0) {
					issues.push({ code: '99022', message: "The field 'value_with_tax' for the attribute 'purchasable_offer.our_price' must be a positive number.", attributeName: 'purchasable_offer.our_price' });
				}
			}
		}
		return issues;
	}

	function applyPatches(sku: string, patches: Pending['patches'], at: number): void {
		const listing = listings.get(sku);
		if (!listing) return;
		for (const patch of patches) {
			const value = (patch.value ?? []) as Array<Record<string, unknown>>;
			if (patch.path === '/attributes/fulfillment_availability' && patch.op !== 'delete') {
				listing.quantity = Number(value[0]?.quantity ?? listing.quantity);
			} else if (patch.path === '/attributes/purchasable_offer' && patch.op !== 'delete') {
				const offer = value[0] ?? {};
				const price = (((offer.our_price as Array<Record<string, unknown>>)?.[0]?.schedule as Array<Record<string, unknown>>)?.[0]?.value_with_tax) as number;
				listing.price = price.toFixed(2);
				if (typeof offer.currency === 'string') listing.currency = offer.currency;
			} else {
				listing.attributes[patch.path.replace(/^\/attributes\//, '')] = patch.op === 'delete' ? undefined : patch.value;
			}
		}
		listing.updatedAt = at;
	}

	function processFeed(feed: Feed): void {
		feed.processed = true;
		const doc = docs.get(feed.inputFeedDocumentId);
		let body: unknown;
		const issues: Array<Record<string, unknown>> = [];
		let processed = 0;
		let accepted = 0;
		try {
			body = JSON.parse(doc?.content?.toString('utf8') ?? '');
		} catch {
			body = undefined;
		}
		const problems = body === undefined ? ['the document is not JSON'] : validateFeed(body);
		if (problems.length > 0) {
			feed.status = 'FATAL';
			for (const p of problems) issues.push({ code: '100001', severity: 'ERROR', message: `Feed document invalid: ${p}` });
		} else {
			feed.status = 'DONE';
			const feedBody = body as { header: { sellerId: string }; messages: Array<Record<string, unknown>> };
			if (feedBody.header.sellerId !== sellerId) {
				issues.push({ code: '100002', severity: 'ERROR', message: `The seller ID '${feedBody.header.sellerId}' in the header does not match the caller.` });
			} else {
				for (const message of feedBody.messages) {
					processed++;
					const sku = String(message.sku);
					const messageId = Number(message.messageId);
					let patches: Pending['patches'] = [];
					if (message.operationType === 'PATCH') patches = (message.patches as Pending['patches']) ?? [];
					else if (message.operationType === 'PARTIAL_UPDATE' || message.operationType === 'UPDATE') {
						patches = Object.entries((message.attributes as Record<string, unknown[]>) ?? {}).map(([k, v]) => ({ op: 'replace', path: `/attributes/${k}`, value: v }));
					}
					const own = message.operationType === 'DELETE' ? [] : checkPatches(sku, patches);
					if (own.length > 0) {
						for (const issue of own) issues.push({ messageId, sku, severity: 'ERROR', ...issue });
						continue;
					}
					accepted++;
					if (message.operationType === 'DELETE') listings.delete(sku);
					else applyPatches(sku, patches, feed.doneAt);
				}
			}
		}
		const report = {
			header: { sellerId, version: '2.0', feedId: feed.feedId },
			issues,
			summary: {
				errors: issues.filter((i) => i.severity === 'ERROR').length,
				warnings: issues.filter((i) => i.severity === 'WARNING').length,
				messagesProcessed: processed,
				messagesAccepted: accepted,
				messagesInvalid: processed - accepted,
			},
		};
		const resultId = nextId('amzn1.tortuga.4.na.');
		docs.set(resultId, { id: resultId, contentType: 'application/json', content: Buffer.from(JSON.stringify(report)), createdAt: feed.doneAt });
		feed.resultFeedDocumentId = resultId;
	}

	function presign(req: SandboxRequest, id: string, verb: 'upload' | 'download'): string {
		const expires = req.now + 5 * 60_000;
		const signature = createHmac('sha256', presignKey).update(`${verb}\n${id}\n${expires}`).digest('hex');
		return `${req.baseUrl}/_documents/${encodeURIComponent(id)}?X-Amz-Expires=${expires}&X-Amz-Signature=${signature}`;
	}

	function checkPresigned(req: SandboxRequest, verb: 'upload' | 'download'): Doc {
		const id = req.params.documentId;
		const expires = Number(req.query['X-Amz-Expires']);
		const given = String(req.query['X-Amz-Signature'] ?? '');
		const wanted = createHmac('sha256', presignKey).update(`${verb}\n${id}\n${expires}`).digest('hex');
		const denied = (message: string) =>
			new SandboxHttpError(text(403, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${message}</Message></Error>`, 'application/xml'));
		if (given.length !== wanted.length || !timingSafeEqual(Buffer.from(given), Buffer.from(wanted))) throw denied('Signature does not match');
		if (!(expires > req.now)) throw denied('Request has expired');
		const doc = docs.get(id);
		if (!doc) throw denied('No such document');
		return doc;
	}

	const authed =
		(handler: (req: SandboxRequest) => SandboxResponse): RouteDefinition['handler'] =>
		(req) => {
			const token = req.headers['x-amz-access-token'];
			const expiry = token ? tokens.get(token) : undefined;
			if (!token || expiry === undefined) {
				return errorList(403, 'Unauthorized', 'Access to requested resource is denied.', 'The access token you provided is invalid.');
			}
			if (expiry <= req.now) return errorList(403, 'Unauthorized', 'Access to requested resource is denied.', 'The access token you provided has expired.');
			settle(req.now);
			return handler(req);
		};

	const forSeller = (req: SandboxRequest): void => {
		if (req.params.sellerId !== sellerId) throw new SandboxHttpError(errorList(403, 'Unauthorized', `The seller ${req.params.sellerId} did not authorize this application.`));
		const ids = String(req.query.marketplaceIds ?? '').split(',').filter(Boolean);
		if (ids.length === 0) throw new SandboxHttpError(errorList(400, 'InvalidInput', 'Missing required marketplaceIds.'));
		if (!ids.includes(marketplaceId)) throw new SandboxHttpError(errorList(400, 'InvalidInput', `Marketplace ${ids.join(',')} is not enabled for this seller.`));
	};

	function itemView(listing: Listing, req: SandboxRequest): Record<string, unknown> {
		const wanted = String(req.query.includedData ?? 'summaries').split(',');
		const item: Record<string, unknown> = { sku: listing.sku };
		if (wanted.includes('summaries')) {
			item.summaries = [
				{
					marketplaceId,
					asin: listing.asin,
					productType: listing.productType,
					conditionType: 'new_new',
					status: listing.quantity > 0 ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'],
					itemName: listing.itemName,
					createdDate: iso(listing.createdAt),
					lastUpdatedDate: iso(listing.updatedAt),
				},
			];
		}
		if (wanted.includes('attributes')) {
			item.attributes = {
				item_name: [{ value: listing.itemName, marketplace_id: marketplaceId }],
				fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: listing.quantity }],
				purchasable_offer: [{ marketplace_id: marketplaceId, currency: listing.currency, our_price: [{ schedule: [{ value_with_tax: Number(listing.price) }] }] }],
				...Object.fromEntries(Object.entries(listing.attributes).filter(([, v]) => v !== undefined)),
			};
		}
		if (wanted.includes('issues')) item.issues = [];
		if (wanted.includes('offers')) item.offers = [{ marketplaceId, offerType: 'B2C', price: { currencyCode: listing.currency, amount: listing.price } }];
		if (wanted.includes('fulfillmentAvailability')) item.fulfillmentAvailability = [{ fulfillmentChannelCode: 'DEFAULT', quantity: listing.quantity }];
		return item;
	}

	const submission = (sku: string, status: string, req: SandboxRequest, issues: unknown[] = []) =>
		json(200, { sku, status, submissionId: req.requestId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32), issues });

	const patchIssues = (issues: Array<{ code: string; message: string; attributeName?: string }>) =>
		issues.map((i) => ({ code: i.code, message: i.message, severity: 'ERROR', categories: ['INVALID_ATTRIBUTE'], ...(i.attributeName ? { attributeNames: [i.attributeName] } : {}) }));

	const routes: RouteDefinition[] = [
		{
			method: 'POST',
			path: '/auth/o2/token',
			operation: 'lwaToken',
			// API: https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api
			handler: (req) => {
				const form = new URLSearchParams(req.rawBody.toString('utf8'));
				if (form.get('grant_type') !== 'refresh_token') return json(400, { error: 'unsupported_grant_type', error_description: 'Only refresh_token is supported here' });
				if (form.get('client_id') !== client.clientId || form.get('client_secret') !== client.clientSecret) {
					return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
				}
				if (form.get('refresh_token') !== client.refreshToken) return json(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
				const token = `Atza|${req.requestId}-${String(++counter)}`;
				tokens.set(token, req.now + timings.tokenTtlSeconds * 1000);
				return json(200, { access_token: token, refresh_token: client.refreshToken, token_type: 'bearer', expires_in: timings.tokenTtlSeconds });
			},
		},
		{
			method: 'GET',
			path: LISTINGS,
			operation: 'searchListingsItems',
			handler: authed((req) => {
				forSeller(req);
				const size = Number(req.query.pageSize ?? 10);
				if (!Number.isInteger(size) || size < 1 || size > 20) return errorList(400, 'InvalidInput', 'pageSize must be between 1 and 20.');
				const all = [...listings.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
				const start = req.query.pageToken === undefined ? 0 : Number(Buffer.from(String(req.query.pageToken), 'base64url').toString('utf8'));
				if (!Number.isInteger(start) || start < 0) return errorList(400, 'InvalidInput', 'Invalid pageToken.');
				const page = all.slice(start, start + size);
				const body: Record<string, unknown> = { numberOfResults: all.length, items: page.map((l) => itemView(l, req)) };
				const pagination: Record<string, string> = {};
				if (start + size < all.length) pagination.nextToken = Buffer.from(String(start + size)).toString('base64url');
				if (start > 0) pagination.previousToken = Buffer.from(String(Math.max(0, start - size))).toString('base64url');
				if (Object.keys(pagination).length > 0) body.pagination = pagination;
				return json(200, body);
			}),
		},
		{
			method: 'GET',
			path: `${LISTINGS}/:sku`,
			operation: 'getListingsItem',
			handler: authed((req) => {
				forSeller(req);
				const listing = listings.get(req.params.sku);
				if (!listing) return errorList(404, 'NOT_FOUND', `SKU '${req.params.sku}' not found in marketplace ${marketplaceId}`);
				return json(200, itemView(listing, req));
			}),
		},
		{
			method: 'PATCH',
			path: `${LISTINGS}/:sku`,
			operation: 'patchListingsItem',
			handler: authed((req) => {
				forSeller(req);
				const body = req.body as { productType?: string; patches?: Pending['patches'] } | undefined;
				if (!body || typeof body.productType !== 'string' || !Array.isArray(body.patches) || body.patches.length === 0) {
					return errorList(400, 'InvalidInput', 'The request body must have productType and at least one patch.');
				}
				const sku = req.params.sku;
				const issues = checkPatches(sku, body.patches);
				if (issues.length > 0) return submission(sku, 'INVALID', req, patchIssues(issues));
				if (req.query.mode === 'VALIDATION_PREVIEW') return submission(sku, 'VALID', req);
				pending.push({ sku, applyAt: req.now + timings.patchDelayMs, patches: body.patches, productType: body.productType });
				return submission(sku, 'ACCEPTED', req);
			}),
		},
		{
			method: 'PUT',
			path: `${LISTINGS}/:sku`,
			operation: 'putListingsItem',
			handler: authed((req) => {
				forSeller(req);
				const body = req.body as { productType?: string; requirements?: string; attributes?: Record<string, unknown[]> } | undefined;
				if (!body || typeof body.productType !== 'string' || typeof body.attributes !== 'object' || body.attributes === null) {
					return errorList(400, 'InvalidInput', 'The request body must have productType and attributes.');
				}
				const sku = req.params.sku;
				const attrs = body.attributes;
				const patches = Object.entries(attrs).map(([k, v]) => ({ op: 'replace', path: `/attributes/${k}`, value: v }));
				const issues = checkPatches(sku, patches).filter((i) => i.code !== '4000003');
				const name = (attrs.item_name?.[0] as { value?: string } | undefined)?.value;
				if (!listings.has(sku) && body.requirements !== 'LISTING_OFFER_ONLY' && !name) {
					issues.push({ code: '90220', message: "'item_name' is required but not supplied.", attributeName: 'item_name' });
				}
				if (issues.length > 0) return submission(sku, 'INVALID', req, patchIssues(issues));
				if (req.query.mode === 'VALIDATION_PREVIEW') return submission(sku, 'VALID', req);
				if (!listings.has(sku)) {
					listings.set(sku, { sku, asin: `B0${String(90_000_000 + ++counter)}`, productType: body.productType, itemName: name ?? sku, quantity: 0, price: '0.01', currency: 'USD', createdAt: req.now, updatedAt: req.now, attributes: {} });
				}
				const listing = listings.get(sku) as Listing;
				listing.productType = body.productType;
				listing.attributes = {};
				if (name) listing.itemName = name;
				pending.push({ sku, applyAt: req.now + timings.patchDelayMs, patches, productType: body.productType });
				return submission(sku, 'ACCEPTED', req);
			}),
		},
		{
			method: 'POST',
			path: '/feeds/2021-06-30/documents',
			operation: 'createFeedDocument',
			handler: authed((req) => {
				const body = req.body as { contentType?: string } | undefined;
				if (!body || typeof body.contentType !== 'string') return errorList(400, 'InvalidInput', 'contentType is required.');
				const id = nextId('amzn1.tortuga.4.na.');
				docs.set(id, { id, contentType: body.contentType, createdAt: req.now });
				return json(201, { feedDocumentId: id, url: presign(req, id, 'upload') });
			}),
		},
		{
			method: 'PUT',
			path: '/_documents/:documentId',
			operation: 'uploadDocument',
			handler: (req) => {
				const doc = checkPresigned(req, 'upload');
				const type = (req.headers['content-type'] ?? '').toLowerCase().replace(/\s+/g, '');
				if (type !== doc.contentType.toLowerCase().replace(/\s+/g, '')) {
					return text(403, '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>Content-Type differs from the one the document was created with</Message></Error>', 'application/xml');
				}
				doc.content = req.rawBody;
				return { status: 200 };
			},
		},
		{
			method: 'GET',
			path: '/_documents/:documentId',
			operation: 'downloadDocument',
			handler: (req) => {
				const doc = checkPresigned(req, 'download');
				return text(200, doc.content ?? Buffer.alloc(0), doc.contentType);
			},
		},
		{
			method: 'POST',
			path: '/feeds/2021-06-30/feeds',
			operation: 'createFeed',
			handler: authed((req) => {
				const body = req.body as { feedType?: string; marketplaceIds?: string[]; inputFeedDocumentId?: string } | undefined;
				if (!body?.feedType || !Array.isArray(body.marketplaceIds) || body.marketplaceIds.length === 0 || !body.inputFeedDocumentId) {
					return errorList(400, 'InvalidInput', 'feedType, marketplaceIds and inputFeedDocumentId are required.');
				}
				if (body.feedType !== 'JSON_LISTINGS_FEED') return errorList(400, 'InvalidInput', `Feed type ${body.feedType} is not supported by this sandbox.`);
				const doc = docs.get(body.inputFeedDocumentId);
				if (!doc) return errorList(400, 'InvalidInput', `Feed document ${body.inputFeedDocumentId} does not exist.`);
				if (!doc.content) return errorList(400, 'InvalidInput', `Feed document ${body.inputFeedDocumentId} has no content: upload it first.`);
				let messages = 0;
				try {
					messages = (JSON.parse(doc.content.toString('utf8')) as { messages?: unknown[] }).messages?.length ?? 0;
				} catch {
					messages = 0;
				}
				const queued = [...feeds.values()].filter((f) => !f.processed && f.status !== 'CANCELLED');
				const startAt = Math.max(req.now + timings.feedQueueMs, ...queued.map((f) => f.doneAt));
				const feedId = String(50_000_000_000 + ++counter);
				feeds.set(feedId, {
					feedId,
					feedType: body.feedType,
					marketplaceIds: body.marketplaceIds,
					inputFeedDocumentId: body.inputFeedDocumentId,
					createdAt: req.now,
					startAt,
					doneAt: startAt + messages * timings.feedPerMessageMs,
					status: 'IN_QUEUE',
				});
				return json(202, { feedId });
			}),
		},
		{
			method: 'GET',
			path: '/feeds/2021-06-30/feeds/:feedId',
			operation: 'getFeed',
			handler: authed((req) => {
				const feed = feeds.get(req.params.feedId);
				if (!feed) return errorList(404, 'NotFound', `Feed ${req.params.feedId} not found.`);
				const view: Record<string, unknown> = {
					feedId: feed.feedId,
					feedType: feed.feedType,
					marketplaceIds: feed.marketplaceIds,
					createdTime: iso(feed.createdAt),
					processingStatus: feed.status,
				};
				if (feed.status !== 'IN_QUEUE') view.processingStartTime = iso(feed.startAt);
				if (feed.processed) view.processingEndTime = iso(feed.doneAt);
				if (feed.resultFeedDocumentId) view.resultFeedDocumentId = feed.resultFeedDocumentId;
				return json(200, view);
			}),
		},
		{
			method: 'GET',
			path: '/feeds/2021-06-30/documents/:feedDocumentId',
			operation: 'getFeedDocument',
			handler: authed((req) => {
				const doc = docs.get(req.params.feedDocumentId);
				if (!doc) return errorList(404, 'NotFound', `Feed document ${req.params.feedDocumentId} not found.`);
				return json(200, { feedDocumentId: doc.id, url: presign(req, doc.id, 'download') });
			}),
		},
	];

	return {
		name: 'amazon',
		description: 'Amazon Selling Partner API: LWA, Listings Items 2021-08-01, Feeds 2021-06-30',
		routes,
		rateLimits: [amazonTokenBuckets({ operations: AMAZON_OPERATION_RATES })],
		reset,
		seed,
		snapshot: () => {
			settle(ctx.clock.now());
			return {
				sellerId,
				marketplaceId,
				listings: [...listings.values()].map((l) => ({ sku: l.sku, asin: l.asin, quantity: l.quantity, price: l.price, currency: l.currency, productType: l.productType })),
				pendingPatches: pending.length,
				feeds: [...feeds.values()].map((f) => ({ feedId: f.feedId, status: f.status, doneAt: f.doneAt, resultFeedDocumentId: f.resultFeedDocumentId })),
			};
		},
		errorResponse: (status) => errorList(status, status === 403 ? 'Unauthorized' : status >= 500 ? 'InternalFailure' : 'InvalidInput', status === 403 ? 'Access to requested resource is denied.' : `Request failed with status ${status}.`),
		notFound: (req) => errorList(404, 'NotFound', `Resource ${req.path} not found.`),
	};
}

export const amazonSystem: SystemRegistration = {
	name: 'amazon',
	description: 'Amazon Selling Partner API (Listings Items, Feeds, LWA)',
	create: createAmazon,
};

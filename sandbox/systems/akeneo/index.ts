/**
 * Akeneo PIM REST stand-in: the password/refresh-token grant with expiring tokens, products on
 * the UUID endpoints (search filters, `page` and `search_after` paging with `_links.next`, the
 * line-by-line collection PATCH with per-line statuses, 100-line 413 and 415 checks), families,
 * attributes and categories, and the SaaS limits: 4 calls at once per connection, 10 per
 * instance and 100 per second, each answered with 429 and Retry-After.
 * API: https://api.akeneo.com/api-reference.html#Productuuid
 * API: https://api.akeneo.com/documentation/authentication.html
 */
import { createHash } from 'node:crypto';

import { json, SandboxHttpError, text, type SandboxResponse } from '../../http';
import { ConcurrencyPolicy, type LimitDecision } from '../../ratelimit/policies';
import { akeneoRateLimits } from '../../ratelimit/presets';
import type { RouteDefinition, SandboxRequest, SandboxSystem, SeedInput, SystemContext, SystemRegistration } from '../../types';

/** The connection the sandbox accepts (seed option `akeneo: {clientId, clientSecret, username, password}`). */
export const AKENEO_SANDBOX_CONNECTION = Object.freeze({
	clientId: '1_sandbox-client',
	clientSecret: 'akeneo-sandbox-secret',
	username: 'commerce_sync_1234',
	password: 'sandbox-password',
});
/** A token that never expires, for tests that skip the exchange. */
export const AKENEO_SANDBOX_ACCESS_TOKEN = 'akeneo-sandbox-static-token';

const COLLECTION_TYPE = 'application/vnd.akeneo.collection+json';
const API = '/api/rest/v1';

interface Value {
	locale: string | null;
	scope: string | null;
	data: unknown;
}
interface Product {
	uuid: string;
	enabled: boolean;
	family: string | null;
	categories: string[];
	groups: string[];
	parent: string | null;
	values: Record<string, Value[]>;
	associations: Record<string, unknown>;
	quantified_associations: Record<string, unknown>;
	created: number;
	updated: number;
}
interface Attribute {
	code: string;
	type: string;
	localizable: boolean;
	scopable: boolean;
	group: string;
	labels: Record<string, string>;
}
interface Token {
	clientId: string;
	expiresAt: number;
}

const ATTRIBUTES: Attribute[] = [
	{ code: 'sku', type: 'pim_catalog_identifier', localizable: false, scopable: false, group: 'general', labels: { en_US: 'SKU' } },
	{ code: 'name', type: 'pim_catalog_text', localizable: true, scopable: false, group: 'general', labels: { en_US: 'Name' } },
	{ code: 'description', type: 'pim_catalog_textarea', localizable: true, scopable: true, group: 'marketing', labels: { en_US: 'Description' } },
	{ code: 'price', type: 'pim_catalog_price_collection', localizable: false, scopable: false, group: 'marketing', labels: { en_US: 'Price' } },
	{ code: 'image', type: 'pim_catalog_image', localizable: false, scopable: false, group: 'media', labels: { en_US: 'Image' } },
	{ code: 'color', type: 'pim_catalog_simpleselect', localizable: false, scopable: false, group: 'general', labels: { en_US: 'Color' } },
	{ code: 'weight', type: 'pim_catalog_metric', localizable: false, scopable: false, group: 'technical', labels: { en_US: 'Weight' } },
];
const FAMILIES = [
	{ code: 'clothing', attributes: ['sku', 'name', 'description', 'price', 'image', 'color', 'weight'], attribute_as_label: 'name', attribute_as_image: 'image', labels: { en_US: 'Clothing' } },
	{ code: 'accessories', attributes: ['sku', 'name', 'description', 'price', 'image', 'weight'], attribute_as_label: 'name', attribute_as_image: 'image', labels: { en_US: 'Accessories' } },
];
const CATEGORIES = [
	{ code: 'master', parent: null, labels: { en_US: 'Master catalog' } },
	{ code: 'clothing', parent: 'master', labels: { en_US: 'Clothing' } },
	{ code: 'accessories', parent: 'master', labels: { en_US: 'Accessories' } },
	{ code: 'summer', parent: 'master', labels: { en_US: 'Summer' } },
];
const LOCALES = ['en_US', 'fr_FR', 'de_DE'];
const CHANNELS = ['ecommerce', 'print'];
const PRODUCT_KEYS = new Set(['uuid', 'enabled', 'family', 'categories', 'groups', 'parent', 'values', 'associations', 'quantified_associations', 'created', 'updated', 'identifier', '_links']);

/** Akeneo's dates: ISO 8601 with the offset. */
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const fail = (status: number, message: string, extra: Record<string, unknown> = {}) =>
	new SandboxHttpError(json(status, { code: status, message, ...extra }));

function uuidFrom(seed: string): string {
	const h = createHash('sha1').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function createAkeneo(ctx: SystemContext): SandboxSystem {
	let products = new Map<string, Product>();
	let tokens = new Map<string, Token>();
	let refreshTokens = new Map<string, string>();
	let connection: Record<keyof typeof AKENEO_SANDBOX_CONNECTION, string> = { ...AKENEO_SANDBOX_CONNECTION };
	let tokenTtlSeconds = 3600;
	let issued = 0;

	const reset = () => {
		products = new Map();
		tokens = new Map();
		refreshTokens = new Map();
		connection = { ...AKENEO_SANDBOX_CONNECTION };
		tokenTtlSeconds = 3600;
		issued = 0;
	};

	function seed({ catalog, options, rng }: SeedInput): void {
		for (const key of Object.keys(AKENEO_SANDBOX_CONNECTION) as Array<keyof typeof AKENEO_SANDBOX_CONNECTION>) {
			if (typeof options[key] === 'string') connection[key] = options[key] as string;
		}
		if (typeof options.tokenTtlSeconds === 'number') tokenTtlSeconds = options.tokenTtlSeconds;
		tokens.set(AKENEO_SANDBOX_ACCESS_TOKEN, { clientId: connection.clientId, expiresAt: Number.POSITIVE_INFINITY });
		const now = ctx.clock.now();
		catalog.items.forEach((item, i) => {
			const family = i % 3 === 2 ? 'accessories' : 'clothing';
			const usd = Number(item.price);
			const created = now - rng.int(100, 400) * 86_400_000;
			const p: Product = {
				uuid: uuidFrom(`akeneo:${catalog.spec.seed}:${item.sku}`),
				enabled: !rng.chance(0.05),
				family,
				categories: ['master', family, ...(rng.chance(0.3) ? ['summer'] : [])],
				groups: [],
				parent: null,
				values: {
					sku: [{ locale: null, scope: null, data: item.sku }],
					name: [
						{ locale: 'en_US', scope: null, data: item.name },
						{ locale: 'fr_FR', scope: null, data: `${item.name} (FR)` },
					],
					description: [
						{ locale: 'en_US', scope: 'ecommerce', data: `<p>${item.name}: made to last.</p>` },
						{ locale: 'en_US', scope: 'print', data: `${item.name}.` },
					],
					price: [{ locale: null, scope: null, data: [{ amount: usd.toFixed(2), currency: 'USD' }, { amount: (usd * 0.92).toFixed(2), currency: 'EUR' }] }],
					image: [{ locale: null, scope: null, data: `${item.sku.toLowerCase().slice(0, 1)}/${i % 10}/${item.sku.toLowerCase()}_main.jpg` }],
					weight: [{ locale: null, scope: null, data: { amount: (item.weightGrams / 1000).toFixed(3), unit: 'KILOGRAM' } }],
				},
				associations: {},
				quantified_associations: {},
				created,
				// One product updated per hour back from now: "updated since" cuts the list cleanly.
				updated: now - (i + 1) * 3_600_000,
			};
			if (family === 'clothing') p.values.color = [{ locale: null, scope: null, data: rng.pick(['red', 'blue', 'black', 'white']) }];
			products.set(p.uuid, p);
		});
	}

	const clientOf = (authorization: string | undefined): string => {
		const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
		return (bearer && tokens.get(bearer)?.clientId) || 'anonymous';
	};

	const authorize = (req: SandboxRequest): void => {
		const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const token = bearer ? tokens.get(bearer) : undefined;
		if (!token) throw fail(401, 'The access token provided is invalid.');
		if (token.expiresAt <= req.now) throw fail(401, 'The access token provided has expired.');
		const accept = req.headers.accept;
		if (accept && !/application\/json|\*\/\*|application\/\*/.test(accept)) {
			throw fail(406, `"${accept}" in "Accept" header is not valid. Only "application/json" is allowed.`);
		}
	};

	const issue = (clientId: string, now: number) => {
		issued++;
		const access = createHash('sha256').update(`access:${clientId}:${issued}:${now}`).digest('base64url');
		const refresh = createHash('sha256').update(`refresh:${clientId}:${issued}:${now}`).digest('base64url');
		tokens.set(access, { clientId, expiresAt: now + tokenTtlSeconds * 1000 });
		refreshTokens.set(refresh, clientId);
		return json(200, { access_token: access, expires_in: tokenTtlSeconds, token_type: 'bearer', scope: null, refresh_token: refresh });
	};

	// API: https://api.akeneo.com/api-reference.html#post_token
	const token = (req: SandboxRequest): SandboxResponse => {
		const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
		if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
			throw fail(415, `"${type}" in "Content-Type" header is not valid. Only "application/json" or "application/x-www-form-urlencoded" are allowed.`);
		}
		let body: Record<string, unknown>;
		if (type === 'application/json') {
			if (req.bodyError || !req.body || typeof req.body !== 'object') throw fail(400, 'Invalid json message received');
			body = req.body as Record<string, unknown>;
		} else {
			body = Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
		}
		// Checked here, independently of any client code: Basic base64(client id:secret).
		const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
		if (id !== connection.clientId || secret !== connection.clientSecret) {
			// RFC 6749 §5.2: a client that authenticated with the Authorization header and failed gets 401.
			throw fail(401, 'Parameter "client_id" is missing or does not match any client, or secret is invalid');
		}
		if (body.grant_type === 'password') {
			if (typeof body.username !== 'string' || typeof body.password !== 'string' || !body.username || !body.password) {
				throw fail(422, 'Parameter "grant_type", "username" or "password" is missing, empty or invalid');
			}
			if (body.username !== connection.username || body.password !== connection.password) throw fail(422, 'No user found for the given username and password');
			return issue(id, req.now);
		}
		if (body.grant_type === 'refresh_token') {
			const owner = typeof body.refresh_token === 'string' ? refreshTokens.get(body.refresh_token) : undefined;
			if (owner !== id) throw fail(422, 'Refresh token is invalid or has expired');
			refreshTokens.delete(body.refresh_token as string);
			return issue(id, req.now);
		}
		throw fail(422, 'Parameter "grant_type", "username" or "password" is missing, empty or invalid');
	};

	const view = (p: Product, req: SandboxRequest) => ({
		_links: { self: { href: `${req.baseUrl}${API}/products-uuid/${p.uuid}` } },
		uuid: p.uuid,
		enabled: p.enabled,
		family: p.family,
		categories: p.categories,
		groups: p.groups,
		parent: p.parent,
		values: withLinks(p.values, req),
		created: iso(p.created),
		updated: iso(p.updated),
		associations: p.associations,
		quantified_associations: p.quantified_associations,
	});

	const withLinks = (values: Record<string, Value[]>, req: SandboxRequest) => {
		const out: Record<string, unknown[]> = {};
		for (const [code, list] of Object.entries(values)) {
			const media = ATTRIBUTES.find((a) => a.code === code)?.type === 'pim_catalog_image';
			out[code] = list.map((v) => (media && typeof v.data === 'string' ? { ...v, _links: { download: { href: `${req.baseUrl}${API}/media-files/${v.data}/download` } } } : v));
		}
		return out;
	};

	const listProducts = (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		const limit = limitOf(req);
		const paging = one(req.query.pagination_type) ?? 'page';
		if (paging !== 'page' && paging !== 'search_after') throw fail(422, `Pagination type "${paging}" does not exist.`);
		const filtered = [...products.values()].filter(productFilter(req)).sort((a, b) => a.uuid.localeCompare(b.uuid));
		const query = (extra: Record<string, string>) => {
			const q = new URLSearchParams();
			for (const [k, v] of Object.entries(req.query)) if (!['page', 'search_after'].includes(k)) q.set(k, Array.isArray(v) ? v[0] : v);
			q.set('limit', String(limit));
			for (const [k, v] of Object.entries(extra)) q.set(k, v);
			return `${req.baseUrl}${API}/products-uuid?${q.toString()}`;
		};
		if (paging === 'search_after') {
			const after = one(req.query.search_after);
			const cursor = after ? Buffer.from(after, 'base64url').toString('utf8') : '';
			const page = filtered.filter((p) => p.uuid > cursor).slice(0, limit);
			const last = page[page.length - 1];
			const more = last !== undefined && filtered.some((p) => p.uuid > last.uuid);
			const links: Record<string, { href: string }> = { self: { href: query(after ? { search_after: after } : {}) }, first: { href: query({}) } };
			if (more) links.next = { href: query({ search_after: Buffer.from(last.uuid).toString('base64url') }) };
			return json(200, { _links: links, _embedded: { items: page.map((p) => view(p, req)) } });
		}
		return pageOf(filtered.map((p) => view(p, req)), req, `${API}/products-uuid`, limit);
	};

	const productFilter = (req: SandboxRequest) => {
		const raw = one(req.query.search);
		if (!raw) return () => true;
		let search: Record<string, Array<{ operator?: string; value?: unknown }>>;
		try {
			search = JSON.parse(raw);
		} catch {
			throw fail(400, 'Search query parameter should be valid JSON.');
		}
		const checks: Array<(p: Product) => boolean> = [];
		for (const [field, conditions] of Object.entries(search)) {
			if (!Array.isArray(conditions)) throw fail(422, `Structure of filter "${field}" should respect this structure: {"${field}":[{"operator": "my_operator", "value": "my_value"}]}`);
			for (const c of conditions) checks.push(condition(field, c));
		}
		return (p: Product) => checks.every((check) => check(p));
	};

	const condition = (field: string, c: { operator?: string; value?: unknown }): ((p: Product) => boolean) => {
		const op = c.operator;
		const unsupported = () => fail(422, `Filter on property "${field}" is not supported or does not support operator "${String(op)}"`);
		if (field === 'updated' || field === 'created') {
			const at = (p: Product) => (field === 'updated' ? p.updated : p.created);
			if (op === 'SINCE LAST N DAYS') {
				const days = Number(c.value);
				return (p) => at(p) >= ctx.clock.now() - days * 86_400_000;
			}
			const dates = (Array.isArray(c.value) ? c.value : [c.value]).map((v) => {
				if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v)) {
					throw fail(422, `Property "${field}" expects a string with the format "yyyy-mm-dd H:i:s" as data, "${String(v)}" given.`);
				}
				return Date.parse(`${v.replace(' ', 'T')}Z`);
			});
			const t = dates[0];
			switch (op) {
				case '>': return (p) => at(p) > t + 999;
				case '<': return (p) => at(p) < t;
				case '=': return (p) => Math.floor(at(p) / 1000) === t / 1000;
				case '!=': return (p) => Math.floor(at(p) / 1000) !== t / 1000;
				case 'BETWEEN': return (p) => at(p) >= t && at(p) <= (dates[1] ?? t) + 999;
				case 'NOT BETWEEN': return (p) => at(p) < t || at(p) > (dates[1] ?? t) + 999;
				default: throw unsupported();
			}
		}
		if (field === 'enabled') {
			if (op !== '=' && op !== '!=') throw unsupported();
			return (p) => (p.enabled === c.value) === (op === '=');
		}
		const list = Array.isArray(c.value) ? c.value.map(String) : [];
		if (field === 'family') {
			if (op === 'IN') return (p) => p.family !== null && list.includes(p.family);
			if (op === 'NOT IN') return (p) => p.family === null || !list.includes(p.family);
			throw unsupported();
		}
		if (field === 'categories') {
			if (op === 'IN') return (p) => p.categories.some((x) => list.includes(x));
			if (op === 'NOT IN') return (p) => !p.categories.some((x) => list.includes(x));
			throw unsupported();
		}
		if (field === 'uuid') {
			if (op === 'IN') return (p) => list.includes(p.uuid);
			throw unsupported();
		}
		throw unsupported();
	};

	const getProduct = (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		const p = products.get(req.params.uuid.toLowerCase());
		if (!p) throw fail(404, `Product "${req.params.uuid}" does not exist or you do not have permission to access it.`);
		const { _links, ...rest } = view(p, req);
		void _links;
		return json(200, rest);
	};

	// API: https://api.akeneo.com/api-reference.html#patch_products_uuid
	const patchProducts = (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
		if (type !== COLLECTION_TYPE) throw fail(415, `"${type}" in "Content-Type" header is not valid. Only "${COLLECTION_TYPE}" is allowed.`);
		const lines = req.rawBody.toString('utf8').split('\n').filter((l) => l.trim() !== '');
		if (lines.length > 100) throw fail(413, 'Too many resources to process, 100 is the maximum allowed.');
		const out = lines.map((line, i) => JSON.stringify(applyLine(line, i + 1, req.now)));
		return text(200, `${out.join('\n')}\n`, COLLECTION_TYPE);
	};

	const applyLine = (line: string, n: number, now: number): Record<string, unknown> => {
		if (line.length > 1_000_000) return { line: n, status_code: 413, message: 'Line is too long.' };
		let input: Record<string, unknown>;
		try {
			input = JSON.parse(line);
		} catch {
			return { line: n, status_code: 400, message: 'Invalid json message received' };
		}
		const uuid = typeof input.uuid === 'string' ? input.uuid.toLowerCase() : undefined;
		if (!uuid || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(uuid)) {
			return { line: n, status_code: 422, message: 'The uuid field is required and must be a valid UUID.' };
		}
		const problem = validate(input);
		if (problem) return { line: n, uuid, status_code: 422, message: problem.message, ...(problem.errors ? { errors: problem.errors } : {}) };
		const existing = products.get(uuid);
		const p: Product = existing ?? { uuid, enabled: true, family: null, categories: [], groups: [], parent: null, values: {}, associations: {}, quantified_associations: {}, created: now, updated: now };
		if (!existing) {
			const sku = (input.values as Record<string, Value[]> | undefined)?.sku?.[0]?.data;
			const clash = [...products.values()].find((x) => x.values.sku?.[0]?.data === sku);
			if (typeof sku === 'string' && clash) return { line: n, uuid, status_code: 422, message: 'Validation failed.', errors: [{ property: 'identifier', message: `The ${sku} identifier is already used for another product.`, attribute: 'sku', locale: null, scope: null }] };
		}
		if (typeof input.enabled === 'boolean') p.enabled = input.enabled;
		if ('family' in input) p.family = (input.family as string | null) ?? null;
		if (Array.isArray(input.categories)) p.categories = [...(input.categories as string[])];
		if (Array.isArray(input.groups)) p.groups = [...(input.groups as string[])];
		for (const [code, list] of Object.entries((input.values as Record<string, Value[]>) ?? {})) {
			const current = (p.values[code] ??= []);
			for (const v of list) {
				const i = current.findIndex((c) => c.locale === v.locale && c.scope === v.scope);
				if (i >= 0) current[i] = { locale: v.locale, scope: v.scope, data: v.data };
				else current.push({ locale: v.locale, scope: v.scope, data: v.data });
			}
		}
		p.updated = now;
		products.set(uuid, p);
		return { line: n, uuid, status_code: existing ? 204 : 201 };
	};

	const validate = (input: Record<string, unknown>): { message: string; errors?: unknown[] } | undefined => {
		for (const key of Object.keys(input)) if (!PRODUCT_KEYS.has(key)) return { message: `Property "${key}" does not exist. Check the expected format on the API documentation.` };
		if ('family' in input && input.family !== null && !FAMILIES.some((f) => f.code === input.family)) {
			return { message: `Property "family" expects a valid family code. The family does not exist, "${String(input.family)}" given.` };
		}
		if ('categories' in input) {
			if (!Array.isArray(input.categories)) return { message: 'Property "categories" expects an array as data, "string" given.' };
			const unknown = (input.categories as unknown[]).find((c) => !CATEGORIES.some((x) => x.code === c));
			if (unknown !== undefined) return { message: `Property "categories" expects a valid category code. The category does not exist, "${String(unknown)}" given.` };
		}
		if ('enabled' in input && typeof input.enabled !== 'boolean') return { message: 'Property "enabled" expects a boolean as data.' };
		const values = input.values;
		if (values === undefined) return undefined;
		if (!values || typeof values !== 'object' || Array.isArray(values)) return { message: 'Property "values" expects an array as data.' };
		for (const [code, list] of Object.entries(values as Record<string, unknown>)) {
			const attribute = ATTRIBUTES.find((a) => a.code === code);
			if (!attribute) return { message: `Attribute "${code}" does not exist.` };
			if (!Array.isArray(list)) return { message: `Property "${code}" expects an array of values.` };
			for (const v of list as Value[]) {
				const err = (message: string) => ({ message: 'Validation failed.', errors: [{ property: 'values', message, attribute: code, locale: v?.locale ?? null, scope: v?.scope ?? null }] });
				if (!v || typeof v !== 'object' || !('data' in v)) return err('Each value needs "locale", "scope" and "data".');
				if (attribute.localizable ? !LOCALES.includes(String(v.locale)) : v.locale !== null) return err(attribute.localizable ? `The value for attribute ${code} needs an activated locale.` : `The ${code} attribute does not require a locale, "${String(v.locale)}" given.`);
				if (attribute.scopable ? !CHANNELS.includes(String(v.scope)) : v.scope !== null) return err(attribute.scopable ? `The value for attribute ${code} needs an existing channel.` : `The ${code} attribute does not require a value per channel, "${String(v.scope)}" given.`);
				if (attribute.type === 'pim_catalog_price_collection') {
					const ok = Array.isArray(v.data) && (v.data as Array<{ amount?: unknown; currency?: unknown }>).every((x) => typeof x?.currency === 'string' && (x.amount === null || !Number.isNaN(Number(x.amount))));
					if (!ok) return err('Property "price" expects an array of {"amount", "currency"} objects.');
				} else if (['pim_catalog_text', 'pim_catalog_textarea', 'pim_catalog_identifier', 'pim_catalog_image', 'pim_catalog_simpleselect'].includes(attribute.type) && v.data !== null && typeof v.data !== 'string') {
					return err(`Property "${code}" expects a string as data, "${typeof v.data}" given.`);
				}
			}
		}
		return undefined;
	};

	const listOf = (items: unknown[], path: string) => (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		return pageOf(items, req, path, limitOf(req));
	};

	const routes: RouteDefinition[] = [
		{ method: 'POST', path: '/api/oauth/v1/token', operation: 'post_token', handler: token },
		{ method: 'GET', path: `${API}/products-uuid`, operation: 'get_products_uuid', handler: listProducts },
		{ method: 'PATCH', path: `${API}/products-uuid`, operation: 'patch_products_uuid', handler: patchProducts },
		{ method: 'GET', path: `${API}/products-uuid/:uuid`, operation: 'get_products_uuid__uuid_', handler: getProduct },
		{ method: 'GET', path: `${API}/families`, operation: 'get_families', handler: listOf(FAMILIES, `${API}/families`) },
		{ method: 'GET', path: `${API}/attributes`, operation: 'get_attributes', handler: listOf(ATTRIBUTES.map(({ code, type, localizable, scopable, group, labels }) => ({ code, type, localizable, scopable, group, labels, unique: type === 'pim_catalog_identifier' })), `${API}/attributes`) },
		{ method: 'GET', path: `${API}/categories`, operation: 'get_categories', handler: listOf(CATEGORIES, `${API}/categories`) },
	];

	const reject = (d: LimitDecision): SandboxResponse =>
		json(429, { code: 429, message: 'You have exceeded the limit of API requests per second.' }, { 'Retry-After': String(Math.max(1, Math.ceil((d.retryAfterMs ?? 1000) / 1000))) });
	const [perConnection, perSecond] = akeneoRateLimits({ key: (r) => clientOf(r.headers.authorization) });

	return {
		name: 'akeneo',
		description: 'Akeneo PIM REST API (products-uuid, families, attributes, categories)',
		routes,
		rateLimits: [perConnection, new ConcurrencyPolicy({ name: 'instance-concurrency', max: 10, shape: { reject } }), perSecond],
		reset,
		seed,
		snapshot: () => ({
			products: [...products.values()].map((p) => ({ ...p, sku: p.values.sku?.[0]?.data })),
			tokens: tokens.size,
			issued,
		}),
		errorResponse: (status) => json(status, { code: status, message: 'An internal error occurred.' }),
		notFound: (req) => json(404, { code: 404, message: `No route found for "${req.method} ${req.path}"` }),
		tooManyRequests: (retryAfterMs) => reject({ policy: 'burst', allowed: false, retryAfterMs, headers: {} }),
	};
}

function one(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function limitOf(req: SandboxRequest): number {
	const raw = one(req.query.limit);
	const limit = raw === undefined ? 10 : Number(raw);
	if (!Number.isInteger(limit) || limit < 1) throw fail(422, `"${String(raw)}" is not a valid limit number.`);
	if (limit > 100) throw fail(422, 'You cannot request more than 100 items.');
	return limit;
}

/** Offset paging (`pagination_type=page`), with Akeneo's 422 past the page ceiling. */
function pageOf(items: unknown[], req: SandboxRequest, path: string, limit: number): SandboxResponse {
	const page = Number(one(req.query.page) ?? 1);
	if (!Number.isInteger(page) || page < 1) throw fail(422, `"${String(one(req.query.page))}" is not a valid page number.`);
	if ((page - 1) * limit >= 10_000) throw fail(422, 'You have reached the maximum number of pages you can retrieve with the "page" pagination type. Please use the search after pagination type instead');
	const href = (n: number) => {
		const q = new URLSearchParams();
		for (const [k, v] of Object.entries(req.query)) if (k !== 'page') q.set(k, Array.isArray(v) ? v[0] : v);
		q.set('page', String(n));
		q.set('limit', String(limit));
		return { href: `${req.baseUrl}${path}?${q.toString()}` };
	};
	const slice = items.slice((page - 1) * limit, page * limit);
	const links: Record<string, { href: string }> = { self: href(page), first: href(1) };
	if (page > 1) links.previous = href(page - 1);
	if (page * limit < items.length) links.next = href(page + 1);
	const body: Record<string, unknown> = { _links: links, current_page: page, _embedded: { items: slice } };
	if (one(req.query.with_count) === 'true') body.items_count = items.length;
	return json(200, body);
}

export const akeneoSystem: SystemRegistration = {
	name: 'akeneo',
	description: 'Akeneo PIM REST API (products-uuid, families, attributes, categories)',
	create: createAkeneo,
};

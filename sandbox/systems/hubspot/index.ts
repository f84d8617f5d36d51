/**
 * HubSpot CRM v3 stand-in: contacts, companies and deals (list, get by id or unique property,
 * search with filter groups, batch upsert by a unique property with per-record `new` and 207
 * multi-status errors), v4 default associations, private-app bearer tokens, the rolling
 * 10-second and daily limits with `policyName` 429s, and v3-signed webhook deliveries (an array
 * of events per POST) for creations and property changes.
 * API: https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/guide
 * API: https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide
 */
import { json, SandboxHttpError, type SandboxResponse } from '../../http';
import { hubspotRateLimit } from '../../ratelimit/presets';
import type { RouteDefinition, SandboxRequest, SandboxSystem, SeedInput, SystemContext, SystemRegistration } from '../../types';
import { HUBSPOT_DELIVERY, hubspotV3Signer } from '../../webhooks/signers';

/** The private-app token the sandbox accepts (seed option `hubspot: {accessToken}` overrides). */
export const HUBSPOT_SANDBOX_TOKEN = 'pat-na1-sandbox-0000-0000-000000000000';
/** The app client secret webhook deliveries are signed with. */
export const HUBSPOT_SANDBOX_CLIENT_SECRET = 'hubspot-sandbox-client-secret';
export const HUBSPOT_SANDBOX_PORTAL = 62_515;

type ObjectType = 'contacts' | 'companies' | 'deals';
const TYPES: readonly ObjectType[] = ['contacts', 'companies', 'deals'];
/** Properties with unique values per object, usable as `idProperty`. */
const UNIQUE: Record<ObjectType, readonly string[]> = {
	contacts: ['email', 'hs_object_id'],
	companies: ['external_id', 'hs_object_id'],
	deals: ['order_id', 'hs_object_id'],
};
const SINGULAR: Record<ObjectType, string> = { contacts: 'contact', companies: 'company', deals: 'deal' };
// HubSpot-defined association type ids of the default (unlabelled) associations.
const ASSOCIATION_TYPE: Record<string, number> = {
	'contacts>companies': 279, 'companies>contacts': 280, 'deals>contacts': 3, 'contacts>deals': 4,
	'deals>companies': 341, 'companies>deals': 342,
};
const SEARCH_PAGE_MAX = 200;
const SEARCH_CAP = 10_000;

interface CrmRecord {
	id: string;
	properties: Record<string, string>;
	createdAt: number;
	updatedAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function error(status: number, req: SandboxRequest, category: string, message: string, extra: Record<string, unknown> = {}): SandboxHttpError {
	return new SandboxHttpError(json(status, { status: 'error', message, correlationId: req.requestId, category, ...extra }));
}

function createHubSpot(ctx: SystemContext): SandboxSystem {
	let records: Record<ObjectType, Map<string, CrmRecord>> = { contacts: new Map(), companies: new Map(), deals: new Map() };
	let associations = new Set<string>();
	let token = HUBSPOT_SANDBOX_TOKEN;
	let nextId = 1000;
	let upsertCalls = 0;
	let eventSeq = 0;
	// type|property|value → record, for the unique properties (checked on read, so a changed value never matches).
	let unique = new Map<string, CrmRecord>();
	const norm = (property: string, value: string) => (property === 'email' ? value.toLowerCase() : value);
	const index = (type: ObjectType, r: CrmRecord) => {
		for (const property of UNIQUE[type]) {
			const value = r.properties[property];
			if (value !== undefined) unique.set(`${type}|${property}|${norm(property, value)}`, r);
		}
	};

	const reset = () => {
		unique = new Map();
		records = { contacts: new Map(), companies: new Map(), deals: new Map() };
		associations = new Set();
		token = HUBSPOT_SANDBOX_TOKEN;
		nextId = 1000;
		upsertCalls = 0;
		eventSeq = 0;
	};

	const view = (type: ObjectType, r: CrmRecord, wanted?: string[]) => {
		const properties: Record<string, string | null> = { hs_object_id: r.id, createdate: iso(r.createdAt), lastmodifieddate: iso(r.updatedAt) };
		const names = wanted?.length ? wanted : defaultProperties(type);
		for (const name of names) properties[name] = r.properties[name] ?? null;
		return { id: r.id, properties, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt), archived: false };
	};

	const find = (type: ObjectType, idProperty: string, value: string): CrmRecord | undefined => {
		if (idProperty === 'hs_object_id') return records[type].get(value);
		const r = unique.get(`${type}|${idProperty}|${norm(idProperty, value)}`);
		const have = r?.properties[idProperty];
		return have !== undefined && norm(idProperty, have) === norm(idProperty, value) && records[type].has(r!.id) ? r : undefined;
	};

	const create = (type: ObjectType, properties: Record<string, string>, now: number): CrmRecord => {
		const r: CrmRecord = { id: String(++nextId), properties: { ...properties }, createdAt: now, updatedAt: now };
		records[type].set(r.id, r);
		index(type, r);
		return r;
	};

	function seed({ catalog, options, rng }: SeedInput): void {
		if (typeof options.accessToken === 'string') token = options.accessToken;
		const now = ctx.clock.now();
		const first = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia'];
		const last = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Perlman'];
		const contacts = typeof options.contacts === 'number' ? options.contacts : catalog.items.length;
		for (let i = 0; i < Math.ceil(contacts / 4); i++) {
			create('companies', { name: `Retailer ${i + 1}`, domain: `retailer${i + 1}.example`, external_id: `CO-${i + 1}` }, now - rng.int(1, 400) * 86_400_000);
		}
		for (let i = 0; i < contacts; i++) {
			const f = rng.pick(first);
			const l = rng.pick(last);
			create('contacts', { email: `${f}.${l}.${i + 1}@example.com`.toLowerCase(), firstname: f, lastname: l, lifecyclestage: rng.pick(['lead', 'customer', 'subscriber']) }, now - rng.int(1, 400) * 86_400_000);
		}
		const items = catalog.items.slice(0, Math.ceil(contacts / 2));
		items.forEach((item, i) => create('deals', { dealname: `Order SO-${1000 + i}`, order_id: `SO-${1000 + i}`, amount: item.price, dealstage: 'closedwon', pipeline: 'default' }, now - rng.int(1, 90) * 86_400_000));
	}

	const authorize = (req: SandboxRequest) => {
		if (req.headers.authorization !== `Bearer ${token}`) {
			throw error(401, req, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
		}
	};

	const objectType = (req: SandboxRequest, name = 'type'): ObjectType => {
		const type = req.params[name] as ObjectType;
		if (!TYPES.includes(type)) throw error(400, req, 'VALIDATION_ERROR', `Unable to infer object type from: ${req.params[name]}`);
		return type;
	};

	const list = (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		const type = objectType(req);
		const limit = Number(req.query.limit ?? 10);
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw error(400, req, 'VALIDATION_ERROR', 'limit must be between 1 and 100');
		const start = req.query.after === undefined ? 0 : Number(req.query.after);
		if (!Number.isInteger(start) || start < 0) throw error(400, req, 'VALIDATION_ERROR', `Invalid after: ${String(req.query.after)}`);
		const all = [...records[type].values()].sort((a, b) => Number(a.id) - Number(b.id));
		const page = all.slice(start, start + limit);
		const wanted = splitList(req.query.properties);
		const body: Record<string, unknown> = { results: page.map((r) => view(type, r, wanted)) };
		if (start + limit < all.length) {
			const after = String(start + limit);
			body.paging = { next: { after, link: `${req.baseUrl}/crm/v3/objects/${type}?after=${after}&limit=${limit}` } };
		}
		return json(200, body);
	};

	const getOne = (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		const type = objectType(req);
		const idProperty = typeof req.query.idProperty === 'string' ? req.query.idProperty : 'hs_object_id';
		if (!UNIQUE[type].includes(idProperty)) throw error(400, req, 'VALIDATION_ERROR', `Property ${idProperty} is not a unique identifier property for ${type}`);
		const r = find(type, idProperty, req.params.id);
		if (!r) throw error(404, req, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.');
		const body: Record<string, unknown> = view(type, r, splitList(req.query.properties));
		const wantedAssociations = splitList(req.query.associations);
		if (wantedAssociations.length) body.associations = associationsOf(type, r.id, wantedAssociations);
		return json(200, body);
	};

	const associationsOf = (type: ObjectType, id: string, to: string[]) => {
		const out: Record<string, { results: Array<{ id: string; type: string }> }> = {};
		for (const target of to) {
			const results = [...associations].filter((a) => a.startsWith(`${type}:${id}>${target}:`)).map((a) => ({ id: a.split(':')[2], type: `${SINGULAR[type]}_to_${SINGULAR[target as ObjectType] ?? target}` }));
			if (results.length) out[target] = { results };
		}
		return out;
	};

	const search = (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		const type = objectType(req);
		const body = (req.body ?? {}) as { filterGroups?: unknown; sorts?: unknown; properties?: unknown; limit?: unknown; after?: unknown; query?: unknown };
		const limit = body.limit === undefined ? 10 : Number(body.limit);
		if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_PAGE_MAX) throw error(400, req, 'VALIDATION_ERROR', `limit must be between 1 and ${SEARCH_PAGE_MAX}`);
		const after = body.after === undefined || body.after === null ? 0 : Number(body.after);
		if (!Number.isInteger(after) || after < 0) throw error(400, req, 'VALIDATION_ERROR', `Invalid after: ${String(body.after)}`);
		if (after + limit > SEARCH_CAP) throw error(400, req, 'VALIDATION_ERROR', `The search API returns at most ${SEARCH_CAP} results per query.`);
		const groups = Array.isArray(body.filterGroups) ? (body.filterGroups as Array<{ filters?: Filter[] }>) : [];
		const count = groups.reduce((n, g) => n + (g.filters?.length ?? 0), 0);
		if (groups.length > 5 || groups.some((g) => (g.filters?.length ?? 0) > 10) || count > 25) {
			throw error(400, req, 'VALIDATION_ERROR', 'Too many filters: at most 5 filterGroups, 10 filters per group and 25 filters in total.');
		}
		let found = [...records[type].values()].filter((r) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(r, f, req))));
		if (typeof body.query === 'string' && body.query) {
			const q = body.query.toLowerCase();
			found = found.filter((r) => Object.values(r.properties).some((v) => v.toLowerCase().includes(q)));
		}
		const sort = Array.isArray(body.sorts) ? (body.sorts[0] as { propertyName?: string; direction?: string } | undefined) : undefined;
		found.sort((a, b) => Number(a.id) - Number(b.id));
		if (sort?.propertyName) {
			const key = (r: CrmRecord) => propertyOf(r, sort.propertyName as string) ?? '';
			found.sort((a, b) => compare(key(a), key(b)) * (sort.direction === 'DESCENDING' ? -1 : 1));
		}
		const page = found.slice(after, after + limit);
		const out: Record<string, unknown> = { total: found.length, results: page.map((r) => view(type, r, Array.isArray(body.properties) ? (body.properties as string[]) : undefined)) };
		if (after + limit < found.length) out.paging = { next: { after: String(after + limit) } };
		return json(200, out);
	};

	const upsert = (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		const type = objectType(req);
		const started = iso(req.now);
		const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
		if (!Array.isArray(inputs)) throw error(400, req, 'VALIDATION_ERROR', 'Invalid input JSON: "inputs" must be an array');
		if (inputs.length > 100) throw error(400, req, 'VALIDATION_ERROR', `Batch input limit of 100 exceeded: ${inputs.length} inputs given.`);
		const seen = new Set<string>();
		for (const input of inputs as Array<{ id?: unknown; idProperty?: unknown }>) {
			const key = `${String(input?.idProperty)}:${String(input?.id).toLowerCase()}`;
			if (seen.has(key)) throw error(400, req, 'VALIDATION_ERROR', `Duplicate IDs found in batch input: [${String(input?.id)}]. IDs must be unique`);
			seen.add(key);
		}
		upsertCalls++;
		const results: unknown[] = [];
		const errors: unknown[] = [];
		for (const raw of inputs as Array<Record<string, unknown>>) {
			const id = typeof raw?.id === 'string' ? raw.id : undefined;
			const idProperty = typeof raw?.idProperty === 'string' ? raw.idProperty : undefined;
			const trace = typeof raw?.objectWriteTraceId === 'string' ? { objectWriteTraceId: raw.objectWriteTraceId } : {};
			const fail = (category: string, message: string) => errors.push({ status: 'error', category, message, context: { ids: [id ?? ''] }, ...trace });
			if (!id || !idProperty) { fail('VALIDATION_ERROR', 'Each input needs "id" and "idProperty".'); continue; }
			if (!UNIQUE[type].includes(idProperty) || idProperty === 'hs_object_id') { fail('VALIDATION_ERROR', `Property ${idProperty} is not a unique identifier property for ${type}`); continue; }
			const properties = raw.properties ?? {};
			if (typeof properties !== 'object' || Array.isArray(properties) || Object.values(properties as object).some((v) => typeof v !== 'string')) {
				fail('VALIDATION_ERROR', 'Property values must be strings.');
				continue;
			}
			if (idProperty === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(id)) { fail('VALIDATION_ERROR', `Email address ${id} is invalid`); continue; }
			const props = { ...(properties as Record<string, string>), [idProperty]: idProperty === 'email' ? id.toLowerCase() : id };
			const existing = find(type, idProperty, id);
			let r: CrmRecord;
			const isNew = !existing;
			if (existing) {
				const changed = Object.entries(props).filter(([k, v]) => existing.properties[k] !== v);
				Object.assign(existing.properties, props);
				index(type, existing);
				if (changed.length) existing.updatedAt = req.now;
				r = existing;
				for (const [propertyName, propertyValue] of changed) emit(req, type, 'propertyChange', r, { propertyName, propertyValue });
			} else {
				r = create(type, props, req.now);
				emit(req, type, 'creation', r, {});
			}
			results.push({ ...view(type, r, Object.keys(props)), new: isNew });
		}
		const body: Record<string, unknown> = { status: 'COMPLETE', results, requestedAt: started, startedAt: started, completedAt: iso(req.now) };
		if (errors.length) {
			body.numErrors = errors.length;
			body.errors = errors;
			return json(207, body);
		}
		return json(200, body);
	};

	const emit = (req: SandboxRequest, type: ObjectType, change: 'creation' | 'propertyChange', r: CrmRecord, extra: Record<string, string>) => {
		req.webhooks.emit(`${SINGULAR[type]}.${change}`, [
			{
				eventId: ++eventSeq,
				subscriptionId: 1,
				portalId: HUBSPOT_SANDBOX_PORTAL,
				appId: 1,
				occurredAt: req.now,
				subscriptionType: `${SINGULAR[type]}.${change}`,
				attemptNumber: 0,
				objectId: Number(r.id),
				changeSource: 'INTEGRATION',
				...extra,
			},
		]);
	};

	const associate = (req: SandboxRequest): SandboxResponse => {
		authorize(req);
		const from = objectType(req, 'from');
		const to = objectType(req, 'to');
		const typeId = ASSOCIATION_TYPE[`${from}>${to}`];
		if (typeId === undefined) throw error(400, req, 'VALIDATION_ERROR', `No default association from ${from} to ${to}`);
		for (const [t, id] of [[from, req.params.fromId], [to, req.params.toId]] as Array<[ObjectType, string]>) {
			if (!records[t].has(id)) throw error(404, req, 'OBJECT_NOT_FOUND', `No ${SINGULAR[t]} with ID ${id} exists`);
		}
		associations.add(`${from}:${req.params.fromId}>${to}:${req.params.toId}`);
		associations.add(`${to}:${req.params.toId}>${from}:${req.params.fromId}`);
		return json(200, {
			status: 'COMPLETE',
			results: [{ from: { id: req.params.fromId }, to: { id: req.params.toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } }],
			startedAt: iso(req.now),
			completedAt: iso(req.now),
		});
	};

	const routes: RouteDefinition[] = [
		{ method: 'GET', path: '/crm/v3/objects/:type', operation: 'list', handler: list },
		{ method: 'POST', path: '/crm/v3/objects/:type/search', operation: 'search', handler: search },
		{ method: 'POST', path: '/crm/v3/objects/:type/batch/upsert', operation: 'batchUpsert', handler: upsert },
		{ method: 'GET', path: '/crm/v3/objects/:type/:id', operation: 'get', handler: getOne },
		{ method: 'PUT', path: '/crm/v4/objects/:from/:fromId/associations/default/:to/:toId', operation: 'associateDefault', handler: associate },
	];

	return {
		name: 'hubspot',
		description: 'HubSpot CRM v3 (contacts, companies, deals, associations)',
		routes,
		rateLimits: [hubspotRateLimit({ key: (r) => r.headers.authorization ?? 'anonymous' })],
		webhooks: { signer: hubspotV3Signer(), secret: HUBSPOT_SANDBOX_CLIENT_SECRET, ...HUBSPOT_DELIVERY },
		reset,
		seed,
		snapshot: () => ({
			contacts: [...records.contacts.values()],
			companies: [...records.companies.values()],
			deals: [...records.deals.values()],
			associations: [...associations].sort(),
			upsertCalls,
		}),
		errorResponse: (status, req) => json(status, { status: 'error', message: 'internal error', correlationId: req.requestId, category: 'INTERNAL_ERROR' }),
		notFound: (req) => json(404, { status: 'error', message: `Unable to route ${req.method} ${req.path}`, correlationId: req.requestId, category: 'OBJECT_NOT_FOUND' }),
	};
}

interface Filter {
	propertyName?: string;
	operator?: string;
	value?: unknown;
	values?: unknown[];
	highValue?: unknown;
}

function propertyOf(r: CrmRecord, name: string): string | undefined {
	if (name === 'hs_object_id') return r.id;
	if (name === 'createdate') return String(r.createdAt);
	if (name === 'lastmodifieddate') return String(r.updatedAt);
	return r.properties[name];
}

function compare(a: string, b: string): number {
	const na = Number(a);
	const nb = Number(b);
	if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
	return a.localeCompare(b);
}

function matches(r: CrmRecord, f: Filter, req: SandboxRequest): boolean {
	const have = f.propertyName ? propertyOf(r, f.propertyName) : undefined;
	const value = f.value === undefined ? '' : String(f.value);
	const ci = (s: string | undefined) => (s ?? '').toLowerCase();
	switch (f.operator) {
		case 'EQ': return ci(have) === ci(value);
		case 'NEQ': return ci(have) !== ci(value);
		case 'LT': return have !== undefined && compare(have, value) < 0;
		case 'LTE': return have !== undefined && compare(have, value) <= 0;
		case 'GT': return have !== undefined && compare(have, value) > 0;
		case 'GTE': return have !== undefined && compare(have, value) >= 0;
		case 'BETWEEN': return have !== undefined && compare(have, value) >= 0 && compare(have, String(f.highValue)) <= 0;
		case 'IN': return (f.values ?? []).map((v) => ci(String(v))).includes(ci(have));
		case 'NOT_IN': return !(f.values ?? []).map((v) => ci(String(v))).includes(ci(have));
		case 'HAS_PROPERTY': return have !== undefined && have !== '';
		case 'NOT_HAS_PROPERTY': return have === undefined || have === '';
		case 'CONTAINS_TOKEN': return ci(have).split(/[^a-z0-9*]+/).some((t) => t === ci(value).replace(/\*/g, '')) || ci(have).includes(ci(value).replace(/\*/g, ''));
		case 'NOT_CONTAINS_TOKEN': return !ci(have).includes(ci(value).replace(/\*/g, ''));
		default: throw error(400, req, 'VALIDATION_ERROR', `Unknown filter operator: ${String(f.operator)}`);
	}
}

function splitList(value: string | string[] | undefined): string[] {
	const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
	return list.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

function defaultProperties(type: ObjectType): string[] {
	if (type === 'contacts') return ['email', 'firstname', 'lastname'];
	if (type === 'companies') return ['name', 'domain'];
	return ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate'];
}

export const hubspotSystem: SystemRegistration = {
	name: 'hubspot',
	description: 'HubSpot CRM v3 (contacts, companies, deals, associations)',
	create: createHubSpot,
};

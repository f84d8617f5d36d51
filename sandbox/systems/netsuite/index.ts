/**
 * NetSuite stand-in: SuiteTalk REST records (inventory items, sales orders, inventory
 * adjustments, item fulfilment by transform) and SuiteQL over REST, behind Token-Based
 * Authentication checked on every request, with the account-wide concurrency cap.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1546938065.html
 */
import { empty, json, SandboxHttpError, type SandboxResponse } from '../../http';
import { netsuiteConcurrency } from '../../ratelimit/presets';
import type {
	RouteDefinition,
	SandboxRequest,
	SandboxSystem,
	SeedInput,
	SystemRegistration,
} from '../../types';
import { invalidLoginBody, TbaVerifier, type LoginFailure, type TbaAccount } from './auth';
import {
	formatTimestamp,
	parseQuery,
	runQuery,
	SuiteqlError,
	type Cell,
	type Table,
} from './suiteql';

/** The TBA secrets the sandbox accepts unless seed options say otherwise. */
export const NETSUITE_SANDBOX_ACCOUNT: Readonly<TbaAccount> = Object.freeze({
	accountId: '1234567_SB1',
	consumerKey: 'sandbox-consumer-key',
	consumerSecret: 'sandbox-consumer-secret',
	tokenId: 'sandbox-token-id',
	tokenSecret: 'sandbox-token-secret',
});

/** Offset paging reaches this many rows; past it, keyset paging is needed. */
export const SUITEQL_ROW_CEILING = 100_000;

const RECORD = '/services/rest/record/v1';
const SUITEQL = '/services/rest/query/v1/suiteql';

type Row = Record<string, Cell>;

interface Item {
	row: Row;
	id: number;
	salesDescription?: string;
}

interface Line {
	item: number;
	quantity: number;
	rate?: number;
	location?: number;
	adjustQtyBy?: number;
	/** Committed at order time (sales orders). */
	committed?: number;
	/** Backordered at order time (sales orders). */
	backOrdered?: number;
	shipped?: number;
}

interface Txn {
	row: Row;
	id: number;
	type: 'SalesOrd' | 'ItemShip' | 'InvAdjst';
	lines: Line[];
	subsidiary?: number;
	account?: number;
	location?: number;
	otherRefNum?: string;
	createdAt: number;
	/** Item fulfilments: the `package` sublist (tracking numbers). */
	packages?: Array<{ packageTrackingNumber?: string; packageDescr?: string }>;
}

/** A customer record (entity). Seeded ones have no external id. */
interface Customer {
	id: number;
	entityId: string;
	externalId?: string;
	isPerson: boolean;
	firstName?: string;
	lastName?: string;
	companyName?: string;
	email?: string;
	phone?: string;
	subsidiary?: number;
	lastModified: number;
}

const SHIP_STATUS: Record<string, string> = { A: 'Picked', B: 'Packed', C: 'Shipped' };

const SO_STATUS: Record<string, string> = {
	A: 'Pending Approval',
	B: 'Pending Fulfillment',
	D: 'Partially Fulfilled',
	F: 'Pending Billing',
	H: 'Closed',
};

function nsError(
	status: number,
	detail: string,
	code: string,
	where: { path?: string; query?: string; header?: string } = {},
): SandboxResponse {
	const titles: Record<number, string> = {
		400: 'Bad Request',
		404: 'Not Found',
		405: 'Method Not Allowed',
		500: 'Internal Server Error',
		503: 'Service Unavailable',
	};
	const entry: Record<string, string> = { detail, 'o:errorCode': code };
	if (where.path) entry['o:errorPath'] = where.path;
	if (where.query) entry['o:errorQueryParam'] = where.query;
	if (where.header) entry['o:errorHeader'] = where.header;
	return json(status, {
		type: `https://www.rfc-editor.org/rfc/rfc9110.html#section-15.${status >= 500 ? 6 : 5}.${status >= 500 ? status - 499 : status - 399}`,
		title: titles[status] ?? 'Error',
		status,
		'o:errorDetails': [entry],
	});
}

function fail(
	status: number,
	detail: string,
	code: string,
	where?: { path?: string; query?: string; header?: string },
): never {
	throw new SandboxHttpError(nsError(status, detail, code, where));
}

function day(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

function createNetSuite(ctx: Parameters<SystemRegistration['create']>[0]): SandboxSystem & {
	verifier: TbaVerifier;
	loginAudit: Array<{ time: number; reason: LoginFailure; path: string }>;
} {
	const verifier = new TbaVerifier({ ...NETSUITE_SANDBOX_ACCOUNT });
	const concurrency = netsuiteConcurrency({ max: 15 });
	const loginAudit: Array<{ time: number; reason: LoginFailure; path: string }> = [];
	let items = new Map<number, Item>();
	let itemsByExternal = new Map<string, number>();
	let locations = new Map<number, Row>();
	let stock = new Map<string, Row>();
	// The same rows by location, for queries that read one location at a time.
	let byLocation = new Map<number, Map<number, Row>>();
	let txns = new Map<number, Txn>();
	let txnsByExternal = new Map<string, number>();
	let customers = new Map<number, Customer>();
	let customersByExternal = new Map<string, number>();
	let subsidiaries = new Set<number>();
	let accounts = new Set<number>();
	let nextId = 1;
	let version = 0;
	const cache = new Map<string, Array<Record<string, string>>>();

	const changed = () => {
		version++;
		cache.clear();
	};

	const tables: Record<string, Table> = {
		item: {
			columns: new Set([
				'id',
				'itemid',
				'displayname',
				'externalid',
				'itemtype',
				'isinactive',
				'upccode',
				'lastmodifieddate',
				'lastquantityavailablechange',
			]),
			rows: () => [...items.values()].map((i) => i.row),
		},
		location: { columns: new Set(['id', 'name', 'isinactive']), rows: () => locations.values() },
		inventoryitemlocations: {
			columns: new Set([
				'item',
				'location',
				'quantityonhand',
				'quantityavailable',
				'quantitycommitted',
				'quantityonorder',
				'quantitybackordered',
			]),
			rows: () => stock.values(),
			index: { column: 'location', rows: (value) => byLocation.get(Number(value))?.values() ?? [] },
		},
		transaction: {
			columns: new Set([
				'id',
				'tranid',
				'type',
				'status',
				'trandate',
				'externalid',
				'entity',
				'memo',
				'lastmodifieddate',
				'createdfrom',
			]),
			rows: () => [...txns.values()].map((t) => t.row),
		},
	};

	function stockRow(item: number, location: number): Row {
		const key = `${item}:${location}`;
		let row = stock.get(key);
		if (!row) {
			row = {
				item,
				location,
				quantityonhand: 0,
				quantityavailable: 0,
				quantitycommitted: 0,
				quantityonorder: 0,
				quantitybackordered: 0,
			};
			stock.set(key, row);
			let atLocation = byLocation.get(location);
			if (!atLocation) byLocation.set(location, (atLocation = new Map()));
			atLocation.set(item, row);
		}
		return row;
	}

	function moveStock(
		itemId: number,
		location: number,
		delta: { onHand?: number; committed?: number; backOrdered?: number },
		now: number,
	): void {
		const row = stockRow(itemId, location);
		row.quantityonhand = (row.quantityonhand as number) + (delta.onHand ?? 0);
		row.quantitycommitted = (row.quantitycommitted as number) + (delta.committed ?? 0);
		row.quantitybackordered = Math.max(
			0,
			(row.quantitybackordered as number) + (delta.backOrdered ?? 0),
		);
		row.quantityavailable = (row.quantityonhand as number) - (row.quantitycommitted as number);
		const item = items.get(itemId);
		if (item) item.row.lastquantityavailablechange = { ts: now };
	}

	function seed({ catalog, options, rng }: SeedInput): void {
		const account = {
			...NETSUITE_SANDBOX_ACCOUNT,
			...(pick(options, [
				'accountId',
				'consumerKey',
				'consumerSecret',
				'tokenId',
				'tokenSecret',
			]) as Partial<TbaAccount>),
		};
		verifier.setAccount(account);
		// The account's cap (shared tier 15, Tier 1 with licences more), as seed option `concurrency`.
		if (options.concurrency !== undefined) concurrency.configure({ max: options.concurrency });
		if (options.timestampToleranceSec !== undefined)
			verifier.toleranceSec = options.timestampToleranceSec as number | null;
		const now = ctx.clock.now();
		for (const loc of catalog.locations)
			locations.set(Number(loc.id), { id: Number(loc.id), name: loc.name, isinactive: 'F' });
		let id = 1000;
		for (const entry of catalog.items) {
			id += rng.int(1, 3);
			const modified = now - rng.int(60, 30 * 86_400) * 1000;
			items.set(id, {
				id,
				row: {
					id,
					itemid: entry.sku,
					displayname: entry.name,
					externalid: null,
					itemtype: 'InvtPart',
					isinactive: 'F',
					upccode: entry.barcode,
					lastmodifieddate: { ts: modified },
					lastquantityavailablechange: { ts: modified },
				},
			});
			for (const level of entry.stock) {
				const row = stockRow(id, Number(level.locationId));
				row.quantityonhand = level.onHand;
				row.quantitycommitted = level.committed;
				row.quantityavailable = level.onHand - level.committed;
				row.quantityonorder = level.incoming;
			}
		}
		for (const c of [501, 502, 503, 504, 505])
			customers.set(c, {
				id: c,
				entityId: `CUST${c}`,
				isPerson: false,
				companyName: `Customer ${c}`,
				subsidiary: 1,
				lastModified: now,
			});
		subsidiaries.add(1);
		accounts.add(120);
		nextId = id + 1;
		changed();
	}

	function reset(): void {
		items = new Map();
		itemsByExternal = new Map();
		locations = new Map();
		stock = new Map();
		byLocation = new Map();
		txns = new Map();
		txnsByExternal = new Map();
		customers = new Map();
		customersByExternal = new Map();
		subsidiaries = new Set();
		accounts = new Set();
		loginAudit.length = 0;
		verifier.reset();
		changed();
	}

	/** Every route checks TBA first, and answers a bad signature as NetSuite does. */
	const authed =
		(handler: (req: SandboxRequest) => SandboxResponse): RouteDefinition['handler'] =>
		(req) => {
			const failure = verifier.verify({
				method: req.method,
				url: req.url,
				authorization: req.headers.authorization,
				now: req.now,
			});
			if (failure) {
				loginAudit.push({ time: req.now, reason: failure, path: req.path });
				if (loginAudit.length > 200) loginAudit.shift();
				return json(401, invalidLoginBody(), { 'WWW-Authenticate': 'OAuth realm="NetSuite"' });
			}
			return handler(req);
		};

	// ---------------------------------------------------------------- SuiteQL

	function suiteql(req: SandboxRequest): SandboxResponse {
		if (!/transient/i.test(req.headers.prefer ?? '')) {
			fail(
				400,
				"The request is missing the required 'Prefer: transient' header.",
				'INVALID_HEADER',
				{ header: 'Prefer' },
			);
		}
		const body = req.body as { q?: unknown } | undefined;
		if (!body || typeof body.q !== 'string')
			fail(
				400,
				'Invalid request body: the "q" property with the SuiteQL query is required.',
				'INVALID_CONTENT',
				{ path: 'q' },
			);
		const limit = intParam(req, 'limit', 1000);
		const offset = intParam(req, 'offset', 0);
		if (limit < 1 || limit > 1000)
			fail(
				400,
				`Invalid 'limit' parameter value: ${limit}. The value must be between 1 and 1000.`,
				'INVALID_PARAMETER',
				{ query: 'limit' },
			);
		if (offset < 0 || offset % limit !== 0)
			fail(
				400,
				`Invalid 'offset' parameter value: ${offset}. The offset must be a multiple of the limit.`,
				'INVALID_PARAMETER',
				{ query: 'offset' },
			);
		if (offset + limit > SUITEQL_ROW_CEILING) {
			fail(
				400,
				`Invalid 'offset' parameter value: ${offset}. A query can return at most ${SUITEQL_ROW_CEILING} results by paging; narrow the query.`,
				'INVALID_PARAMETER',
				{ query: 'offset' },
			);
		}
		let rows = cache.get(body.q);
		if (!rows) {
			try {
				rows = runQuery(parseQuery(body.q), tables);
			} catch (error) {
				if (error instanceof SuiteqlError) {
					fail(
						400,
						`Invalid search query. Detailed unprocessed description follows. Search error occurred: ${error.message}`,
						'INVALID_PARAMETER',
						{ path: 'q' },
					);
				}
				throw error;
			}
			if (cache.size > 16) cache.delete(cache.keys().next().value as string);
			cache.set(body.q, rows);
		}
		const page = rows.slice(offset, offset + limit);
		const total = rows.length;
		const link = (o: number) => `${req.baseUrl}${SUITEQL}?limit=${limit}&offset=${o}`;
		const links = [{ rel: 'self', href: link(offset) }];
		const hasMore = offset + limit < total;
		if (hasMore) links.push({ rel: 'next', href: link(offset + limit) });
		if (offset > 0) links.push({ rel: 'previous', href: link(Math.max(0, offset - limit)) });
		links.push(
			{ rel: 'first', href: link(0) },
			{ rel: 'last', href: link(Math.max(0, Math.floor((total - 1) / limit) * limit)) },
		);
		return json(200, {
			links,
			count: page.length,
			hasMore,
			items: page.map((r) => ({ links: [], ...r })),
			offset,
			totalResults: total,
		});
	}

	// ---------------------------------------------------------------- records

	function recordLinks(req: SandboxRequest, type: string, id: number) {
		return [{ rel: 'self', href: `${req.baseUrl}${RECORD}/${type}/${id}` }];
	}

	function itemRecord(req: SandboxRequest, item: Item) {
		const r = item.row;
		return prune({
			links: recordLinks(req, 'inventoryItem', item.id),
			id: String(item.id),
			externalId: r.externalid ?? undefined,
			itemId: r.itemid,
			displayName: r.displayname ?? undefined,
			upcCode: r.upccode ?? undefined,
			salesDescription: item.salesDescription,
			itemType: { id: 'InvtPart', refName: 'Inventory Item' },
			isInactive: r.isinactive === 'T',
			lastModifiedDate: new Date((r.lastmodifieddate as { ts: number }).ts)
				.toISOString()
				.replace(/\.\d{3}Z$/, 'Z'),
		});
	}

	function txnRecord(req: SandboxRequest, txn: Txn, expand: boolean) {
		const r = txn.row;
		const type =
			txn.type === 'SalesOrd'
				? 'salesOrder'
				: txn.type === 'ItemShip'
					? 'itemFulfillment'
					: 'inventoryAdjustment';
		const base: Record<string, unknown> = {
			links: recordLinks(req, type, txn.id),
			id: String(txn.id),
			externalId: r.externalid ?? undefined,
			tranId: r.tranid,
			tranDate: day((r.trandate as { ts: number }).ts),
			memo: r.memo ?? undefined,
			lastModifiedDate: new Date((r.lastmodifieddate as { ts: number }).ts)
				.toISOString()
				.replace(/\.\d{3}Z$/, 'Z'),
		};
		if (txn.type === 'SalesOrd') {
			base.entity = { id: String(r.entity), refName: customerName(r.entity as number) };
			base.status = { id: r.status, refName: SO_STATUS[r.status as string] ?? String(r.status) };
			base.subsidiary = txn.subsidiary === undefined ? undefined : { id: String(txn.subsidiary) };
			base.location = txn.location === undefined ? undefined : { id: String(txn.location) };
			base.otherRefNum = txn.otherRefNum;
			base.item = expand
				? {
						items: txn.lines.map((l) =>
							prune({
								item: { id: String(l.item), refName: items.get(l.item)?.row.itemid },
								quantity: l.quantity,
								rate: l.rate,
								quantityCommitted: l.committed,
								quantityBackOrdered: l.backOrdered,
								quantityFulfilled: l.shipped ?? 0,
							}),
						),
					}
				: { links: [{ rel: 'self', href: `${req.baseUrl}${RECORD}/salesOrder/${txn.id}/item` }] };
		} else if (txn.type === 'InvAdjst') {
			base.subsidiary = { id: String(txn.subsidiary) };
			base.account = { id: String(txn.account) };
			base.adjLocation = txn.location === undefined ? undefined : { id: String(txn.location) };
			base.inventory = expand
				? {
						items: txn.lines.map((l) => ({
							item: { id: String(l.item) },
							location: { id: String(l.location) },
							adjustQtyBy: l.adjustQtyBy,
						})),
					}
				: {
						links: [
							{
								rel: 'self',
								href: `${req.baseUrl}${RECORD}/inventoryAdjustment/${txn.id}/inventory`,
							},
						],
					};
		} else {
			base.createdFrom = { id: String(r.createdfrom) };
			base.shipStatus = { id: r.status, refName: SHIP_STATUS[r.status as string] ?? 'Shipped' };
			base.package = expand
				? { items: (txn.packages ?? []).map((p) => ({ ...p })) }
				: {
						links: [
							{ rel: 'self', href: `${req.baseUrl}${RECORD}/itemFulfillment/${txn.id}/package` },
						],
					};
		}
		return prune(base);
	}

	function customerName(id: number): string {
		const c = customers.get(id);
		if (!c) return `Customer ${id}`;
		return c.isPerson ? [c.firstName, c.lastName].filter(Boolean).join(' ') : (c.companyName ?? c.entityId);
	}

	function customerRecord(req: SandboxRequest, c: Customer) {
		return prune({
			links: recordLinks(req, 'customer', c.id),
			id: String(c.id),
			entityId: c.entityId,
			externalId: c.externalId,
			isPerson: c.isPerson,
			firstName: c.firstName,
			lastName: c.lastName,
			companyName: c.companyName,
			email: c.email,
			phone: c.phone,
			subsidiary: c.subsidiary === undefined ? undefined : { id: String(c.subsidiary) },
			lastModifiedDate: new Date(c.lastModified).toISOString().replace(/\.\d{3}Z$/, 'Z'),
		});
	}

	function findCustomer(key: string): Customer | undefined {
		if (key.startsWith('eid:')) {
			const id = customersByExternal.get(key.slice(4));
			return id === undefined ? undefined : customers.get(id);
		}
		return /^\d+$/.test(key) ? customers.get(Number(key)) : undefined;
	}

	function findTxn(type: Txn['type'], key: string): Txn | undefined {
		if (key.startsWith('eid:')) {
			const id = txnsByExternal.get(`${type}:${key.slice(4)}`);
			return id === undefined ? undefined : txns.get(id);
		}
		const txn = /^\d+$/.test(key) ? txns.get(Number(key)) : undefined;
		return txn?.type === type ? txn : undefined;
	}

	function findItem(key: string): Item | undefined {
		if (key.startsWith('eid:')) {
			const id = itemsByExternal.get(key.slice(4));
			return id === undefined ? undefined : items.get(id);
		}
		return /^\d+$/.test(key) ? items.get(Number(key)) : undefined;
	}

	function refId(value: unknown, path: string, exists: (id: number) => boolean): number {
		const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
		const n =
			typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : NaN;
		if (!Number.isInteger(n) || !exists(n)) {
			fail(
				400,
				`Invalid value for the resource or sub-resource field '${path.split('.').pop()}'. Provide a valid value.`,
				'INVALID_KEY_OR_REF',
				{ path },
			);
		}
		return n;
	}

	function bodyObject(req: SandboxRequest): Record<string, unknown> {
		if (req.bodyError) fail(400, `Invalid request body: ${req.bodyError}`, 'INVALID_CONTENT');
		if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
			fail(400, 'The request body must be a JSON object.', 'INVALID_CONTENT');
		return req.body as Record<string, unknown>;
	}

	function sublist(body: Record<string, unknown>, field: string): Array<Record<string, unknown>> {
		const list = (body[field] as { items?: unknown } | undefined)?.items;
		if (!Array.isArray(list) || list.length === 0)
			fail(
				400,
				`Please enter value(s) for: ${field === 'item' ? 'Items' : 'Adjustments'}`,
				'USER_ERROR',
				{ path: `${field}.items` },
			);
		return list as Array<Record<string, unknown>>;
	}

	function positiveNumber(value: unknown, path: string, allowNegative = false): number {
		const n =
			typeof value === 'number'
				? value
				: typeof value === 'string' && value.trim() !== ''
					? Number(value)
					: NaN;
		if (!Number.isFinite(n) || (!allowNegative && n <= 0) || !Number.isInteger(n) || n === 0) {
			fail(
				400,
				`Invalid value for field ${path}: ${JSON.stringify(value)}.`,
				'INVALID_FIELD_VALUE',
				{ path },
			);
		}
		return n;
	}

	// Sales orders commit what is available at the order's location and backorder the rest.
	function commitLines(lines: Line[], location: number, now: number): void {
		for (const line of lines) {
			const row = stockRow(line.item, location);
			const free = Math.max(0, row.quantityavailable as number);
			line.committed = Math.min(free, line.quantity);
			line.backOrdered = line.quantity - line.committed;
			moveStock(
				line.item,
				location,
				{ committed: line.committed, backOrdered: line.backOrdered },
				now,
			);
		}
	}

	function releaseLines(lines: Line[], location: number, now: number): void {
		for (const line of lines)
			moveStock(
				line.item,
				location,
				{ committed: -(line.committed ?? 0), backOrdered: -(line.backOrdered ?? 0) },
				now,
			);
	}

	function writeSalesOrder(
		req: SandboxRequest,
		existing: Txn | undefined,
		externalId: string | undefined,
	): Txn {
		const body = bodyObject(req);
		const entity = refId(body.entity, 'entity', (n) => customers.has(n));
		const subsidiary =
			body.subsidiary === undefined
				? undefined
				: refId(body.subsidiary, 'subsidiary', (n) => subsidiaries.has(n));
		const location =
			body.location === undefined
				? undefined
				: refId(body.location, 'location', (n) => locations.has(n));
		const lines: Line[] = sublist(body, 'item').map((l, i) => ({
			item: refId(l.item, `item.items[${i}].item`, (n) => items.has(n)),
			quantity: positiveNumber(l.quantity, `item.items[${i}].quantity`),
			rate: l.rate === undefined ? undefined : Number(l.rate),
		}));
		const tranDate =
			typeof body.tranDate === 'string' ? Date.parse(`${body.tranDate}T00:00:00Z`) : req.now;
		if (Number.isNaN(tranDate))
			fail(
				400,
				`Invalid value for field tranDate: ${JSON.stringify(body.tranDate)}.`,
				'INVALID_FIELD_VALUE',
				{ path: 'tranDate' },
			);
		const where = location ?? [...locations.keys()][0];
		if (existing) {
			if (existing.lines.some((l) => (l.shipped ?? 0) > 0))
				fail(
					400,
					'You cannot change the items of an order that has been fulfilled.',
					'USER_ERROR',
					{ path: 'item' },
				);
			releaseLines(existing.lines, existing.location ?? where, req.now);
		}
		const id = existing?.id ?? nextId++;
		commitLines(lines, where, req.now);
		const txn: Txn = {
			id,
			type: 'SalesOrd',
			lines,
			subsidiary,
			location,
			otherRefNum: typeof body.otherRefNum === 'string' ? body.otherRefNum : existing?.otherRefNum,
			createdAt: existing?.createdAt ?? req.now,
			row: {
				id,
				tranid: existing?.row.tranid ?? `SO${id}`,
				type: 'SalesOrd',
				status: existing?.row.status ?? 'B',
				trandate: { ts: tranDate },
				externalid: externalId ?? existing?.row.externalid ?? null,
				entity,
				memo: typeof body.memo === 'string' ? body.memo : (existing?.row.memo ?? null),
				lastmodifieddate: { ts: req.now },
				createdfrom: null,
			},
		};
		txns.set(id, txn);
		if (txn.row.externalid) txnsByExternal.set(`SalesOrd:${txn.row.externalid}`, id);
		changed();
		return txn;
	}

	function writeAdjustment(
		req: SandboxRequest,
		existing: Txn | undefined,
		externalId: string | undefined,
	): Txn {
		const body = bodyObject(req);
		const subsidiary = refId(body.subsidiary, 'subsidiary', (n) => subsidiaries.has(n));
		const account = refId(body.account, 'account', (n) => accounts.has(n));
		const adjLocation =
			body.adjLocation === undefined
				? undefined
				: refId(body.adjLocation, 'adjLocation', (n) => locations.has(n));
		const lines: Line[] = sublist(body, 'inventory').map((l, i) => ({
			item: refId(l.item, `inventory.items[${i}].item`, (n) => items.has(n)),
			location: refId(l.location ?? body.adjLocation, `inventory.items[${i}].location`, (n) =>
				locations.has(n),
			),
			quantity: 0,
			adjustQtyBy: positiveNumber(l.adjustQtyBy, `inventory.items[${i}].adjustQtyBy`, true),
		}));
		// Check before changing anything: an upsert replaces the old adjustment's effect.
		const net = new Map<string, number>();
		for (const l of existing?.lines ?? [])
			net.set(
				`${l.item}:${l.location}`,
				(net.get(`${l.item}:${l.location}`) ?? 0) - (l.adjustQtyBy ?? 0),
			);
		for (const l of lines)
			net.set(
				`${l.item}:${l.location}`,
				(net.get(`${l.item}:${l.location}`) ?? 0) + (l.adjustQtyBy ?? 0),
			);
		lines.forEach((l, i) => {
			const row = stockRow(l.item, l.location as number);
			if ((row.quantityonhand as number) + (net.get(`${l.item}:${l.location}`) ?? 0) < 0) {
				fail(
					400,
					`You cannot adjust the quantity of item ${items.get(l.item)?.row.itemid} below zero at this location.`,
					'USER_ERROR',
					{ path: `inventory.items[${i}].adjustQtyBy` },
				);
			}
		});
		for (const l of existing?.lines ?? [])
			moveStock(l.item, l.location as number, { onHand: -(l.adjustQtyBy ?? 0) }, req.now);
		for (const l of lines)
			moveStock(l.item, l.location as number, { onHand: l.adjustQtyBy ?? 0 }, req.now);
		const id = existing?.id ?? nextId++;
		const txn: Txn = {
			id,
			type: 'InvAdjst',
			lines,
			subsidiary,
			account,
			location: adjLocation,
			createdAt: existing?.createdAt ?? req.now,
			row: {
				id,
				tranid: existing?.row.tranid ?? `ADJ${id}`,
				type: 'InvAdjst',
				status: null,
				trandate: {
					ts:
						typeof body.tranDate === 'string'
							? Date.parse(`${body.tranDate}T00:00:00Z`) || req.now
							: req.now,
				},
				externalid: externalId ?? existing?.row.externalid ?? null,
				entity: null,
				memo: typeof body.memo === 'string' ? body.memo : null,
				lastmodifieddate: { ts: req.now },
				createdfrom: null,
			},
		};
		txns.set(id, txn);
		if (txn.row.externalid) txnsByExternal.set(`InvAdjst:${txn.row.externalid}`, id);
		changed();
		return txn;
	}

	function writeItem(
		req: SandboxRequest,
		existing: Item | undefined,
		externalId: string | undefined,
	): Item {
		const body = bodyObject(req);
		const sku = body.itemId ?? existing?.row.itemid;
		if (typeof sku !== 'string' || sku.trim() === '')
			fail(400, 'Please enter value(s) for: Item Name/Number', 'USER_ERROR', { path: 'itemId' });
		for (const other of items.values()) {
			if (other !== existing && other.row.itemid === sku)
				fail(400, `The item name ${sku} is already in use.`, 'DUP_ITEM', { path: 'itemId' });
		}
		const id = existing?.id ?? nextId++;
		const item: Item = existing ?? {
			id,
			row: {
				id,
				itemtype: 'InvtPart',
				isinactive: 'F',
				externalid: null,
				displayname: null,
				upccode: null,
				lastquantityavailablechange: null,
			} as Row,
		};
		item.row.itemid = sku;
		if (typeof body.displayName === 'string') item.row.displayname = body.displayName;
		if (typeof body.upcCode === 'string') item.row.upccode = body.upcCode;
		if (typeof body.isInactive === 'boolean') item.row.isinactive = body.isInactive ? 'T' : 'F';
		if (typeof body.salesDescription === 'string') item.salesDescription = body.salesDescription;
		if (externalId !== undefined) item.row.externalid = externalId;
		item.row.lastmodifieddate = { ts: req.now };
		items.set(id, item);
		if (item.row.externalid) itemsByExternal.set(String(item.row.externalid), id);
		changed();
		return item;
	}

	// Upsert semantics: fields the body leaves out keep their values.
	function writeCustomer(
		req: SandboxRequest,
		existing: Customer | undefined,
		externalId: string | undefined,
	): Customer {
		const body = bodyObject(req);
		const textField = (name: string, fallback: string | undefined): string | undefined => {
			const v = body[name];
			if (v === undefined) return fallback;
			if (v === null || v === '') return undefined;
			if (typeof v !== 'string')
				fail(400, `Invalid value for field ${name}: ${JSON.stringify(v)}.`, 'INVALID_FIELD_VALUE', {
					path: name,
				});
			return v.trim() || undefined;
		};
		const companyName = textField('companyName', existing?.companyName);
		const firstName = textField('firstName', existing?.firstName);
		const lastName = textField('lastName', existing?.lastName);
		const email = textField('email', existing?.email);
		const phone = textField('phone', existing?.phone);
		const isPerson =
			typeof body.isPerson === 'boolean' ? body.isPerson : (existing?.isPerson ?? !companyName);
		if (isPerson && (!firstName || !lastName)) {
			const missing = [!firstName && 'First Name', !lastName && 'Last Name'].filter(Boolean);
			fail(400, `Please enter value(s) for: ${missing.join(', ')}`, 'USER_ERROR', {
				path: !firstName ? 'firstName' : 'lastName',
			});
		}
		if (!isPerson && !companyName)
			fail(400, 'Please enter value(s) for: Company Name', 'USER_ERROR', { path: 'companyName' });
		if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
			fail(400, `Invalid value for field email: ${JSON.stringify(email)}.`, 'INVALID_FIELD_VALUE', {
				path: 'email',
			});
		const subsidiary =
			body.subsidiary === undefined
				? existing?.subsidiary
				: refId(body.subsidiary, 'subsidiary', (n) => subsidiaries.has(n));
		const id = existing?.id ?? nextId++;
		const customer: Customer = {
			id,
			entityId: existing?.entityId ?? `CUST${id}`,
			externalId: externalId ?? existing?.externalId,
			isPerson,
			firstName,
			lastName,
			companyName,
			email,
			phone,
			subsidiary,
			lastModified: req.now,
		};
		customers.set(id, customer);
		if (customer.externalId) customersByExternal.set(customer.externalId, id);
		changed();
		return customer;
	}

	const location = (req: SandboxRequest, type: string, id: number) =>
		empty(204, { Location: `${req.baseUrl}${RECORD}/${type}/${id}` });

	function recordRoutes(): RouteDefinition[] {
		const type = (req: SandboxRequest) => req.params.type;
		const unknownType = (req: SandboxRequest): never =>
			fail(404, `Record type '${type(req)}' does not exist.`, 'NONEXISTENT_ID');
		const missing = (req: SandboxRequest): never =>
			fail(
				404,
				`The record instance does not exist. Provide a valid record instance ID.`,
				'NONEXISTENT_ID',
				{ path: `${type(req)}/${req.params.id}` },
			);
		const expand = (req: SandboxRequest) => req.query.expandSubResources === 'true';
		return [
			{
				method: 'GET',
				path: `${RECORD}/:type`,
				operation: 'listRecords',
				handler: authed((req) => {
					const limit = intParam(req, 'limit', 1000);
					const offset = intParam(req, 'offset', 0);
					if (limit < 1 || limit > 1000)
						fail(400, `Invalid 'limit' parameter value: ${limit}.`, 'INVALID_PARAMETER', {
							query: 'limit',
						});
					const ids =
						type(req) === 'inventoryItem'
							? [...items.keys()]
							: type(req) === 'salesOrder'
								? [...txns.values()].filter((t) => t.type === 'SalesOrd').map((t) => t.id)
								: type(req) === 'location'
									? [...locations.keys()]
									: type(req) === 'customer'
										? [...customers.keys()]
										: unknownType(req);
					ids.sort((a, b) => a - b);
					const page = ids.slice(offset, offset + limit);
					const hasMore = offset + limit < ids.length;
					const link = (o: number) =>
						`${req.baseUrl}${RECORD}/${type(req)}?limit=${limit}&offset=${o}`;
					return json(200, {
						links: [
							{ rel: 'self', href: link(offset) },
							...(hasMore ? [{ rel: 'next', href: link(offset + limit) }] : []),
						],
						count: page.length,
						hasMore,
						items: page.map((id) => ({ links: recordLinks(req, type(req), id), id: String(id) })),
						offset,
						totalResults: ids.length,
					});
				}),
			},
			{
				method: 'GET',
				path: `${RECORD}/:type/:id`,
				operation: 'getRecord',
				handler: authed((req) => {
					switch (type(req)) {
						case 'inventoryItem': {
							const item = findItem(req.params.id);
							return item ? json(200, itemRecord(req, item)) : missing(req);
						}
						case 'customer': {
							const customer = findCustomer(req.params.id);
							return customer ? json(200, customerRecord(req, customer)) : missing(req);
						}
						case 'salesOrder':
						case 'inventoryAdjustment':
						case 'itemFulfillment': {
							const t =
								type(req) === 'salesOrder'
									? 'SalesOrd'
									: type(req) === 'inventoryAdjustment'
										? 'InvAdjst'
										: 'ItemShip';
							const txn = findTxn(t, req.params.id);
							return txn ? json(200, txnRecord(req, txn, expand(req))) : missing(req);
						}
						default:
							return unknownType(req);
					}
				}),
			},
			{
				method: 'POST',
				path: `${RECORD}/:type`,
				operation: 'createRecord',
				handler: authed((req) => {
					const body = bodyObject(req);
					const externalId = typeof body.externalId === 'string' ? body.externalId : undefined;
					const dup = (t: string) =>
						fail(400, `A record with external ID ${externalId} already exists.`, 'DUP_RCRD', {
							path: `externalId`,
						}) && t;
					switch (type(req)) {
						case 'inventoryItem':
							if (externalId && itemsByExternal.has(externalId)) dup('');
							return location(req, 'inventoryItem', writeItem(req, undefined, externalId).id);
						case 'customer':
							if (externalId && customersByExternal.has(externalId)) dup('');
							return location(req, 'customer', writeCustomer(req, undefined, externalId).id);
						case 'salesOrder':
							if (externalId && txnsByExternal.has(`SalesOrd:${externalId}`)) dup('');
							return location(req, 'salesOrder', writeSalesOrder(req, undefined, externalId).id);
						case 'inventoryAdjustment':
							if (externalId && txnsByExternal.has(`InvAdjst:${externalId}`)) dup('');
							return location(
								req,
								'inventoryAdjustment',
								writeAdjustment(req, undefined, externalId).id,
							);
						default:
							return unknownType(req);
					}
				}),
			},
			{
				method: 'PUT',
				path: `${RECORD}/:type/:id`,
				operation: 'upsertRecord',
				handler: authed((req) => {
					const key = req.params.id;
					if (!key.startsWith('eid:') || key.length === 4) {
						fail(
							405,
							'The PUT method is only supported with an external ID (eid:<externalId>) for upsert.',
							'METHOD_NOT_ALLOWED',
						);
					}
					const externalId = key.slice(4);
					switch (type(req)) {
						case 'inventoryItem':
							return location(req, 'inventoryItem', writeItem(req, findItem(key), externalId).id);
						case 'customer':
							return location(
								req,
								'customer',
								writeCustomer(req, findCustomer(key), externalId).id,
							);
						case 'salesOrder':
							return location(
								req,
								'salesOrder',
								writeSalesOrder(req, findTxn('SalesOrd', key), externalId).id,
							);
						case 'inventoryAdjustment':
							return location(
								req,
								'inventoryAdjustment',
								writeAdjustment(req, findTxn('InvAdjst', key), externalId).id,
							);
						default:
							return unknownType(req);
					}
				}),
			},
			{
				method: 'POST',
				path: `${RECORD}/salesOrder/:id/!transform/itemFulfillment`,
				operation: 'transformItemFulfillment',
				handler: authed((req) => {
					const order = findTxn('SalesOrd', req.params.id);
					if (!order) return missing({ ...req, params: { ...req.params, type: 'salesOrder' } });
					// The body may set fields of the new fulfilment; an empty POST takes the defaults.
					const body =
						req.body === undefined || (req.rawBody?.length ?? 0) === 0 ? {} : bodyObject(req);
					const externalId = typeof body.externalId === 'string' ? body.externalId : undefined;
					if (externalId !== undefined && txnsByExternal.has(`ItemShip:${externalId}`))
						fail(400, `A record with external ID ${externalId} already exists.`, 'DUP_RCRD', {
							path: 'externalId',
						});
					const shipStatus =
						body.shipStatus === undefined
							? 'C'
							: String((body.shipStatus as { id?: unknown } | null)?.id ?? '');
					if (!SHIP_STATUS[shipStatus])
						fail(
							400,
							`Invalid value for field shipStatus: ${JSON.stringify(body.shipStatus)}.`,
							'INVALID_FIELD_VALUE',
							{ path: 'shipStatus' },
						);
					const packageItems = (body.package as { items?: unknown } | undefined)?.items;
					if (packageItems !== undefined && !Array.isArray(packageItems))
						fail(400, 'Invalid value for field package.items.', 'INVALID_FIELD_VALUE', {
							path: 'package.items',
						});
					const packages = ((packageItems ?? []) as Array<Record<string, unknown>>).map((p, i) => {
						if (!p || typeof p !== 'object')
							fail(400, `Invalid value for field package.items[${i}].`, 'INVALID_FIELD_VALUE', {
								path: `package.items[${i}]`,
							});
						return prune({
							packageTrackingNumber:
								typeof p.packageTrackingNumber === 'string' ? p.packageTrackingNumber : undefined,
							packageDescr: typeof p.packageDescr === 'string' ? p.packageDescr : undefined,
						});
					});
					const where = order.location ?? [...locations.keys()][0];
					const shipped: Line[] = [];
					for (const line of order.lines) {
						const ship = (line.committed ?? 0) - (line.shipped ?? 0);
						if (ship <= 0) continue;
						moveStock(line.item, where, { onHand: -ship, committed: -ship }, req.now);
						line.shipped = (line.shipped ?? 0) + ship;
						shipped.push({ item: line.item, quantity: ship, location: where });
					}
					if (shipped.length === 0)
						fail(400, 'There are no lines to fulfill on this order.', 'USER_ERROR');
					const done = order.lines.every((l) => (l.shipped ?? 0) >= l.quantity);
					order.row.status = done ? 'F' : 'D';
					order.row.lastmodifieddate = { ts: req.now };
					const id = nextId++;
					txns.set(id, {
						id,
						type: 'ItemShip',
						lines: shipped,
						createdAt: req.now,
						packages,
						row: {
							id,
							tranid: `IF${id}`,
							type: 'ItemShip',
							status: shipStatus,
							trandate: { ts: req.now },
							externalid: externalId ?? null,
							entity: order.row.entity,
							memo: typeof body.memo === 'string' ? body.memo : null,
							lastmodifieddate: { ts: req.now },
							createdfrom: order.id,
						},
					});
					if (externalId !== undefined) txnsByExternal.set(`ItemShip:${externalId}`, id);
					changed();
					return location(req, 'itemFulfillment', id);
				}),
			},
		];
	}

	return {
		name: 'netsuite',
		description:
			'NetSuite SuiteTalk REST records + SuiteQL, TBA OAuth 1.0a HMAC-SHA256, concurrency cap',
		verifier,
		loginAudit,
		rateLimits: [concurrency],
		reset,
		seed,
		snapshot: () => ({
			accountId: NETSUITE_SANDBOX_ACCOUNT.accountId,
			version,
			counts: {
				items: items.size,
				locations: locations.size,
				stock: stock.size,
				transactions: txns.size,
			},
			locations: [...locations.values()],
			transactions: [...txns.values()].map((t) => ({
				id: String(t.id),
				type: t.type,
				tranId: t.row.tranid,
				externalId: t.row.externalid,
				status: t.row.status,
				memo: t.row.memo,
				entity: t.row.entity === null ? null : String(t.row.entity),
				createdFrom: t.row.createdfrom === null ? null : String(t.row.createdfrom),
				lines: t.lines,
				...(t.packages ? { packages: t.packages } : {}),
			})),
			customers: [...customers.values()].map((c) => ({ ...c, id: String(c.id) })),
			itemsByExternalId: Object.fromEntries(itemsByExternal),
			loginAudit: loginAudit.slice(-50),
			lastChange: formatTimestamp(ctx.clock.now()),
		}),
		routes: [
			{ method: 'POST', path: SUITEQL, operation: 'suiteql', handler: authed(suiteql) },
			...recordRoutes(),
		],
		errorResponse: (status) =>
			nsError(
				status,
				status === 405
					? 'The HTTP method is not allowed for this resource.'
					: 'An unexpected error occurred. Error ID: sandbox',
				status === 405 ? 'METHOD_NOT_ALLOWED' : 'UNEXPECTED_ERROR',
			),
		notFound: (req) =>
			nsError(404, `The requested resource ${req.path} was not found.`, 'NONEXISTENT_ID'),
	};
}

function intParam(req: SandboxRequest, name: string, fallback: number): number {
	const raw = req.query[name];
	if (raw === undefined) return fallback;
	const text = Array.isArray(raw) ? raw[0] : raw;
	if (!/^-?\d+$/.test(text))
		fail(400, `Invalid '${name}' parameter value: ${text}.`, 'INVALID_PARAMETER', { query: name });
	return Number(text);
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const k of keys) if (typeof obj[k] === 'string') out[k] = obj[k];
	return out;
}

function prune<T extends Record<string, unknown>>(obj: T): T {
	for (const key of Object.keys(obj))
		if (obj[key] === undefined || obj[key] === null) delete obj[key];
	return obj;
}

/** The NetSuite system for the sandbox registry. */
export const netsuiteSystem: SystemRegistration = {
	name: 'netsuite',
	description: 'NetSuite SuiteTalk REST + SuiteQL (TBA, concurrency cap)',
	create: createNetSuite,
};

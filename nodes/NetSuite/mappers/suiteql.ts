/**
 * The SuiteQL text our operations send. Table and column names are NetSuite's (lower case in
 * results); values are always written as escaped literals, ids are checked to be digits.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156257770590.html
 */
import { InputError } from '../../shared/n8n/errors';

/** A SuiteQL string literal: single quotes doubled. */
export function sqlString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

/** An internal id, checked to be digits so it can go into the text as is. */
export function sqlId(value: string, field: string): string {
	const text = String(value).trim();
	if (!/^\d+$/.test(text)) {
		throw new InputError(
			`"${field}" must be a NetSuite internal ID (digits only), got "${text}"`,
			field,
			'Use the internal ID shown in the record URL (id=123), not the name.',
		);
	}
	return text;
}

/** `col IN (…)` for ids, or undefined for an empty list. */
export function inIds(column: string, ids: readonly string[], field: string): string | undefined {
	if (ids.length === 0) return undefined;
	return `${column} IN (${ids.map((id) => sqlId(id, field)).join(', ')})`;
}

/** `col IN ('a', 'b')` for strings, or undefined for an empty list. */
export function inStrings(column: string, values: readonly string[]): string | undefined {
	if (values.length === 0) return undefined;
	return `${column} IN (${values.map(sqlString).join(', ')})`;
}

function where(conditions: Array<string | undefined>): string {
	const parts = conditions.filter((c): c is string => !!c);
	return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

/** The timestamp format used on both sides of a comparison (server's own time zone). */
export const TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS';

/** Columns read for stock per item and location. */
export const STOCK_COLUMNS = [
	'item',
	'location',
	'quantityonhand',
	'quantityavailable',
	'quantitycommitted',
	'quantityonorder',
	'quantitybackordered',
] as const;

/**
 * Stock of one location, keyset-paged by item id: within one location each item appears once,
 * so `item` is a unique, ascending key and every location can be read in parallel.
 */
export function stockAtLocationQuery(
	locationId: string,
	itemIds: readonly string[],
): (afterItemId: string | undefined) => string {
	const location = sqlId(locationId, 'locationId');
	const items = inIds('item', itemIds, 'itemId');
	return (after) =>
		`SELECT item AS id, ${STOCK_COLUMNS.join(', ')} FROM inventoryitemlocations` +
		where([`location = ${location}`, items, after === undefined ? undefined : `item > ${after}`]) +
		' ORDER BY item';
}

/** Stock of the given items at every location (offset-paged: a few items, all their locations). */
export function stockForItemsQuery(itemIds: readonly string[]): string {
	return (
		`SELECT ${STOCK_COLUMNS.join(', ')} FROM inventoryitemlocations` +
		where([inIds('item', itemIds, 'itemId') ?? 'item IS NULL']) +
		' ORDER BY item, location'
	);
}

/** Items (id → SKU and name), keyset-paged by id. */
export function itemsQuery(filter: {
	skus?: readonly string[];
	ids?: readonly string[];
	includeInactive?: boolean;
}): (afterId: string | undefined) => string {
	return (after) =>
		'SELECT id, itemid, displayname, externalid, itemtype, isinactive, upccode, ' +
		`TO_CHAR(lastmodifieddate, '${TIMESTAMP_FORMAT}') AS lastmodified FROM item` +
		where([
			inStrings('itemid', filter.skus ?? []),
			inIds('id', filter.ids ?? [], 'itemId'),
			filter.includeInactive ? undefined : "isinactive = 'F'",
			after === undefined ? undefined : `id > ${after}`,
		]) +
		' ORDER BY id';
}

/** Active locations. */
export function locationsQuery(): (afterId: string | undefined) => string {
	return (after) =>
		'SELECT id, name, isinactive FROM location' +
		where(["isinactive = 'F'", after === undefined ? undefined : `id > ${after}`]) +
		' ORDER BY id';
}

/** Item fulfilments created from one sales order. */
export function fulfilmentsQuery(salesOrderId: string): string {
	return (
		`SELECT id, tranid, status, TO_CHAR(trandate, '${TIMESTAMP_FORMAT}') AS trandate FROM transaction` +
		where(["type = 'ItemShip'", `createdfrom = ${sqlId(salesOrderId, 'salesOrderId')}`]) +
		' ORDER BY id'
	);
}

/** What a change poll watches. */
export interface ChangeFeed {
	table: 'item' | 'transaction';
	/** The timestamp column that moves on every change of interest. */
	column: string;
	/** Extra conditions (record type). */
	conditions: string[];
	/** Columns besides id and the timestamp. */
	columns: string[];
}

/** The three feeds of the poll trigger. */
export const CHANGE_FEEDS: Readonly<Record<'items' | 'stock' | 'orders', ChangeFeed>> =
	Object.freeze({
		items: {
			table: 'item',
			column: 'lastmodifieddate',
			conditions: [],
			columns: ['itemid', 'displayname', 'externalid', 'itemtype', 'isinactive'],
		},
		// NetSuite stamps `lastquantityavailablechange` whenever stock moves at any location.
		stock: {
			table: 'item',
			column: 'lastquantityavailablechange',
			conditions: [],
			columns: ['itemid'],
		},
		orders: {
			table: 'transaction',
			column: 'lastmodifieddate',
			conditions: ["type = 'SalesOrd'"],
			columns: ['tranid', 'externalid', 'status', 'entity', 'memo'],
		},
	});

/**
 * Changes at or after `since` (a `TIMESTAMP_FORMAT` string from the server), oldest first, id
 * as tie-break. With no `since`, the newest change only — that is where a new poller starts.
 */
export function changesQuery(feed: ChangeFeed, since: string | undefined): string {
	checkTimestamp(since);
	const columns = [
		'id',
		...feed.columns,
		`TO_CHAR(${feed.column}, '${TIMESTAMP_FORMAT}') AS changedat`,
	];
	const conditions = [
		...feed.conditions,
		since === undefined
			? `${feed.column} IS NOT NULL`
			: `${feed.column} >= TO_TIMESTAMP(${sqlString(since)}, '${TIMESTAMP_FORMAT}')`,
	];
	const order = since === undefined ? `${feed.column} DESC, id DESC` : `${feed.column}, id`;
	return `SELECT ${columns.join(', ')} FROM ${feed.table}${where(conditions)} ORDER BY ${order}`;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function checkTimestamp(value: string | undefined): void {
	if (value !== undefined && !TIMESTAMP.test(value)) {
		throw new InputError(
			`The poll cursor "${value}" is not a YYYY-MM-DD HH:MM:SS timestamp`,
			'cursor',
			'Deactivate and re-activate the workflow to start the poller afresh.',
		);
	}
}

/**
 * Keyset paging for a user's own query: `SELECT … FROM … [WHERE …]` becomes
 * `SELECT … FROM … WHERE (…) AND key > after ORDER BY key`. The query must not have its own
 * ORDER BY, GROUP BY or a trailing semicolon; the key column must be selected.
 */
export function keysetWrap(query: string, key: string): (after: string | undefined) => string {
	const text = query.trim().replace(/;\s*$/, '');
	if (!/^select\s/i.test(text)) {
		throw new InputError(
			'The SuiteQL query must start with SELECT',
			'query',
			'Write a SELECT statement.',
		);
	}
	if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) {
		throw new InputError(
			`The key column "${key}" is not a column name`,
			'keyColumn',
			'Use a column such as id.',
		);
	}
	const masked = maskLiterals(text);
	if (/\b(order|group)\s+by\b/i.test(masked)) {
		throw new InputError(
			'With keyset paging the query must not have its own ORDER BY or GROUP BY',
			'query',
			'Remove ORDER BY: keyset paging orders by the key column itself. Use offset paging for grouped queries.',
		);
	}
	const whereAt = lastTopLevelWhere(masked);
	const head = whereAt < 0 ? text : text.slice(0, whereAt).trimEnd();
	const condition = whereAt < 0 ? undefined : text.slice(whereAt + 'where'.length).trim();
	return (after) => {
		const parts = [
			condition ? `(${condition})` : undefined,
			after === undefined ? undefined : `${key} > ${after}`,
		];
		return `${head}${where(parts)} ORDER BY ${key}`;
	};
}

/** The query with string literals blanked, so keywords inside values are not seen. */
function maskLiterals(text: string): string {
	return text.replace(/'(?:[^']|'')*'/g, (m) => `'${' '.repeat(m.length - 2)}'`);
}

/** Index of the last WHERE outside parentheses, or -1. */
function lastTopLevelWhere(masked: string): number {
	let depth = 0;
	let found = -1;
	for (let i = 0; i < masked.length; i++) {
		const c = masked[i];
		if (c === '(') depth++;
		else if (c === ')') depth--;
		else if (depth === 0 && /where/i.test(masked.slice(i, i + 5))) {
			const before = i === 0 ? ' ' : masked[i - 1];
			const after = masked[i + 5] ?? ' ';
			if (/\s/.test(before) && /\s/.test(after)) found = i;
		}
	}
	return found;
}

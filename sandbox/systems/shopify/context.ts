/**
 * What every resolver of one request sees, plus the small helpers they share: GIDs, Shopify's
 * date format, Relay connections with opaque keyset cursors.
 */
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Clock } from '../../../nodes/shared/core/resilience/clock';
import type { SystemWebhooks } from '../../types';
import type { ApiVersion } from './schema';
import type { ShopState } from './state';

/** Per-request execution context. */
export interface ExecContext {
	state: ShopState;
	version: ApiVersion;
	schema: GraphQLSchema;
	now: number;
	clock: Clock;
	/** This system's base URL (bulk result URLs). */
	baseUrl: string;
	webhooks: SystemWebhooks;
	/** Bulk export: connections need no `first` and are not capped at 250. */
	bulk: boolean;
	/** Shopify's `extensions.search` warnings for unknown search fields. */
	searchWarnings: Array<{ path: Array<string | number>; query: string; warnings: Array<{ field: string; message: string }> }>;
}

/** `gid://shopify/<type>/<id>` */
export function gid(type: string, id: number | string): string {
	return `gid://shopify/${type}/${id}`;
}

/** The numeric id of a GID of `type`, or undefined when it is not one. */
export function parseGid(value: unknown, type: string): number | undefined {
	if (typeof value !== 'string') return undefined;
	const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
	if (!m || m[1] !== type) return undefined;
	return Number(m[2]);
}

/** The type name of any GID. */
export function gidType(value: string): string | undefined {
	return /^gid:\/\/shopify\/([A-Za-z]+)\/\d+/.exec(value)?.[1];
}

/** InventoryLevel GIDs carry the item as a query parameter, as Shopify's do. */
export function levelGid(itemId: number, locationId: number): string {
	return `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${itemId}`;
}

/** Shopify's DateTime form: UTC, seconds precision, `Z`. */
export function iso(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Relay connection arguments. */
export interface ConnectionArgs {
	first?: number | null;
	after?: string | null;
	last?: number | null;
	before?: string | null;
	reverse?: boolean | null;
}

/** Largest page Shopify serves (https://shopify.dev/docs/api/usage/limits). */
export const MAX_PAGE_SIZE = 250;

type SortValue = number | string;

interface Cursor {
	last_id: number;
	last_value: SortValue;
}

/** Opaque cursor: base64 of `{"last_id":…,"last_value":…}` (the shape Shopify's cursors decode to). */
export function encodeCursor(id: number, value: SortValue): string {
	return Buffer.from(JSON.stringify({ last_id: id, last_value: value }), 'utf8').toString('base64');
}

function decodeCursor(cursor: string, arg: string): Cursor {
	try {
		const c = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as Cursor;
		if (typeof c.last_id === 'number' && (typeof c.last_value === 'number' || typeof c.last_value === 'string')) return c;
	} catch {
		// fall through
	}
	throw new GraphQLError(`Invalid cursor for current pagination sort: "${arg}" must be an endCursor/startCursor returned by this connection`, {
		extensions: { code: 'BAD_REQUEST' },
	});
}

function cmp(a: [SortValue, number], b: [SortValue, number]): number {
	if (a[0] < b[0]) return -1;
	if (a[0] > b[0]) return 1;
	return a[1] - b[1];
}

/**
 * A Relay connection over `records` ordered by (sortValue, id), `reverse` flipping it. Cursors
 * are keysets, so a record deleted or moved between pages never makes a page skip or repeat the
 * others (an updated record sorted by UPDATED_AT moves, as in Shopify).
 */
export function connection<T>(
	ctx: ExecContext,
	records: T[],
	args: ConnectionArgs,
	key: (r: T) => { id: number; value: SortValue },
	view: (r: T) => unknown,
): unknown {
	const { first, last } = args;
	if (!ctx.bulk) {
		if ((first === undefined || first === null) && (last === undefined || last === null)) {
			throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
		}
		for (const [name, n] of [['first', first], ['last', last]] as const) {
			if (n === undefined || n === null) continue;
			if (n < 0 || n > MAX_PAGE_SIZE) {
				throw new GraphQLError(`The "${name}" argument must be between 0 and ${MAX_PAGE_SIZE} (got ${n}); page with "after" for more`, {
					extensions: { code: 'BAD_REQUEST', argumentName: name },
				});
			}
		}
	}
	const dir = args.reverse ? -1 : 1;
	const tuple = (r: T): [SortValue, number] => {
		const k = key(r);
		return [k.value, k.id];
	};
	const sorted = [...records].sort((a, b) => dir * cmp(tuple(a), tuple(b)));
	let list = sorted;
	if (args.after) {
		const c = decodeCursor(args.after, 'after');
		list = list.filter((r) => dir * cmp(tuple(r), [c.last_value, c.last_id]) > 0);
	}
	if (args.before) {
		const c = decodeCursor(args.before, 'before');
		list = list.filter((r) => dir * cmp(tuple(r), [c.last_value, c.last_id]) < 0);
	}
	let page = list;
	if (first !== undefined && first !== null) page = page.slice(0, first);
	if (last !== undefined && last !== null) page = page.slice(Math.max(0, page.length - last));
	const entries = page.map((r) => {
		const k = key(r);
		return { cursor: encodeCursor(k.id, k.value), node: view(r) };
	});
	const firstIndex = page.length ? sorted.indexOf(page[0]) : -1;
	const lastIndex = page.length ? sorted.indexOf(page[page.length - 1]) : -1;
	return {
		__typename: 'Connection',
		nodes: entries.map((e) => e.node),
		edges: entries.map((e) => ({ cursor: e.cursor, node: e.node })),
		pageInfo: {
			hasNextPage: page.length > 0 ? lastIndex < sorted.length - 1 : false,
			hasPreviousPage: page.length > 0 ? firstIndex > 0 : false,
			startCursor: entries[0]?.cursor ?? null,
			endCursor: entries[entries.length - 1]?.cursor ?? null,
		},
	};
}

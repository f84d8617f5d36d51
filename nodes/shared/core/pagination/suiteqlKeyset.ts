/**
 * NetSuite SuiteQL over REST, read to the end: keyset segments (`WHERE id > :lastId ORDER BY
 * id`) with offset pages inside each (`limit`/`offset` query params, `hasMore` in the body).
 * Offset paging alone stops at 100,000 rows; each segment here stays below that reach and the
 * next one starts after the last id, so any table size reads in full, every row once, in order.
 */
import { paginationError } from './errors';
import { keyset } from './keyset';
import { offset } from './offset';
import type { PaginationStrategy } from './types';

/** One SuiteQL result row: lower-cased column names, values mostly strings. */
export type SuiteqlRow = Record<string, unknown>;

/** How to read one SuiteQL query with keyset paging. */
export interface SuiteqlKeysetOptions {
	/**
	 * Returns the SuiteQL text for the rows whose key is above `afterId` (undefined for the
	 * first segment). It must select the key column, filter `key > afterId` when given and
	 * `ORDER BY` the key ascending. `afterId` is always a string of digits (checked), so it can
	 * be put into the text as is.
	 */
	query: (afterId: string | undefined) => string;
	/** The key column as it appears in result rows (lower-case, default `id`). */
	keyColumn?: string;
	/** Rows per page (default and NetSuite maximum: 1,000). */
	pageSize?: number;
	/** Rows one query can reach by offset (default NetSuite's 100,000). */
	ceiling?: number;
}

/** NetSuite's documented reach of offset paging. */
export const SUITEQL_OFFSET_CEILING = 100_000;

/** NetSuite's maximum SuiteQL page size. */
export const SUITEQL_MAX_PAGE_SIZE = 1000;

const DIGITS = /^\d+$/;

/**
 * The ready-made SuiteQL strategy. The base request is the SuiteQL call without its body, e.g.
 * `{ method: 'POST', path: '/services/rest/query/v1/suiteql', headers: { Prefer: 'transient' } }`;
 * the strategy sets the body to `{ q }` and the `limit`/`offset` query params.
 */
export function suiteqlKeyset(options: SuiteqlKeysetOptions): PaginationStrategy<SuiteqlRow> {
	const keyColumn = options.keyColumn ?? 'id';
	const pageSize = options.pageSize ?? SUITEQL_MAX_PAGE_SIZE;
	const ceiling = options.ceiling ?? SUITEQL_OFFSET_CEILING;
	const strategy = (system: string) =>
		keyset<SuiteqlRow>({
			keyOf(row) {
				const key = row[keyColumn];
				const text = typeof key === 'number' && Number.isSafeInteger(key) ? String(key) : key;
				if (typeof text === 'string' && DIGITS.test(text)) return text;
				throw paginationError(
					system,
					'PAGINATION_BAD_KEY',
					`SuiteQL keyset paging needs a whole-number "${keyColumn}" column in every row, got ${key === undefined ? 'no such column' : JSON.stringify(key).slice(0, 40)}`,
					`Select the key column (SELECT ${keyColumn}, ...) and ORDER BY it; SuiteQL returns column names in lower case.`,
				);
			},
			build: (base, after) => ({
				...base,
				body: { q: options.query(after === undefined ? undefined : String(after)) },
			}),
			inner: offset<SuiteqlRow>({ items: 'items', hasMore: 'hasMore', pageSize, ceiling }),
		});
	return {
		name: 'suiteqlKeyset',
		start: (base, context) => strategy(context.system).start(base, context),
	};
}

/**
 * Offset paging (NetSuite record lists and SuiteQL `limit`/`offset` + `hasMore`/`totalResults`,
 * eBay `offset`/`limit` + `total`). Offset paging has a reach: NetSuite serves at most 100,000
 * rows this way, so with a `ceiling` the walk stops with a clear error (or, inside `keyset`,
 * hands over to the next keyset segment) instead of failing on the page past it.
 */
import { paginationConfigError, paginationError } from './errors';
import { readCount, readItems, readPath, withBodyFields, type ItemOptions } from './items';
import type { PageRequest, PageResponse, PageStep, PaginationStrategy } from './types';

/** How to page by offset. */
export interface OffsetOptions<T> extends ItemOptions<T> {
	/** Rows per page. */
	pageSize: number;
	/** Name of the offset param (default `offset`). */
	offsetParam?: string;
	/** Name of the page-size param (default `limit`). */
	limitParam?: string;
	/** Where the two params go (default `query`; NetSuite signs them as part of the URL). */
	in?: 'query' | 'body';
	/** First offset (default 0). */
	start?: number;
	/** Dot path of a boolean "more pages" flag (NetSuite `hasMore`); checked first. */
	hasMore?: string;
	/**
	 * Dot path of the total row count (NetSuite `totalResults`, eBay `total`); used when there is no
	 * flag.
	 */
	total?: string;
	/**
	 * How many rows offset paging can reach (NetSuite: 100,000). A page that would end past it is
	 * never requested; the walk ends with a PAGINATION_CEILING error telling the caller to use
	 * keyset paging, or, as the inner strategy of `keyset`, starts the next keyset segment.
	 */
	ceiling?: number;
}

const NAME = 'offset';

/**
 * Offset paging. Without `hasMore` or `total` a full page means "maybe more" and the walk stops
 * at the first short (or empty) page. Only the first page is shrunk to the caller's limit:
 * NetSuite wants the offset to be a multiple of the limit, so later pages keep `pageSize`.
 */
export function offset<T = unknown>(options: OffsetOptions<T>): PaginationStrategy<T> {
	const offsetParam = options.offsetParam ?? 'offset';
	const limitParam = options.limitParam ?? 'limit';
	const placement = options.in ?? 'query';
	const { pageSize, ceiling } = options;
	return {
		name: NAME,
		start(base, context) {
			const { system } = context;
			checkPositive(system, 'pageSize', pageSize);
			if (ceiling !== undefined) checkPositive(system, 'ceiling', ceiling);
			const start = options.start ?? 0;
			if (!Number.isInteger(start) || start < 0 || (ceiling !== undefined && start >= ceiling)) {
				throw paginationConfigError(
					system,
					`offset paging start must be a whole number from 0${ceiling === undefined ? '' : ` below the ceiling ${ceiling}`}, got ${String(start)}`,
				);
			}
			let current = {
				offset: start,
				size: Math.min(pageSize, context.limit ?? pageSize, (ceiling ?? Infinity) - start),
			};
			const withParams = (request: PageRequest, at: number, size: number): PageRequest => {
				const fields = { [offsetParam]: at, [limitParam]: size };
				return placement === 'query'
					? { ...request, query: { ...request.query, ...fields } }
					: { ...request, body: withBodyFields(request.body, fields, system, NAME) };
			};
			return {
				first: withParams(base, current.offset, current.size),
				items: (response) => readItems(response, options, system, NAME),
				next(response: PageResponse, items): PageStep {
					if (!hasMore(response, items.length, current, options, system)) return { kind: 'done' };
					const nextOffset = current.offset + items.length;
					if (ceiling !== undefined && nextOffset + pageSize > ceiling) {
						return {
							kind: 'ceiling',
							message: `offset paging reaches only the first ${ceiling} rows (the next page would start at ${nextOffset}) and the API reports more rows`,
							hint: 'Use keyset paging instead: ORDER BY a unique id and filter on id > the last id seen (suiteqlKeyset for SuiteQL), or narrow the query.',
						};
					}
					current = { offset: nextOffset, size: pageSize };
					return {
						kind: 'next',
						request: withParams(base, nextOffset, pageSize),
						token: `${offsetParam}=${nextOffset}`,
					};
				},
			};
		},
	};
}

function hasMore<T>(
	response: PageResponse,
	count: number,
	current: { offset: number; size: number },
	options: OffsetOptions<T>,
	system: string,
): boolean {
	if (options.hasMore !== undefined) {
		const flag = readPath(response.body, options.hasMore);
		if (typeof flag === 'boolean') return flag;
		if (options.total === undefined) {
			throw paginationError(
				system,
				'PAGINATION_BAD_RESPONSE',
				`offset paging expected a boolean at "${options.hasMore}" but it is ${flag === undefined ? 'missing' : typeof flag}`,
				'Check the hasMore path against the API response.',
			);
		}
	}
	if (options.total !== undefined) {
		const total = readCount(readPath(response.body, options.total));
		if (total === undefined) {
			throw paginationError(
				system,
				'PAGINATION_BAD_RESPONSE',
				`offset paging expected a whole-number total at "${options.total}"`,
				'Check the total path against the API response.',
			);
		}
		return current.offset + count < total;
	}
	return count >= current.size;
}

function checkPositive(system: string, field: string, value: number): void {
	if (!Number.isInteger(value) || value < 1) {
		throw paginationConfigError(
			system,
			`offset paging ${field} must be a whole number of 1 or more, got ${String(value)}`,
		);
	}
}

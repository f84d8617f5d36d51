/**
 * Keyset paging (`WHERE id > :last ORDER BY id`): each segment of the walk is a fresh query for
 * the rows after the last key seen. It never skips or repeats rows when rows are added behind
 * the walk, and it has no reach limit, which is how NetSuite SuiteQL gets past the 100,000 rows
 * offset paging can serve. It composes: an `inner` strategy (offset) pages inside a segment and
 * its ceiling step starts the next segment; without `inner` every page is its own segment.
 */
import { describeToken, paginationConfigError, paginationError } from './errors';
import { describeType, readItems, type ItemSelector } from './items';
import type {
	PageRequest,
	PageResponse,
	PageStep,
	PageWalker,
	PaginationStrategy,
	StartContext,
} from './types';

/** A row key: an id as the API returns it (NetSuite ids are strings of digits). */
export type KeyValue = string | number;

/** What `build` knows about the segment it builds. */
export interface KeysetSegment {
	/**
	 * Items still wanted, if limited; `build` may use it as the page size when there is no inner
	 * strategy.
	 */
	remaining?: number;
}

/** How to page by key. */
export interface KeysetOptions<T> {
	/** The key of an item; items must come in ascending key order. */
	keyOf: (item: T) => KeyValue;
	/**
	 * Builds the request for the rows after `after` (undefined for the first segment): filter on
	 * key > after and ORDER BY the key ascending. `after` is a value from `keyOf`.
	 */
	build: (base: PageRequest, after: KeyValue | undefined, segment: KeysetSegment) => PageRequest;
	/**
	 * Paging inside one segment; its `ceiling` step starts the next segment, its `done` ends the
	 * walk.
	 */
	inner?: PaginationStrategy<T>;
	/** Without `inner`: where a page's items are. */
	items?: ItemSelector;
	/** Without `inner`: turns one raw item into what the walk yields. */
	map?: (raw: unknown, index: number) => T;
	/**
	 * Without `inner`: whether rows may follow this page (default: a full page of `pageSize`, or any
	 * non-empty page).
	 */
	hasMore?: (response: PageResponse, items: readonly T[]) => boolean;
	/** Without `inner`: the page size `build` asks for, so a short page ends the walk. */
	pageSize?: number;
}

const NAME = 'keyset';

/**
 * Keyset paging. Numeric keys (numbers or digit strings) are checked to rise strictly within and
 * across pages, because a query without the right ORDER BY would otherwise skip rows silently.
 */
export function keyset<T = unknown>(options: KeysetOptions<T>): PaginationStrategy<T> {
	return {
		name: options.inner ? `${NAME}(${options.inner.name})` : NAME,
		start(base, context) {
			const { system } = context;
			if (options.inner === undefined && options.items === undefined) {
				throw paginationConfigError(
					system,
					'keyset paging needs either an inner strategy or an items selector',
				);
			}
			let after: KeyValue | undefined;
			let lastSeen: KeyValue | undefined;
			let inner: PageWalker<T> | undefined;
			const segment = (remaining: number | undefined): PageRequest => {
				const request = options.build(base, after, { remaining });
				if (!options.inner) return request;
				const innerContext: StartContext = { ...context, limit: remaining };
				inner = options.inner.start(request, innerContext);
				return inner.first;
			};
			const first = segment(context.limit);
			const label = () => (after === undefined ? 'start' : `after ${after}`);
			return {
				first,
				items(response) {
					return inner
						? inner.items(response)
						: readItems(
								response,
								{ items: options.items as ItemSelector, map: options.map },
								system,
								NAME,
							);
				},
				next(response, items, step): PageStep {
					const keys = items.map((item, index) =>
						keyOf(options.keyOf, item, index, step.pageIndex, system),
					);
					checkAscending(lastSeen, keys, step.pageIndex, system);
					lastSeen = keys[keys.length - 1];
					if (inner) {
						const innerStep = inner.next(response, items, step);
						if (innerStep.kind === 'done') return innerStep;
						if (innerStep.kind === 'next') {
							// Offsets restart in every segment, so the segment is part of the loop token.
							return { ...innerStep, token: `${label()}: ${innerStep.token}` };
						}
					} else {
						const more = options.hasMore
							? options.hasMore(response, items)
							: options.pageSize === undefined || items.length >= options.pageSize;
						if (!more) return { kind: 'done' };
					}
					after = lastSeen;
					return { kind: 'next', request: segment(step.remaining), token: label() };
				},
			};
		},
	};
}

function keyOf<T>(
	read: (item: T) => KeyValue,
	item: T,
	index: number,
	pageIndex: number,
	system: string,
): KeyValue {
	const key = read(item);
	if (
		(typeof key === 'string' && key !== '') ||
		(typeof key === 'number' && Number.isFinite(key))
	) {
		return key;
	}
	throw paginationError(
		system,
		'PAGINATION_BAD_KEY',
		`keyset paging: item ${index} of page ${pageIndex + 1} has no usable key (got ${typeof key === 'string' ? 'an empty string' : describeType(key)})`,
		'Select the key column (e.g. id) in the query; keyset paging orders and filters by it.',
	);
}

const NUMERIC = /^-?\d+$/;

/**
 * Compares two keys numerically when both are whole numbers; undefined when they are not comparable
 * that way.
 */
function compareNumeric(a: KeyValue, b: KeyValue): number | undefined {
	const sa = String(a);
	const sb = String(b);
	if (!NUMERIC.test(sa) || !NUMERIC.test(sb)) return undefined;
	const x = BigInt(sa);
	const y = BigInt(sb);
	return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Numeric keys must rise strictly. String keys are left alone apart from repeats (caught by the
 * loop check): the database's collation decides their order, and it is not JavaScript's.
 */
function checkAscending(
	after: KeyValue | undefined,
	keys: KeyValue[],
	pageIndex: number,
	system: string,
): void {
	let previous = after;
	for (const [index, key] of keys.entries()) {
		const order = previous === undefined ? undefined : compareNumeric(previous, key);
		if (previous !== undefined && order !== undefined && order >= 0) {
			throw paginationError(
				system,
				'PAGINATION_BAD_KEY',
				`keyset paging: key ${describeToken(String(key))} (item ${index} of page ${pageIndex + 1}) does not come after ${describeToken(String(previous))}; rows are not in ascending key order`,
				'ORDER BY the key column ascending and filter on key > the last key; otherwise rows would be skipped or repeated.',
			);
		}
		previous = key;
	}
}

import { paginationConfigError, paginationError } from './errors';
import type { PageResponse } from './types';

/**
 * Reads a dot path (`data.products.edges`, `_embedded.items`, `paging.next.after`) from a parsed
 * body. An empty path means the body itself (APIs that answer with a bare array). Returns
 * undefined as soon as a step is missing or not an object; array steps accept numeric indexes.
 */
export function readPath(value: unknown, path: string): unknown {
	if (path === '') return value;
	let current: unknown = value;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/**
 * Where a page's items are: a dot path into the body, or a function for shapes a path cannot
 * express. A function returns the raw items; the strategy's `map` then runs on each.
 */
export type ItemSelector = string | ((body: unknown, response: PageResponse) => unknown);

/** Options every strategy shares for reading items. */
export interface ItemOptions<T> {
	/** Where the items are (see ItemSelector). */
	items: ItemSelector;
	/** Turns one raw item into what the walk yields; identity when absent. */
	map?: (raw: unknown, index: number) => T;
}

/**
 * Reads and maps the items of a page. A missing or null array counts as an empty page (eBay and
 * ShipBob leave empty arrays out), but anything else that is not an array is a fault: it means
 * the path is wrong or the API changed shape, and silently yielding nothing would hide it.
 */
export function readItems<T>(
	response: PageResponse,
	options: ItemOptions<T>,
	system: string,
	strategy: string,
): T[] {
	const raw =
		typeof options.items === 'function'
			? options.items(response.body, response)
			: readPath(response.body, options.items);
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw)) {
		const where =
			typeof options.items === 'string' ? `at "${options.items}"` : 'from the item selector';
		throw paginationError(
			system,
			'PAGINATION_BAD_RESPONSE',
			`${strategy} paging expected an array of items ${where} but found ${describeType(raw)}`,
			'Check the items path against the API response, or the API version the profile pins.',
		);
	}
	const map = options.map;
	return map ? raw.map((item, index) => map(item, index)) : (raw as T[]);
}

/** Names a value's type for an error message without echoing the value. */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Returns a shallow copy of a JSON object body with some fields set, or throws when the body is
 * not a plain object (a strategy that writes its cursor into the body needs one).
 */
export function withBodyFields(
	body: unknown,
	fields: Record<string, unknown>,
	system: string,
	strategy: string,
): Record<string, unknown> {
	if (body === undefined) return { ...fields };
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw paginationConfigError(
			system,
			`${strategy} paging writes ${Object.keys(fields).join(', ')} into the request body, which must be a JSON object but is ${describeType(body)}`,
			'Pass the body as an object, not a string.',
		);
	}
	return { ...(body as Record<string, unknown>), ...fields };
}

/**
 * Reads a page-size or count as a whole number, accepting numeric strings (NetSuite sends them).
 */
export function readCount(value: unknown): number | undefined {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * For endpoints that answer everything in one response (Shopify `locations` under 250, NetSuite
 * record reads): the same paginator interface, so operations read lists one way whatever the API.
 */
import { readItems, type ItemOptions } from './items';
import type { PaginationStrategy } from './types';

/** A "strategy" that fetches one page and stops; `limit` still cuts its items. */
export function singlePage<T = unknown>(options: ItemOptions<T>): PaginationStrategy<T> {
	return {
		name: 'singlePage',
		start: (base, context) => ({
			first: base,
			items: (response) => readItems(response, options, context.system, 'singlePage'),
			next: () => ({ kind: 'done' }),
		}),
	};
}

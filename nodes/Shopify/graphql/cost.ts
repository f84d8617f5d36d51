/**
 * Requested-cost estimates for our documents, from Shopify's published rules: scalars 0, each
 * object 1, a connection 2 + first × (one node with its children), a mutation 10. The limiter
 * charges the estimate before sending and refunds to the actual cost after, so an estimate may
 * run high (we count pageInfo too) but never low.
 * API: https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits
 */
import { MAX_QUERY_COST } from '../transport';

/** Cost of any mutation. */
export const MUTATION_COST = 10;

const connection = (first: number, node: number) => 2 + 1 + first * node;

export const cost = {
	shopName: () => 1,
	locations: (first: number) => connection(first, 2),
	levelsBySku: (first: number, levels: number, names: number) => connection(first, 1 + 2 + levels * (2 + names)),
	levelsByItemIds: (ids: number, levels: number, names: number) => ids * (1 + 2 + levels * (2 + names)),
	levelsAtLocation: (first: number, names: number) => 1 + connection(first, 2 + names),
	products: (first: number, variants: number) => connection(first, 1 + 2 + variants * 2),
	productByHandle: (variants: number) => 1 + 2 + variants * 2,
	variantsBySku: (first: number) => connection(first, 3),
	orders: (first: number, lineItems: number) => connection(first, 7 + 4 * lineItems),
	order: (lineItems: number) => 7 + 4 * lineItems,
	orderFulfillmentOrders: () => 1 + 2 + 10 * (1 + 2 + 50),
	webhookSubscriptions: (first: number) => connection(first, 2),
	node: () => 1,
	mutation: () => MUTATION_COST,
};

/**
 * Requested cost of one batched read: half the bucket. A query asking for nearly all of it can
 * only go when the bucket is full, so any other query in between (another worker, a webhook
 * run) costs it a whole refill, and a bucket the server charged a moment later than we counted
 * answers THROTTLED; at half, two share the bucket. The requested cost is mostly refunded.
 */
export const READ_BATCH_COST = MAX_QUERY_COST / 2;

/**
 * The largest page size (≤ `max`, ≤ 250) whose estimated cost stays within `ceiling` (Shopify's
 * per-query ceiling unless told). Costs grow with the page size, so a binary search finds it.
 * @throws RangeError when even a page of one would not fit
 */
export function largestPage(estimate: (first: number) => number, max = 250, ceiling = MAX_QUERY_COST): number {
	if (estimate(1) > MAX_QUERY_COST) {
		throw new RangeError(`Even a page of one costs ${estimate(1)} points, above Shopify's ${MAX_QUERY_COST}`);
	}
	let lo = 1;
	let hi = Math.max(1, Math.min(max, 250));
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (estimate(mid) <= ceiling) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

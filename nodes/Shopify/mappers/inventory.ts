import type { IDataObject } from 'n8n-workflow';

import { toId, toQuantity, type QuantityName } from '../../shared/core/domain/stock';

/** Shopify's quantity names ↔ ours. `on_hand` etc. are Shopify's; camelCase are the domain's. */
export const SHOPIFY_TO_DOMAIN: Readonly<Record<string, QuantityName>> = Object.freeze({
	available: 'available',
	on_hand: 'onHand',
	committed: 'committed',
	reserved: 'reserved',
	incoming: 'incoming',
});

/** The names requested on every level read. */
export const QUANTITY_NAMES = Object.keys(SHOPIFY_TO_DOMAIN);

/** Shopify ids are GIDs; users often paste the numeric id. Both are accepted. */
export function toGid(type: string, value: unknown, field: string): string {
	const id = toId(value, field);
	if (id.startsWith('gid://shopify/')) {
		if (!id.startsWith(`gid://shopify/${type}/`)) {
			throw new TypeError(`"${field}" is a ${id.split('/')[3]} id, but a ${type} id is needed (${id})`);
		}
		return id;
	}
	if (!/^\d+$/.test(id)) {
		throw new TypeError(`"${field}" must be a Shopify ${type} id such as gid://shopify/${type}/123 or 123, got "${id}"`);
	}
	return `gid://shopify/${type}/${id}`;
}

interface ShopifyQuantity {
	name: string;
	quantity: number;
	updatedAt?: string | null;
}

/** One inventory level as Shopify's GraphQL returns it (inside an inventory item). */
export interface ShopifyLevelNode {
	id?: string;
	location: { id: string; name?: string };
	item?: { id: string; sku?: string | null; tracked?: boolean };
	quantities: ShopifyQuantity[];
}

/**
 * A Shopify inventory level → the stock row our nodes emit (and Inventory Reconcile reads as a
 * channel row). `updatedAt` is the latest of the quantities' times, for the conflict policy.
 */
export function levelToRow(
	item: { id: string; sku?: string | null; tracked?: boolean },
	level: ShopifyLevelNode,
	asOf: number,
): IDataObject {
	const quantities: IDataObject = {};
	let updatedAt: string | undefined;
	for (const q of level.quantities ?? []) {
		const name = SHOPIFY_TO_DOMAIN[q.name];
		if (!name) continue;
		quantities[name] = toQuantity(q.quantity, `quantities.${q.name}`, true);
		if (q.updatedAt && (!updatedAt || q.updatedAt > updatedAt)) updatedAt = q.updatedAt;
	}
	return {
		channel: 'shopify',
		sku: item.sku ?? '',
		locationId: level.location.id,
		locationName: level.location.name,
		inventoryItemId: item.id,
		inventoryLevelId: level.id,
		tracked: item.tracked,
		quantities,
		updatedAt,
		source: 'shopify',
		asOf: new Date(asOf).toISOString(),
	};
}

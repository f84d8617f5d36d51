import type { IDataObject } from 'n8n-workflow';

/** A product as our product documents select it. */
export interface ShopifyProduct {
	id: string;
	handle: string;
	title: string;
	status?: string;
	vendor?: string;
	productType?: string;
	updatedAt?: string;
	variants?: { nodes: Array<{ id: string; sku?: string | null; title?: string; price?: string; compareAtPrice?: string | null; barcode?: string | null; inventoryItem?: { id: string } }> };
}

/** A product → an output row with flat variants (prices stay decimal strings, as Shopify sends them). */
export function productToRow(p: ShopifyProduct): IDataObject {
	return {
		productId: p.id,
		handle: p.handle,
		title: p.title,
		productStatus: p.status,
		vendor: p.vendor,
		productType: p.productType,
		updatedAt: p.updatedAt,
		variants: (p.variants?.nodes ?? []).map((v) => ({
			variantId: v.id,
			sku: v.sku ?? '',
			title: v.title,
			price: v.price,
			compareAtPrice: v.compareAtPrice ?? null,
			barcode: v.barcode ?? null,
			inventoryItemId: v.inventoryItem?.id,
		})),
	};
}

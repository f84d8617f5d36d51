import type { INodeProperties } from 'n8n-workflow';

/** Marketplace override, shared by every listing operation. */
export const marketplaceField: INodeProperties = {
	displayName: 'Marketplace ID',
	name: 'marketplaceId',
	type: 'string',
	default: '',
	placeholder: 'ATVPDKIKX0DER',
	description: 'Leave empty for the first marketplace in the credential',
};

/** SKU of one listing, read from the item by default (reconcile adjustments carry `sku`). */
export const skuField: INodeProperties = {
	displayName: 'SKU',
	name: 'sku',
	type: 'string',
	default: '={{ $json.sku }}',
	required: true,
	description: 'Seller SKU of the listing',
};

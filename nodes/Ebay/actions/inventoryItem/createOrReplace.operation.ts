import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isCommerceError } from '../../../shared/core/http/errors';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { inventoryItemBody, keepCurrentValues } from '../../mappers';
import { ebayClient } from '../common';

export const description: INodeProperties[] = displayFor('inventoryItem', 'createOrReplace', [
	{ displayName: 'SKU', name: 'sku', type: 'string', default: '={{ $json.sku }}', required: true },
	{ displayName: 'Title', name: 'title', type: 'string', default: '={{ $json.title }}' },
	{ displayName: 'Quantity', name: 'quantity', type: 'string', default: '', description: 'Ship-to quantity; empty sets none (or keeps the current one, see below)' },
	{
		displayName: 'Keep Current Stock and Details',
		name: 'keepCurrent',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the item first and keep what is not set here: its quantity when Quantity is empty, and product details (brand, identifiers, aspects, images) left empty. Off: eBay replaces the whole item with exactly these fields.',
	},
	{
		displayName: 'Condition',
		name: 'condition',
		type: 'options',
		options: [
			{ name: 'New', value: 'NEW' },
			{ name: 'New Other', value: 'NEW_OTHER' },
			{ name: 'Used Excellent', value: 'USED_EXCELLENT' },
			{ name: 'Used Good', value: 'USED_GOOD' },
		],
		default: 'NEW',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Brand', name: 'brand', type: 'string', default: '' },
			{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 4 }, default: '' },
			{ displayName: 'Image URLs', name: 'imageUrls', type: 'string', default: '', description: 'Comma-separated https URLs' },
			{ displayName: 'MPN', name: 'mpn', type: 'string', default: '' },
			{ displayName: 'UPC', name: 'upc', type: 'string', default: '' },
		],
	},
	dryRunField,
	correlationIdField,
]);

// API: https://developer.ebay.com/api-docs/sell/inventory/resources/inventory_item/methods/createOrReplaceInventoryItem
export const operation: ItemOperation = {
	correlation: true,
	async execute({ index, correlationId }) {
		const sku = String(this.getNodeParameter('sku', index, '') ?? '').trim();
		if (!sku) throw new InputError('The item has no SKU', 'sku', 'Map "SKU" to the item’s SKU');
		const extra = this.getNodeParameter('additionalFields', index, {}) as IDataObject;
		const body = inventoryItemBody({
			quantity: this.getNodeParameter('quantity', index, ''),
			condition: this.getNodeParameter('condition', index, 'NEW') as string,
			title: String(this.getNodeParameter('title', index, '') ?? '') || undefined,
			description: (extra.description as string) || undefined,
			brand: (extra.brand as string) || undefined,
			mpn: (extra.mpn as string) || undefined,
			upc: (extra.upc as string) || undefined,
			imageUrls: extra.imageUrls ? String(extra.imageUrls).split(',').map((s) => s.trim()).filter(Boolean) : undefined,
		});
		const path = `/inventory_item/${encodeURIComponent(sku)}`;
		let current: IDataObject | undefined;
		if (this.getNodeParameter('keepCurrent', index, false)) {
			const { client } = await ebayClient(this);
			// API: https://developer.ebay.com/api-docs/sell/inventory/resources/inventory_item/methods/getInventoryItem
			try {
				current = (await client.request<IDataObject>({ method: 'GET', path, signal: this.getExecutionCancelSignal?.() })).body;
			} catch (error) {
				if (!(isCommerceError(error) && error.kind === 'notFound')) throw error;
			}
		}
		const request = { method: 'PUT' as const, path, body: keepCurrentValues(body, current) };
		if (this.getNodeParameter('dryRun', index, false)) return { sku, status: 'dryRun', request };
		const { client } = await ebayClient(this);
		const response = await client.request<IDataObject | undefined>({
			...request,
			headers: { 'Content-Language': 'en-US', ...(correlationId ? { 'X-Correlation-Id': correlationId } : {}) },
			// A full replacement keyed by SKU.
			absoluteSet: true,
			signal: this.getExecutionCancelSignal?.(),
		});
		return { sku, status: 'saved', warnings: (response.body?.warnings as IDataObject[]) ?? [] };
	},
};

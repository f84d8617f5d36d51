import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { submissionResult } from '../../mappers';
import { amazonClient, listingsPath, sellerAndMarketplace } from '../common';
import { marketplaceField, skuField } from '../fields';

export const description: INodeProperties[] = displayFor('listing', 'put', [
	skuField,
	{
		displayName: 'Product Type',
		name: 'productType',
		type: 'string',
		default: 'PRODUCT',
		required: true,
	},
	{
		displayName: 'Requirements',
		name: 'requirements',
		type: 'options',
		options: [
			{ name: 'Listing (Product and Offer)', value: 'LISTING' },
			{ name: 'Offer Only', value: 'LISTING_OFFER_ONLY' },
			{ name: 'Product Only', value: 'LISTING_PRODUCT_ONLY' },
		],
		default: 'LISTING',
	},
	{
		displayName: 'Attributes (JSON)',
		name: 'attributes',
		type: 'json',
		default: '{}',
		description: 'Every attribute of the listing, in the product type’s schema. Replaces the whole listing.',
	},
	marketplaceField,
	dryRunField,
	correlationIdField,
]);

// API: https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-reference#putlistingsitem
export const operation: ItemOperation = {
	correlation: true,
	async execute({ index, correlationId }) {
		const { client, credentials } = await amazonClient(this);
		const { sellerId, marketplaceId } = sellerAndMarketplace(this, credentials, index);
		const sku = String(this.getNodeParameter('sku', index, '') ?? '').trim();
		if (!sku) throw new InputError('The item has no SKU', 'sku', 'Map "SKU" to the seller SKU of the listing');
		const raw = this.getNodeParameter('attributes', index, '{}') as unknown;
		let attributes: IDataObject;
		try {
			attributes = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject;
		} catch {
			throw new InputError(`The attributes for ${sku} are not valid JSON`, 'attributes', 'Write the attributes as a JSON object, e.g. {"item_name": [{"value": "…"}]}');
		}
		if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) {
			throw new InputError(`The attributes for ${sku} must be a JSON object`, 'attributes', 'Wrap the attributes in { }');
		}
		const request = {
			method: 'PUT' as const,
			path: listingsPath(sellerId, sku),
			query: { marketplaceIds: marketplaceId, issueLocale: 'en_US' },
			body: {
				productType: String(this.getNodeParameter('productType', index, 'PRODUCT')).trim().toUpperCase(),
				requirements: this.getNodeParameter('requirements', index, 'LISTING') as string,
				attributes,
			},
		};
		if (this.getNodeParameter('dryRun', index, false)) return { sku, status: 'dryRun', request };
		const response = await client.request<IDataObject>({
			...request,
			headers: correlationId ? { 'X-Correlation-Id': correlationId } : undefined,
			operation: 'putListingsItem',
			// A full replacement: the same body twice leaves the same listing.
			absoluteSet: true,
			signal: this.getExecutionCancelSignal?.(),
		});
		const result = submissionResult(response.body);
		return { sku, marketplaceId, status: result.status.toLowerCase(), submissionId: result.submissionId, errors: result.errors, warnings: result.warnings };
	},
};

import type { INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { checkMappingOptions, toNeutralProduct, type MappingOptions } from '../../mappers/mapping';
import type { AkeneoProduct } from '../../mappers/products';
import { codes } from '../common';

export const description: INodeProperties[] = displayFor('product', 'map', [
	{ displayName: 'Product (JSON)', name: 'product', type: 'json', default: '={{ $json }}', description: 'An Akeneo product, as Get or Get Many output it' },
	{ displayName: 'Locale', name: 'locale', type: 'string', default: 'en_US', required: true },
	{ displayName: 'Channel', name: 'channel', type: 'string', default: 'ecommerce', required: true, description: 'The PIM channel (scope) whose values to read' },
	{ displayName: 'Fallback Locale', name: 'fallbackLocale', type: 'string', default: '', description: 'Used when a localizable value is missing in the locale' },
	{ displayName: 'Title Attribute', name: 'titleAttribute', type: 'string', default: 'name', required: true },
	{ displayName: 'Description Attribute', name: 'descriptionAttribute', type: 'string', default: 'description' },
	{ displayName: 'Price Attribute', name: 'priceAttribute', type: 'string', default: 'price' },
	{ displayName: 'Currencies', name: 'currencies', type: 'string', default: 'USD', description: 'Comma-separated, first one is the variant price; empty keeps every currency' },
	{ displayName: 'Image Attributes', name: 'imageAttributes', type: 'string', default: 'image', description: 'Comma-separated media attributes, in image order' },
	{
		displayName: 'Other Attributes',
		name: 'attributeMode',
		type: 'options',
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'Only Listed', value: 'include' },
			{ name: 'None', value: 'none' },
		],
		default: 'all',
	},
	{ displayName: 'Attributes to Include', name: 'include', type: 'string', default: '', displayOptions: { show: { attributeMode: ['include'] } }, placeholder: 'color,material' },
]);

// API: https://api.akeneo.com/concepts/products.html#focus-on-the-product-values
export const operation: ItemOperation = {
	async execute({ index, item }) {
		const options = checkMappingOptions({
			locale: String(this.getNodeParameter('locale', index, 'en_US') ?? ''),
			channel: String(this.getNodeParameter('channel', index, 'ecommerce') ?? ''),
			fallbackLocale: String(this.getNodeParameter('fallbackLocale', index, '') ?? '').trim() || undefined,
			titleAttribute: String(this.getNodeParameter('titleAttribute', index, 'name') ?? ''),
			descriptionAttribute: String(this.getNodeParameter('descriptionAttribute', index, 'description') ?? ''),
			priceAttribute: String(this.getNodeParameter('priceAttribute', index, 'price') ?? ''),
			currencies: codes(this.getNodeParameter('currencies', index, 'USD')),
			imageAttributes: codes(this.getNodeParameter('imageAttributes', index, 'image')),
			attributes: this.getNodeParameter('attributeMode', index, 'all') as MappingOptions['attributes'],
			include: codes(this.getNodeParameter('include', index, '')),
		});
		let product = this.getNodeParameter('product', index, item.json) as unknown;
		if (typeof product === 'string') {
			try {
				product = JSON.parse(product);
			} catch {
				throw new InputError('"Product" is not valid JSON', 'product', 'Map "Product" to an Akeneo product object');
			}
		}
		if (!product || typeof product !== 'object' || Array.isArray(product)) throw new InputError('"Product" must be an Akeneo product object', 'product', 'Connect Akeneo → Product → Get Many before this operation');
		return toNeutralProduct(product as AkeneoProduct, options);
	},
};

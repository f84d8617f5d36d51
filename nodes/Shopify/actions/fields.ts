import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/n8n/errors';
import { toGid } from '../mappers/inventory';

/** A location picker: from a searchable list, or by id. */
export const locationLocator: INodeProperties = {
	displayName: 'Location',
	name: 'location',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchLocations', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'gid://shopify/Location/123 or 123',
		},
	],
};

/** The chosen location as a GID, or undefined when left empty. */
export function readLocation(ctx: IExecuteFunctions, index: number, name = 'location'): string | undefined {
	let value = ctx.getNodeParameter(name, index, '', { extractValue: true }) as unknown;
	// Older n8n versions (and unresolved locators) hand back the {mode, value} object itself.
	if (value && typeof value === 'object' && 'value' in value) value = (value as { value: unknown }).value;
	if (value === undefined || value === null || value === '') return undefined;
	return toGid('Location', value, 'location');
}

/** A Shopify id from item data as a GID; bad or missing input names the field and the fix. */
export function gidField(type: string, value: unknown, field: string): string {
	if (value === '' || value === undefined || value === null) {
		throw new InputError(`The item has no ${field}`, field, `Map "${field}" to a Shopify ${type} ID`);
	}
	try {
		return toGid(type, value, field);
	} catch (error) {
		throw new InputError((error as Error).message, field, `Use a Shopify ${type} ID such as gid://shopify/${type}/123`);
	}
}

/** Which stock an inventory write targets: a SKU (looked up) or an inventory item ID, at a location. */
export const stockTargetFields: INodeProperties[] = [
	{
		displayName: 'SKU',
		name: 'sku',
		type: 'string',
		default: '={{ $json.sku }}',
		description: 'SKU of the stock to change. Ignored when Inventory Item ID is set.',
	},
	{
		displayName: 'Inventory Item ID',
		name: 'inventoryItemId',
		type: 'string',
		default: '={{ $json.inventoryItemId }}',
		description: 'Shopify inventory item (GID or number); faster than a SKU, which must be looked up',
	},
	{
		displayName: 'Location ID',
		name: 'locationId',
		type: 'string',
		default: '={{ $json.locationId }}',
		required: true,
		description: 'Shopify location (GID or number)',
	},
];

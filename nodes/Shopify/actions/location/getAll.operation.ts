import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { LOCATIONS } from '../../graphql/documents';
import { cost } from '../../graphql/cost';
import { readLimit, shopifyCollect } from '../common';

export const description: INodeProperties[] = displayFor('location', 'getAll', [
	...returnAllOrLimit,
	{
		displayName: 'Name Contains',
		name: 'nameFilter',
		type: 'string',
		default: '',
		description: 'Only locations whose name matches this text',
	},
]);

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/locations
export const operation: ItemOperation = {
	async execute(this: IExecuteFunctions, { index }) {
		const name = (this.getNodeParameter('nameFilter', index, '') as string).trim();
		const locations = await shopifyCollect<Record<string, unknown>>(this, {
			query: LOCATIONS,
			variables: { query: name ? `name:${JSON.stringify(name)}` : null },
			connection: 'locations',
			pageSize: 100,
			costOf: cost.locations,
			limit: readLimit(this, index),
		});
		return locations.map((l) => ({ ...l, locationId: l.id }) as IDataObject);
	},
};

/** Pickers for the editor: ShipBob fulfillment centers. */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeProperties,
} from 'n8n-workflow';

import { systemClient } from '../shared/n8n/system';
import { shipBobDefinition } from './transport';

/** Fulfillment centers whose name contains the filter. */
export async function searchFulfillmentCenters(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { client } = await systemClient(this, shipBobDefinition);
	const response = await client.request<IDataObject[]>({
		method: 'GET',
		path: '/fulfillment-center',
	});
	const wanted = (filter ?? '').toLowerCase();
	const results = (Array.isArray(response.body) ? response.body : [])
		.filter(
			(c) =>
				!wanted ||
				String(c.name ?? '')
					.toLowerCase()
					.includes(wanted),
		)
		.map((c) => ({ name: `${String(c.name)} (${String(c.id)})`, value: String(c.id) }));
	return { results };
}

/** A fulfillment center picker: from the list, or by ID. Empty means every center. */
export function fulfillmentCenterLocator(name: string, description: string): INodeProperties {
	return {
		displayName: 'Fulfillment Center',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchFulfillmentCenters', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 156',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d+$', errorMessage: 'A fulfillment center ID is digits only' },
					},
				],
			},
		],
	};
}

/** Pickers for the editor: NetSuite locations, read through SuiteQL. */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeProperties,
} from 'n8n-workflow';

import { systemClient } from '../shared/n8n/system';
import { suiteqlRows } from './actions/common';
import { locationsQuery } from './mappers/suiteql';
import { netSuiteDefinition } from './transport';

async function locations(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const { fetchPage, profile } = await systemClient(ctx, netSuiteDefinition);
	return await suiteqlRows(fetchPage, profile.baseUrl, locationsQuery());
}

/** Active locations whose name contains the filter. */
export async function searchLocations(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').toLowerCase();
	const results = (await locations(this))
		.filter(
			(l) =>
				!wanted ||
				String(l.name ?? '')
					.toLowerCase()
					.includes(wanted),
		)
		.map((l) => ({ name: `${String(l.name)} (${String(l.id)})`, value: String(l.id) }));
	return { results };
}

/** Active locations as options (for multi-select fields). */
export async function getLocations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await locations(this)).map((l) => ({ name: String(l.name), value: String(l.id) }));
}

/** A NetSuite location picker: from the list, or by internal ID. */
export function locationLocator(
	name: string,
	displayName: string,
	description: string,
	required = false,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		description,
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
				placeholder: 'e.g. 3',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d+$', errorMessage: 'A NetSuite internal ID is digits only' },
					},
				],
			},
		],
	};
}

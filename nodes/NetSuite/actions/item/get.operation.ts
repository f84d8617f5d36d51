// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { checkExternalId, itemFromRecord, itemFromSuiteql } from '../../mappers/records';
import { itemsQuery, sqlId } from '../../mappers/suiteql';
import { netSuiteDefinition, RECORD_PATH } from '../../transport';
import { stringParam, suiteqlRows } from '../common';

export const description: INodeProperties[] = displayFor('item', 'get', [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'Internal ID', value: 'id' },
			{ name: 'External ID', value: 'externalId' },
			{ name: 'SKU', value: 'sku' },
		],
		default: 'sku',
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		required: true,
		description: 'The internal ID, external ID or SKU (Item Name/Number) of the item',
	},
]);

export const operation: ItemOperation = {
	async execute({ index }) {
		const by = this.getNodeParameter('findBy', index, 'sku') as string;
		const value = stringParam(this, 'value', index);
		if (!value)
			throw new InputError(
				'"Value" is empty',
				'value',
				'Map the item’s ID or SKU from the input item.',
			);
		const { client, fetchPage, profile } = await systemClient(this, netSuiteDefinition);
		if (by === 'sku') {
			const rows = await suiteqlRows(
				fetchPage,
				profile.baseUrl,
				itemsQuery({ skus: [value], includeInactive: true }),
				{ limit: 1 },
			);
			if (rows.length === 0)
				throw new InputError(
					`No NetSuite item has the SKU "${value}"`,
					'value',
					'Check the SKU (Item Name/Number) in NetSuite.',
				);
			return itemFromSuiteql(rows[0]);
		}
		const key = by === 'id' ? sqlId(value, 'value') : `eid:${checkExternalId(value, 'value')}`;
		const response = await client.request<IDataObject>({
			method: 'GET',
			path: `${RECORD_PATH}/inventoryItem/${encodeURIComponent(key)}`,
		});
		return itemFromRecord(response.body);
	},
};

// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import {
	checkExternalId,
	fulfilmentFromSuiteql,
	orderStatusFromRecord,
} from '../../mappers/records';
import { fulfilmentsQuery, sqlId } from '../../mappers/suiteql';
import { netSuiteDefinition, RECORD_PATH } from '../../transport';
import { stringParam, suiteqlOffsetRows } from '../common';

export const description: INodeProperties[] = displayFor('salesOrder', 'getStatus', [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'External ID', value: 'externalId' },
			{ name: 'Internal ID', value: 'id' },
		],
		default: 'externalId',
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		required: true,
		description: 'The order’s external or internal ID',
	},
]);

export const operation: ItemOperation = {
	async execute({ index }) {
		const value = stringParam(this, 'value', index);
		if (!value)
			throw new InputError(
				'"Value" is empty',
				'value',
				'Map the order’s external ID (e.g. SHOP-1001) from the input item.',
			);
		const key =
			this.getNodeParameter('findBy', index, 'externalId') === 'id'
				? sqlId(value, 'value')
				: `eid:${checkExternalId(value, 'value')}`;
		const { client, fetchPage, profile } = await systemClient(this, netSuiteDefinition);
		const record = await client.request<IDataObject>({
			method: 'GET',
			path: `${RECORD_PATH}/salesOrder/${encodeURIComponent(key)}`,
		});
		const order = orderStatusFromRecord(record.body);
		const fulfilments = await suiteqlOffsetRows(
			fetchPage,
			profile.baseUrl,
			fulfilmentsQuery(String(order.id)),
		);
		return { ...order, fulfilments: fulfilments.map(fulfilmentFromSuiteql) };
	},
};

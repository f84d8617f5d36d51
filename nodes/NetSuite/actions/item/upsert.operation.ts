// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { checkExternalId, idFromLocation, itemBody } from '../../mappers/records';
import { netSuiteDefinition, RECORD_PATH } from '../../transport';
import { jsonParam, locationHeader, stringParam } from '../common';

export const description: INodeProperties[] = displayFor('item', 'upsert', [
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '={{ $json.sku }}',
		required: true,
		description:
			'Your key for the item. The item with this external ID is updated, or created when there is none, so sending it twice is safe.',
	},
	{
		displayName: 'SKU',
		name: 'sku',
		type: 'string',
		default: '={{ $json.sku }}',
		required: true,
		description: 'Item Name/Number in NetSuite',
	},
	{ displayName: 'Display Name', name: 'displayName', type: 'string', default: '' },
	{ displayName: 'UPC Code', name: 'upcCode', type: 'string', default: '' },
	{ displayName: 'Sales Description', name: 'salesDescription', type: 'string', default: '' },
	{
		displayName: 'Additional Fields (JSON)',
		name: 'additionalFields',
		type: 'json',
		default: '{}',
		description: 'Other inventoryItem fields in NetSuite REST form, e.g. {"basePrice": 19.99}',
	},
	dryRunField,
	correlationIdField,
]);

export const operation: ItemOperation = {
	correlation: true,
	async execute({ index, correlationId }) {
		const externalId = checkExternalId(stringParam(this, 'externalId', index));
		const extra = jsonParam(this, 'additionalFields', index);
		const body = itemBody({
			sku: stringParam(this, 'sku', index),
			displayName: stringParam(this, 'displayName', index),
			upcCode: stringParam(this, 'upcCode', index),
			salesDescription: stringParam(this, 'salesDescription', index),
			additionalFields:
				extra && typeof extra === 'object' && !Array.isArray(extra)
					? (extra as IDataObject)
					: undefined,
		});
		const path = `${RECORD_PATH}/inventoryItem/eid:${encodeURIComponent(externalId)}`;
		const headers = { 'X-Correlation-Id': String(correlationId) };
		if (this.getNodeParameter('dryRun', index, false)) {
			return { dryRun: true, request: { method: 'PUT', path, headers, body } };
		}
		const { client } = await systemClient(this, netSuiteDefinition);
		// A PUT by external id sets the item to exactly this body: repeating it is harmless.
		const response = await client.request({
			method: 'PUT',
			path,
			body,
			headers,
			absoluteSet: true,
		});
		return {
			id: idFromLocation(locationHeader(response.headers)),
			externalId,
			sku: body.itemId as string,
			upserted: true,
		};
	},
};

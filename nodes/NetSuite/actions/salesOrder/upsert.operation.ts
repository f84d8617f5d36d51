// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html
import type { INodeProperties } from 'n8n-workflow';

import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { locationLocator } from '../../methods';
import {
	checkExternalId,
	idFromLocation,
	orderLines,
	salesOrderBody,
	skusToResolve,
	withItemIds,
} from '../../mappers/records';
import { itemsQuery } from '../../mappers/suiteql';
import { netSuiteDefinition, RECORD_PATH } from '../../transport';
import { jsonParam, locationHeader, stringParam, suiteqlRows } from '../common';

export const description: INodeProperties[] = displayFor('salesOrder', 'upsert', [
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '={{ $json.orderId }}',
		required: true,
		description:
			'Your order key (e.g. SHOP-1001). The order is created once and updated on every later send, so a retried run never makes a second order.',
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		required: true,
		description: 'Internal ID of the customer (entity)',
	},
	{
		displayName: 'Subsidiary ID',
		name: 'subsidiaryId',
		type: 'string',
		default: '',
		description: 'Needed in OneWorld accounts',
	},
	locationLocator('locationId', 'Location', 'Location the order ships from (optional)'),
	{
		displayName: 'Transaction Date',
		name: 'tranDate',
		type: 'string',
		default: '',
		placeholder: '2026-01-15',
	},
	{ displayName: 'PO / Reference Number', name: 'otherRefNum', type: 'string', default: '' },
	{
		displayName: 'Memo',
		name: 'memo',
		type: 'string',
		default: '',
		description: 'Left empty, the memo carries the correlation ID',
	},
	{
		displayName: 'Lines',
		name: 'lines',
		type: 'json',
		default: '={{ $json.lines }}',
		required: true,
		description:
			'Array of lines: [{"itemId": "42", "quantity": 2, "rate": 19.99}]. A line may name its item by "sku" (Item Name/Number) instead of itemId; the SKUs are looked up in one query.',
	},
	dryRunField,
	correlationIdField,
]);

export const operation: ItemOperation = {
	correlation: true,
	async execute({ index, correlationId }) {
		const externalId = checkExternalId(stringParam(this, 'externalId', index));
		const memo = stringParam(this, 'memo', index) || `Commerce Sync correlation ${correlationId}`;
		let lines = orderLines(jsonParam(this, 'lines', index));
		const skus = skusToResolve(lines);
		if (skus.length > 0) {
			// Shops know their SKUs, not NetSuite's internal ids: one read resolves every line.
			const { fetchPage, profile } = await systemClient(this, netSuiteDefinition);
			const rows = await suiteqlRows(fetchPage, profile.baseUrl, itemsQuery({ skus }));
			lines = withItemIds(lines, new Map(rows.map((r) => [String(r.itemid), String(r.id)])));
		}
		const body = salesOrderBody({
			externalId,
			customerId: stringParam(this, 'customerId', index),
			subsidiaryId: stringParam(this, 'subsidiaryId', index),
			locationId: stringParam(this, 'locationId', index),
			tranDate: stringParam(this, 'tranDate', index),
			otherRefNum: stringParam(this, 'otherRefNum', index),
			memo,
			lines,
		});
		const path = `${RECORD_PATH}/salesOrder/eid:${encodeURIComponent(externalId)}`;
		const headers = { 'X-Correlation-Id': String(correlationId) };
		if (this.getNodeParameter('dryRun', index, false)) {
			return { dryRun: true, request: { method: 'PUT', path, headers, body } };
		}
		const { client } = await systemClient(this, netSuiteDefinition);
		// Upsert by external id: a retry (or a second run) updates the same order, never adds one.
		const response = await client.request({
			method: 'PUT',
			path,
			body,
			headers,
			absoluteSet: true,
		});
		return { id: idFromLocation(locationHeader(response.headers)), externalId, upserted: true };
	},
};

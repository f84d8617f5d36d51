// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html
import type { INodeProperties } from 'n8n-workflow';

import { scopedIdempotencyKey } from '../../../shared/core/idempotency/key';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { locationLocator } from '../../methods';
import { adjustmentBody, checkExternalId, idFromLocation } from '../../mappers/records';
import { netSuiteDefinition, RECORD_PATH } from '../../transport';
import { jsonParam, locationHeader, stringParam } from '../common';

export const description: INodeProperties[] = displayFor('inventoryAdjustment', 'create', [
	{
		displayName: 'Subsidiary ID',
		name: 'subsidiaryId',
		type: 'string',
		default: '',
		required: true,
	},
	{
		displayName: 'Adjustment Account ID',
		name: 'accountId',
		type: 'string',
		default: '',
		required: true,
		description: 'Internal ID of the GL account for inventory adjustments',
	},
	locationLocator(
		'locationId',
		'Location',
		'Adjustment location; also the default for lines without one',
	),
	{
		displayName: 'Lines',
		name: 'lines',
		type: 'json',
		default: '={{ $json.lines }}',
		required: true,
		description:
			'Array of [{"itemId": "42", "locationId": "3", "adjustQtyBy": -2}]; adjustQtyBy is a signed whole number',
	},
	{ displayName: 'Memo', name: 'memo', type: 'string', default: '' },
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		description:
			'Your key for this adjustment. Left empty, one is derived from the content, so the same adjustment sent twice is applied once.',
	},
	dryRunField,
	correlationIdField,
]);

export const operation: ItemOperation = {
	correlation: true,
	async execute({ index, correlationId }) {
		const memo = stringParam(this, 'memo', index);
		const body = adjustmentBody({
			subsidiaryId: stringParam(this, 'subsidiaryId', index),
			accountId: stringParam(this, 'accountId', index),
			locationId: stringParam(this, 'locationId', index) || undefined,
			memo: memo || `Commerce Sync correlation ${correlationId}`,
			lines: jsonParam(this, 'lines', index),
		});
		// An adjustment is a delta: only an external-id upsert makes a retry harmless.
		const given = stringParam(this, 'externalId', index);
		// The memo carries the correlation id, which differs per run: it is not part of the key.
		const content = { ...body, memo: undefined };
		const externalId = given
			? checkExternalId(given)
			: `CS-ADJ-${scopedIdempotencyKey('netsuite:inventoryAdjustment', content).slice(0, 32)}`;
		const path = `${RECORD_PATH}/inventoryAdjustment/eid:${encodeURIComponent(externalId)}`;
		const headers = { 'X-Correlation-Id': String(correlationId) };
		if (this.getNodeParameter('dryRun', index, false)) {
			return { dryRun: true, request: { method: 'PUT', path, headers, body } };
		}
		const { client } = await systemClient(this, netSuiteDefinition);
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
			lines: (body.inventory as { items: unknown[] }).items.length,
		};
	},
};

// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html
import type { INodeProperties } from 'n8n-workflow';

import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { checkExternalId, customerBody, idFromLocation } from '../../mappers/records';
import { netSuiteDefinition, RECORD_PATH } from '../../transport';
import { locationHeader, stringParam } from '../common';

export const description: INodeProperties[] = displayFor('customer', 'upsert', [
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '={{ $json.customerKey }}',
		required: true,
		description:
			'Your customer key (e.g. shopify-customer-7001). The customer is created once and updated on every later send.',
	},
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		default: '',
		description: 'Set it to create a company customer; leave it empty for a person (first and last name needed)',
	},
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
	{
		displayName: 'Subsidiary ID',
		name: 'subsidiaryId',
		type: 'string',
		default: '',
		description: 'Needed in OneWorld accounts',
	},
	dryRunField,
	correlationIdField,
]);

export const operation: ItemOperation = {
	correlation: true,
	async execute({ index, correlationId }) {
		const externalId = checkExternalId(stringParam(this, 'externalId', index));
		const body = customerBody({
			email: stringParam(this, 'email', index),
			firstName: stringParam(this, 'firstName', index),
			lastName: stringParam(this, 'lastName', index),
			companyName: stringParam(this, 'companyName', index),
			phone: stringParam(this, 'phone', index),
			subsidiaryId: stringParam(this, 'subsidiaryId', index),
		});
		const path = `${RECORD_PATH}/customer/eid:${encodeURIComponent(externalId)}`;
		const headers = { 'X-Correlation-Id': String(correlationId) };
		if (this.getNodeParameter('dryRun', index, false)) {
			return { dryRun: true, request: { method: 'PUT', path, headers, body } };
		}
		const { client } = await systemClient(this, netSuiteDefinition);
		// Upsert by external id: sending the same customer again updates it, never adds one.
		const response = await client.request({ method: 'PUT', path, body, headers, absoluteSet: true });
		return { id: idFromLocation(locationHeader(response.headers)), externalId, upserted: true };
	},
};

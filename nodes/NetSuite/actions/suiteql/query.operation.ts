// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html
import type { INodeProperties } from 'n8n-workflow';

import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { InputError } from '../../../shared/n8n/errors';
import { keysetWrap } from '../../mappers/suiteql';
import { netSuiteDefinition } from '../../transport';
import { stringParam, suiteqlOffsetRows, suiteqlRows, withoutLinks } from '../common';

export const description: INodeProperties[] = displayFor('suiteql', 'query', [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: "SELECT id, itemid, displayname FROM item WHERE isinactive = 'F'",
		description:
			'SuiteQL SELECT statement. Column names come back in lower case and values as strings.',
	},
	{
		displayName: 'Paging',
		name: 'paging',
		type: 'options',
		options: [
			{
				name: 'Keyset by Key Column (No Row Limit)',
				value: 'keyset',
				description:
					'Adds WHERE key > last AND ORDER BY key, so any number of rows can be read. The query must not have its own ORDER BY.',
			},
			{
				name: 'Offset (Up to 100,000 Rows)',
				value: 'offset',
				description:
					'Pages with limit/offset as written; NetSuite serves at most 100,000 rows this way',
			},
		],
		default: 'keyset',
	},
	{
		displayName: 'Key Column',
		name: 'keyColumn',
		type: 'string',
		default: 'id',
		description: 'A whole-number column, unique per row, that the query selects',
		displayOptions: { show: { paging: ['keyset'] } },
	},
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 1000,
		description: 'Rows per request (NetSuite allows up to 1,000)',
	},
	...returnAllOrLimit,
]);

export const operation: ItemOperation = {
	async execute({ index }) {
		const query = stringParam(this, 'query', index);
		if (!query)
			throw new InputError('"Query" is empty', 'query', 'Write a SuiteQL SELECT statement.');
		const limit = this.getNodeParameter('returnAll', index, false)
			? undefined
			: (this.getNodeParameter('limit', index, 50) as number);
		const pageSize = this.getNodeParameter('pageSize', index, 1000) as number;
		const { fetchPage, profile } = await systemClient(this, netSuiteDefinition);
		const rows =
			this.getNodeParameter('paging', index, 'keyset') === 'offset'
				? await suiteqlOffsetRows(fetchPage, profile.baseUrl, query, { limit, pageSize })
				: await suiteqlRows(
						fetchPage,
						profile.baseUrl,
						keysetWrap(query, stringParam(this, 'keyColumn', index) || 'id'),
						{
							limit,
							pageSize,
							keyColumn: (stringParam(this, 'keyColumn', index) || 'id')
								.toLowerCase()
								.split('.')
								.pop(),
						},
					);
		return rows.map(withoutLinks);
	},
};

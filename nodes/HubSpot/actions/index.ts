import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { OperationMap } from '../../shared/n8n/router';
import * as companyAssociate from './company/associate.operation';
import * as companyGet from './company/get.operation';
import * as companyGetMany from './company/getMany.operation';
import * as companySearch from './company/search.operation';
import * as companyUpsert from './company/upsert.operation';
import * as contactAssociate from './contact/associate.operation';
import * as contactGet from './contact/get.operation';
import * as contactGetMany from './contact/getMany.operation';
import * as contactSearch from './contact/search.operation';
import * as contactUpsert from './contact/upsert.operation';
import * as dealAssociate from './deal/associate.operation';
import * as dealGet from './deal/get.operation';
import * as dealGetMany from './deal/getMany.operation';
import * as dealSearch from './deal/search.operation';
import * as dealUpsert from './deal/upsert.operation';

/** resource → operation → handler, checked by the router. */
export const operations: OperationMap = {
	contact: { upsert: contactUpsert.operation, get: contactGet.operation, getMany: contactGetMany.operation, search: contactSearch.operation, associate: contactAssociate.operation },
	company: { upsert: companyUpsert.operation, get: companyGet.operation, getMany: companyGetMany.operation, search: companySearch.operation, associate: companyAssociate.operation },
	deal: { upsert: dealUpsert.operation, get: dealGet.operation, getMany: dealGetMany.operation, search: dealSearch.operation, associate: dealAssociate.operation },
};

function operationOptions(singular: string, plural: string, upsertBy: string): INodePropertyOptions[] {
	return [
		{ name: 'Associate', value: 'associate', description: `Link a ${singular} to another record (deal ↔ contact ↔ company)`, action: `Associate a ${singular}` },
		{ name: 'Get', value: 'get', description: `Get a ${singular} by ID or unique property`, action: `Get a ${singular}` },
		{ name: 'Get Many', value: 'getMany', description: `List ${plural}`, action: `Get many ${plural}` },
		{ name: 'Search', value: 'search', description: `Find ${plural} by property filters`, action: `Search ${plural}` },
		{ name: 'Upsert', value: 'upsert', description: `Create or update ${plural} by ${upsertBy}, 100 per call`, action: `Upsert ${plural}` },
	];
}

/** Resource and operation pickers plus every operation's fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Company', value: 'company' },
			{ name: 'Contact', value: 'contact' },
			{ name: 'Deal', value: 'deal' },
		],
		default: 'contact',
	},
	{ displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, displayOptions: { show: { resource: ['contact'] } }, options: operationOptions('contact', 'contacts', 'email'), default: 'upsert' },
	{ displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, displayOptions: { show: { resource: ['company'] } }, options: operationOptions('company', 'companies', 'a unique property'), default: 'upsert' },
	{ displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, displayOptions: { show: { resource: ['deal'] } }, options: operationOptions('deal', 'deals', 'order ID'), default: 'upsert' },
	...contactUpsert.description, ...contactGet.description, ...contactGetMany.description, ...contactSearch.description, ...contactAssociate.description,
	...companyUpsert.description, ...companyGet.description, ...companyGetMany.description, ...companySearch.description, ...companyAssociate.description,
	...dealUpsert.description, ...dealGet.description, ...dealGetMany.description, ...dealSearch.description, ...dealAssociate.description,
];

import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { route } from '../shared/n8n/router';
import { operations, properties } from './actions';
import { getLocations, searchLocations } from './methods';

/** NetSuite ERP over SuiteTalk REST and SuiteQL, signed with Token-Based Authentication. */
export class NetSuite implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NetSuite ERP (Commerce Sync)',
		name: 'netSuite',
		icon: { light: 'file:netSuite.svg', dark: 'file:netSuite.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read stock by location, run SuiteQL and write items, customers, sales orders, fulfilments and adjustments in NetSuite',
		defaults: { name: 'NetSuite ERP' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'netSuiteTbaApi', required: true }],
		properties,
	};

	methods = {
		listSearch: { searchLocations },
		loadOptions: { getLocations },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, operations);
	}
}

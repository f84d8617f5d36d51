import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { route } from '../shared/n8n/router';
import { operations, properties } from './actions';

/**
 * Amazon Selling Partner API: listing quantity and price by PATCH for a few SKUs or a JSON
 * listings feed for many, paced by SP-API's per-operation token buckets.
 */
export class AmazonSellingPartner implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon Selling Partner (Commerce Sync)',
		name: 'amazonSellingPartner',
		icon: { light: 'file:amazonSpApi.svg', dark: 'file:amazonSpApi.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Keep Amazon listing quantities and prices in sync (Selling Partner API)',
		defaults: { name: 'Amazon Selling Partner' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'amazonSpApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, operations);
	}
}

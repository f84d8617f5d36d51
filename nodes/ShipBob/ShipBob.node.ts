import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { route } from '../shared/n8n/router';
import { operations, properties } from './actions';
import { searchFulfillmentCenters } from './methods';

/** ShipBob 3PL: stock per fulfillment center, products, orders (once per reference ID), shipments. */
export class ShipBob implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ShipBob 3PL (Commerce Sync)',
		name: 'shipBob',
		icon: { light: 'file:shipBob.svg', dark: 'file:shipBob.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read stock per fulfillment center and create orders in ShipBob',
		defaults: { name: 'ShipBob 3PL' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shipBobApi', required: true }],
		properties,
	};

	methods = { listSearch: { searchFulfillmentCenters } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, operations);
	}
}

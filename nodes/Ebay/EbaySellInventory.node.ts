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
 * eBay Sell Inventory API: inventory items and offers by SKU, and price/quantity updates 25 SKUs
 * per call with each SKU's own outcome, within the daily call quota and revision cap.
 */
export class EbaySellInventory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'eBay Sell Inventory (Commerce Sync)',
		name: 'ebaySellInventory',
		icon: { light: 'file:ebay.svg', dark: 'file:ebay.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Keep eBay quantities and prices in sync (Sell Inventory API)',
		defaults: { name: 'eBay Sell Inventory' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ebaySellApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, operations);
	}
}

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
 * Akeneo PIM: products on the UUID endpoints (changed since a cursor, paged by search_after),
 * line-by-line upserts with a status per product, reference lists, and a mapping from Akeneo
 * values to a channel-neutral product so catalog sync needs no Code node.
 */
export class AkeneoPim implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Akeneo PIM (Commerce Sync)',
		name: 'akeneoPim',
		icon: { light: 'file:akeneo.svg', dark: 'file:akeneo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read and write Akeneo PIM products and turn them into channel-ready products',
		defaults: { name: 'Akeneo PIM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'akeneoApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, operations);
	}
}

import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { canonicalJson, idempotencyKey } from '../shared/core/idempotency/key';
import { InputError } from '../shared/n8n/errors';
import { resolveCorrelationId, route, type ItemContext, type OperationMap } from '../shared/n8n/router';

/**
 * Small helpers that make workflows traceable and retry-safe: a content-derived idempotency
 * key and a correlation id that follows one order or stock change through every system.
 */
export class CommerceSyncUtilities implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Commerce Sync Utilities',
		name: 'commerceSyncUtilities',
		icon: { light: 'file:commerceSyncUtilities.svg', dark: 'file:commerceSyncUtilities.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Add idempotency keys and correlation IDs to items',
		defaults: { name: 'Commerce Sync Utilities' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Add Correlation ID',
						value: 'correlationId',
						description: 'Keep the item’s correlation ID, or give it a new one',
						action: 'Add a correlation ID',
					},
					{
						name: 'Add Idempotency Key',
						value: 'idempotencyKey',
						description: 'Derive a key from the item’s content, the same for the same content',
						action: 'Add an idempotency key',
					},
				],
				default: 'idempotencyKey',
			},
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'string',
				default: '',
				placeholder: 'e.g. sku, locationId, target',
				description:
					'Comma-separated fields (dot paths allowed) the key is computed from. Empty means the whole item. Field order does not matter.',
				displayOptions: { show: { operation: ['idempotencyKey'] } },
			},
			{
				displayName: 'Scope',
				name: 'scope',
				type: 'string',
				default: '',
				placeholder: 'e.g. shopify:setQuantities',
				description:
					'Optional prefix so the same content sent to two different operations gets two different keys',
				displayOptions: { show: { operation: ['idempotencyKey'] } },
			},
			{
				displayName: 'Correlation ID',
				name: 'correlationId',
				type: 'string',
				default: '={{ $json.correlationId }}',
				description: 'The ID to keep. Left empty, a new ID is created for the item.',
				displayOptions: { show: { operation: ['correlationId'] } },
			},
			{
				displayName: 'Output Field',
				name: 'outputField',
				type: 'string',
				default: '',
				placeholder: 'idempotencyKey / correlationId',
				description: 'Field to write the result to. Empty means the operation’s own name.',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, operations);
	}
}

const operations: OperationMap = {
	'': {
		idempotencyKey: {
			async execute(this: IExecuteFunctions, ctx: ItemContext) {
				const fields = splitFields(this.getNodeParameter('fields', ctx.index, '') as string);
				const scope = (this.getNodeParameter('scope', ctx.index, '') as string).trim();
				const output = outputField(this, ctx.index, 'idempotencyKey');
				const content = fields.length === 0 ? ctx.item.json : pickFields(ctx.item.json, fields);
				try {
					canonicalJson(content);
				} catch (error) {
					throw new InputError((error as Error).message, fields.join(','));
				}
				const key = idempotencyKey(scope ? { scope, value: content } : content);
				return { ...ctx.item.json, [output]: key };
			},
		},
		correlationId: {
			async execute(this: IExecuteFunctions, ctx: ItemContext) {
				const output = outputField(this, ctx.index, 'correlationId');
				return { ...ctx.item.json, [output]: resolveCorrelationId(this, ctx.index) };
			},
		},
	},
};

function outputField(ctx: IExecuteFunctions, index: number, fallback: string): string {
	const value = (ctx.getNodeParameter('outputField', index, '') as string).trim();
	return value === '' ? fallback : value;
}

function splitFields(raw: string): string[] {
	return raw
		.split(',')
		.map((f) => f.trim())
		.filter((f) => f !== '');
}

/** Picks dot-path fields; a field the item lacks is an input error, not a silent null. */
function pickFields(json: IDataObject, fields: string[]): IDataObject {
	const out: IDataObject = {};
	for (const field of fields) {
		let value: unknown = json;
		for (const part of field.split('.')) {
			value = value !== null && typeof value === 'object' ? (value as IDataObject)[part] : undefined;
		}
		if (value === undefined) {
			throw new InputError(
				`The item has no field "${field}" to compute the key from`,
				field,
				'Check the field name in "Fields", or remove it from the list',
			);
		}
		out[field] = value as IDataObject[string];
	}
	return out;
}

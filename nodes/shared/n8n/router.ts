import { randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorDetails, toNodeError } from './errors';

/** What an operation knows about the item it is working on. */
export interface ItemContext {
	index: number;
	item: INodeExecutionData;
	/** Present when the operation asked for correlation ids. */
	correlationId?: string;
}

/** An operation that handles one item at a time. */
export interface ItemOperation {
	kind?: 'item';
	/** Whether the router resolves a correlation id for each item and adds it to the output. */
	correlation?: boolean;
	execute(this: IExecuteFunctions, ctx: ItemContext): Promise<IDataObject | IDataObject[]>;
}

/** One item's outcome in a batch operation: its output rows, or the error that item met. */
export type BatchResult =
	| { index: number; json: IDataObject | IDataObject[] }
	| { index: number; error: unknown };

/** An operation that sends many items in one call (bulk endpoints, GraphQL batches). */
export interface BatchOperation {
	kind: 'batch';
	correlation?: boolean;
	execute(this: IExecuteFunctions, items: ItemContext[]): Promise<BatchResult[]>;
}

/** Anything the router can dispatch to. */
export type Operation = ItemOperation | BatchOperation;

/** resource → operation → handler. Nodes without resources use a single '' resource. */
export type OperationMap = Record<string, Record<string, Operation>>;

/**
 * The item loop every system node shares: dispatches on resource/operation, adds `pairedItem`
 * to every output, and on failure either stops with an error naming the item or — with
 * "On Error: Continue" — emits an error item (to the error output when the node has one) and
 * carries on with the rest.
 */
export async function route(
	this: IExecuteFunctions,
	operations: OperationMap,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const resource = readString(this, 'resource', '');
	const operationName = readString(this, 'operation', '');
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw toNodeError(
			this.getNode(),
			new Error(`The operation "${operationName}" is not supported for "${resource || 'this node'}"`),
		);
	}

	const contexts: ItemContext[] = [];
	const out: INodeExecutionData[] = [];
	for (let index = 0; index < items.length; index++) {
		try {
			const correlationId = operation.correlation ? resolveCorrelationId(this, index) : undefined;
			contexts.push({ index, item: items[index], correlationId });
		} catch (error) {
			handleFailure(this, out, items, index, error);
		}
	}

	if (operation.kind === 'batch') {
		const results = contexts.length > 0 ? await operation.execute.call(this, contexts) : [];
		const byIndex = new Map(contexts.map((c) => [c.index, c]));
		for (const result of [...results].sort((a, b) => a.index - b.index)) {
			const ctx = byIndex.get(result.index);
			if (!ctx) continue;
			if ('error' in result) handleFailure(this, out, items, result.index, result.error);
			else pushRows(out, result.json, ctx);
		}
	} else {
		for (const ctx of contexts) {
			try {
				pushRows(out, await operation.execute.call(this, ctx), ctx);
			} catch (error) {
				handleFailure(this, out, items, ctx.index, error);
			}
		}
	}
	out.sort((a, b) => pairedIndex(a) - pairedIndex(b));
	return [out];
}

function pushRows(out: INodeExecutionData[], json: IDataObject | IDataObject[], ctx: ItemContext): void {
	const rows = Array.isArray(json) ? json : [json];
	for (const row of rows) {
		const withId =
			ctx.correlationId !== undefined && row.correlationId === undefined
				? { ...row, correlationId: ctx.correlationId }
				: row;
		out.push({ json: withId, pairedItem: { item: ctx.index } });
	}
}

function handleFailure(
	ctx: IExecuteFunctions,
	out: INodeExecutionData[],
	items: INodeExecutionData[],
	index: number,
	error: unknown,
): void {
	const nodeError = toNodeError(ctx.getNode(), error, index);
	if (!ctx.continueOnFail()) throw nodeError;
	out.push(errorItem(ctx, items[index], index, errorDetails(error, index)));
}

/**
 * The item an input that failed becomes under "On Error: Continue". The input travels with the
 * error so a Retry node can send it again unchanged. n8n replaces the JSON of an item carrying
 * `error` (the NodeError) with the bare message, so with either "Continue" setting the item
 * carries its error in `json.error` only; on the error output its JSON is `{error}` alone, which
 * is how n8n recognises an error item and fills in the input item's fields itself.
 */
export function errorItem(
	ctx: IExecuteFunctions,
	input: INodeExecutionData,
	index: number,
	details: IDataObject,
): INodeExecutionData {
	if (ctx.getNode().onError === 'continueErrorOutput') return { json: { error: details }, pairedItem: { item: index } };
	// "Continue (Regular Output)" and the older "Continue On Fail" flag alike: were the NodeError
	// set on the item, n8n 2.x would cut its JSON down to the message.
	return { json: { ...input.json, error: details }, pairedItem: { item: index } };
}

function pairedIndex(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	if (typeof paired === 'number') return paired;
	if (Array.isArray(paired)) return paired[0]?.item ?? 0;
	return paired?.item ?? 0;
}

function readString(ctx: IExecuteFunctions, name: string, fallback: string): string {
	try {
		const value = ctx.getNodeParameter(name, 0, fallback);
		return typeof value === 'string' ? value : fallback;
	} catch {
		return fallback;
	}
}

/** The item's correlation id from the parameter (default: `$json.correlationId`), or a new one. */
export function resolveCorrelationId(ctx: IExecuteFunctions, index: number): string {
	let value: unknown;
	try {
		value = ctx.getNodeParameter('correlationId', index, '');
	} catch {
		value = undefined;
	}
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return randomUUID();
}

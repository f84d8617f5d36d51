/**
 * What an error item looks like after n8n has handled it, for each "On Error" setting. The two
 * steps below restate n8n 2.41's WorkflowExecute (packages/core/src/execution-engine/
 * workflow-execute.ts): `handleNodeErrorOutput` moves error items to the error output and fills
 * them from their paired input item; `normalizeNodeErrors` then replaces the JSON of every item
 * that carries `error` (a NodeError) with `{error: message}`. An error item must survive both
 * with its input and its typed details, or a Retry node has nothing to send again.
 */
import type { INodeExecutionData, INodeTypeDescription } from 'n8n-workflow';

import { CommerceError } from '../../../nodes/shared/core/http/errors';
import { route, type OperationMap } from '../../../nodes/shared/n8n/router';
import { fakeExecuteFunctions } from '../../helpers/fakeExecuteFunctions';

const description = {
	displayName: 'Test',
	name: 'test',
	defaults: { name: 'Test' },
	properties: [
		{ displayName: 'Resource', name: 'resource', type: 'options', default: 'stock', options: [] },
		{ displayName: 'Operation', name: 'operation', type: 'options', default: 'write', options: [] },
	],
} as unknown as INodeTypeDescription;

const inputs: INodeExecutionData[] = [{ json: { sku: 'A', price: '1.00' } }, { json: { sku: 'B', price: '2.00' } }];

const operations: OperationMap = {
	stock: {
		write: {
			async execute(c) {
				if (c.item.json.sku === 'B') {
					throw new CommerceError({ kind: 'transient', message: 'Service unavailable', system: 'shopify', status: 503, retryable: true });
				}
				return { sku: c.item.json.sku, written: true };
			},
		},
	},
};

/** n8n's handling of one node's output, for a node with one main output. */
function asN8nDoes(output: INodeExecutionData[], onError: string): INodeExecutionData[][] {
	const outputs = [[...output]];
	if (onError === 'continueErrorOutput') {
		const success: INodeExecutionData[] = [];
		const errors: INodeExecutionData[] = [];
		for (const item of outputs[0]) {
			const isError =
				item.error !== undefined ||
				(Boolean(item.json.error) && Object.keys(item.json).every((key) => ['error', 'message', 'details'].includes(key)));
			if (!isError) {
				success.push(item);
				continue;
			}
			const paired = inputs[(item.pairedItem as { item: number }).item];
			errors.push({ ...item, json: { ...paired.json, ...item.json } });
		}
		outputs[0] = success;
		outputs[1] = errors;
	}
	for (const list of outputs) {
		for (const item of list) if (item.error !== undefined) item.json = { error: item.error.message };
	}
	return outputs;
}

async function run(onError: 'continueErrorOutput' | 'continueRegularOutput' | undefined): Promise<INodeExecutionData[][]> {
	const ctx = fakeExecuteFunctions({ description, inputs, params: { resource: 'stock', operation: 'write' }, continueOnFail: true, node: onError ? { onError } : {} });
	const [out] = await route.call(ctx, operations);
	return asN8nDoes(out, onError ?? 'continueRegularOutput');
}

describe('error items as n8n passes them on', () => {
	it('on the error output: the input item with its typed error', async () => {
		const [success, errors] = await run('continueErrorOutput');
		expect(success.map((i) => i.json)).toEqual([{ sku: 'A', written: true }]);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toEqual({
			sku: 'B',
			price: '2.00',
			error: expect.objectContaining({ message: 'Service unavailable', kind: 'transient', status: 503, retryable: true, system: 'shopify', itemIndex: 1 }),
		});
		expect(errors[0].pairedItem).toEqual({ item: 1 });
	});

	it('with the older "Continue On Fail" flag (no On Error setting): the input item with its typed error, not the bare message', async () => {
		const [out] = await run(undefined);
		expect(out.map((i) => i.json)).toEqual([
			{ sku: 'A', written: true },
			{ sku: 'B', price: '2.00', error: expect.objectContaining({ message: 'Service unavailable', kind: 'transient', status: 503, retryable: true }) },
		]);
	});

	it('on the regular output: the input item with its typed error, in input order', async () => {
		const [out] = await run('continueRegularOutput');
		expect(out.map((i) => i.json)).toEqual([
			{ sku: 'A', written: true },
			{ sku: 'B', price: '2.00', error: expect.objectContaining({ kind: 'transient', status: 503, retryable: true }) },
		]);
	});
});

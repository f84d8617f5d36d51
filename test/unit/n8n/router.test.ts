import { NodeApiError, NodeOperationError, type INodeTypeDescription } from 'n8n-workflow';

import { CommerceError } from '../../../nodes/shared/core/http/errors';
import { InputError } from '../../../nodes/shared/n8n/errors';
import { route, type OperationMap } from '../../../nodes/shared/n8n/router';
import { fakeExecuteFunctions } from '../../helpers/fakeExecuteFunctions';

const description = {
	displayName: 'Test',
	name: 'test',
	defaults: { name: 'Test' },
	properties: [
		{ displayName: 'Resource', name: 'resource', type: 'options', default: 'stock', options: [] },
		{ displayName: 'Operation', name: 'operation', type: 'options', default: 'get', options: [] },
	],
} as unknown as INodeTypeDescription;

const items = [{ json: { sku: 'A' } }, { json: { sku: 'B' } }, { json: { sku: 'C' } }];

function ctx(params: Record<string, unknown>, continueOnFail = false) {
	return fakeExecuteFunctions({ description, inputs: items, params, continueOnFail });
}

const throttled = () =>
	new CommerceError({
		kind: 'rateLimited',
		message: 'Shopify throttled the request',
		system: 'shopify',
		status: 429,
		retryable: true,
		retryAfterMs: 2000,
		requestId: 'req-9',
	});

const operations: OperationMap = {
	stock: {
		get: {
			async execute(c) {
				if (c.item.json.sku === 'B') throw throttled();
				return { sku: c.item.json.sku, seen: true };
			},
		},
		expand: {
			async execute(c) {
				return [{ n: 1, sku: c.item.json.sku }, { n: 2, sku: c.item.json.sku }];
			},
		},
		bulk: {
			kind: 'batch',
			correlation: true,
			async execute(list) {
				// Answers out of order, and fails one item, as a bulk endpoint may.
				return [...list].reverse().map((c) =>
					c.item.json.sku === 'C'
						? { index: c.index, error: new InputError('quantity must be a whole number', 'quantity') }
						: { index: c.index, json: { sku: c.item.json.sku } },
				);
			},
		},
	},
};

describe('route', () => {
	it('dispatches and pairs every output row with its input item', async () => {
		const [out] = await route.call(ctx({ resource: 'stock', operation: 'expand' }), operations);
		expect(out.map((i) => [i.json.sku, i.json.n, i.pairedItem])).toEqual([
			['A', 1, { item: 0 }],
			['A', 2, { item: 0 }],
			['B', 1, { item: 1 }],
			['B', 2, { item: 1 }],
			['C', 1, { item: 2 }],
			['C', 2, { item: 2 }],
		]);
	});

	it('stops on the first failure with a NodeApiError naming the item and request id', async () => {
		const run = route.call(ctx({ resource: 'stock', operation: 'get' }), operations);
		await expect(run).rejects.toBeInstanceOf(NodeApiError);
		await expect(route.call(ctx({ resource: 'stock', operation: 'get' }), operations)).rejects.toThrow(
			/Shopify throttled the request \(request id req-9\) \[item 1\]/,
		);
	});

	it('with continue-on-fail emits an error item carrying the input and typed details', async () => {
		const [out] = await route.call(ctx({ resource: 'stock', operation: 'get' }, true), operations);
		expect(out).toHaveLength(3);
		// No NodeError on the item: n8n 2.x would replace its JSON with the bare message.
		expect(out[1].error).toBeUndefined();
		expect(out[1].json).toEqual({
			sku: 'B',
			error: {
				message: 'Shopify throttled the request (request id req-9)',
				kind: 'rateLimited',
				system: 'shopify',
				status: 429,
				retryable: true,
				retryAfterMs: 2000,
				requestId: 'req-9',
				itemIndex: 1,
			},
		});
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('runs batch operations, restores input order and reports per-item errors', async () => {
		const [out] = await route.call(
			ctx({ resource: 'stock', operation: 'bulk', correlationId: (i: number) => (i === 0 ? 'corr-a' : '') }, true),
			operations,
		);
		expect(out.map((i) => i.json.sku)).toEqual(['A', 'B', 'C']);
		expect(out[0].json.correlationId).toBe('corr-a');
		expect(out[1].json.correlationId).toMatch(/^[0-9a-f-]{36}$/);
		expect(out[2].error).toBeUndefined();
		expect(out[2].json.error).toMatchObject({ kind: 'validation', field: 'quantity', itemIndex: 2 });
	});

	it('refuses an unknown operation clearly', async () => {
		await expect(route.call(ctx({ resource: 'stock', operation: 'nope' }), operations)).rejects.toThrow(
			/operation "nope" is not supported for "stock"/,
		);
	});

	it('returns an empty output for empty input without calling the operation', async () => {
		const c = fakeExecuteFunctions({ description, inputs: [], params: { resource: 'stock', operation: 'get' } });
		await expect(route.call(c, operations)).resolves.toEqual([[]]);
	});
});

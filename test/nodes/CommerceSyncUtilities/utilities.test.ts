import { createHash } from 'node:crypto';

import { NodeOperationError } from 'n8n-workflow';

import { CommerceSyncUtilities } from '../../../nodes/CommerceSyncUtilities/CommerceSyncUtilities.node';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';

const node = new CommerceSyncUtilities();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function run(json: object[], params: Record<string, ParamValue>, continueOnFail = false) {
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs: json.map((j) => ({ json: j as never })),
		params,
		continueOnFail,
	});
	return node.execute.call(ctx);
}

describe('Commerce Sync Utilities', () => {
	it('adds a content key over the chosen fields, independent of field order', async () => {
		const [out] = await run(
			[
				{ sku: 'A-1', locationId: 'L1', target: 5, noise: 'x' },
				{ target: 5, locationId: 'L1', sku: 'A-1', noise: 'y' },
			],
			{ operation: 'idempotencyKey', fields: 'sku, locationId, target' },
		);
		const expected = sha('{"locationId":"L1","sku":"A-1","target":5}');
		expect(out.map((i) => i.json.idempotencyKey)).toEqual([expected, expected]);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(out[0].json.noise).toBe('x');
	});

	it('hashes the whole item when no fields are given, and scopes keys on request', async () => {
		const [plain] = await run([{ b: 2, a: 1 }], { operation: 'idempotencyKey' });
		expect(plain[0].json.idempotencyKey).toBe(sha('{"a":1,"b":2}'));
		const [scoped] = await run([{ b: 2, a: 1 }], { operation: 'idempotencyKey', scope: 'shopify:set', outputField: 'key' });
		expect(scoped[0].json.key).toBe(sha('{"scope":"shopify:set","value":{"a":1,"b":2}}'));
	});

	it('stops on a missing field naming the item and the field', async () => {
		await expect(run([{ sku: 'A' }, { other: 1 }], { operation: 'idempotencyKey', fields: 'sku' })).rejects.toThrow(
			NodeOperationError,
		);
		await expect(run([{ sku: 'A' }, { other: 1 }], { operation: 'idempotencyKey', fields: 'sku' })).rejects.toThrow(
			/no field "sku".*\[item 1\]/,
		);
	});

	it('with continue-on-fail, sends the bad item to the error output and keeps the rest', async () => {
		const [out] = await run(
			[{ sku: 'A' }, { other: 1 }, { sku: 'C' }],
			{ operation: 'idempotencyKey', fields: 'sku' },
			true,
		);
		expect(out).toHaveLength(3);
		expect(out[0].json.idempotencyKey).toBe(sha('{"sku":"A"}'));
		expect(out[1].error).toBeUndefined();
		expect(out[1].json).toMatchObject({
			other: 1,
			error: { kind: 'validation', field: 'sku', itemIndex: 1, retryable: false },
		});
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json.idempotencyKey).toBe(sha('{"sku":"C"}'));
	});

	it('keeps an existing correlation id and creates one where missing', async () => {
		const [out] = await run([{ correlationId: 'order-1001' }, {}], {
			operation: 'correlationId',
			correlationId: (_i: number, item: { json: { correlationId?: string } }) => item.json.correlationId ?? '',
		});
		expect(out[0].json.correlationId).toBe('order-1001');
		expect(out[1].json.correlationId).toMatch(/^[0-9a-f-]{36}$/);
	});
});

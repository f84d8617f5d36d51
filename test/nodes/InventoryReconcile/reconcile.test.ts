import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { InventoryReconcile } from '../../../nodes/InventoryReconcile/InventoryReconcile.node';
import { scopedIdempotencyKey } from '../../../nodes/shared/core/idempotency/key';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';

const node = new InventoryReconcile();
const now = new Date().toISOString();

function context(truth: IDataObject[], channels: IDataObject[] | null, params: Record<string, ParamValue> = {}): IExecuteFunctions {
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs: [truth.map((json) => ({ json })), (channels ?? []).map((json) => ({ json }))],
		params,
	});
	if (channels === null) {
		// n8n throws for an input that was never set (second input not connected).
		const inner = ctx.getInputData.bind(ctx);
		ctx.getInputData = ((index = 0) => {
			if (index === 1) throw new Error('Input index was not set');
			return inner(index);
		}) as IExecuteFunctions['getInputData'];
	}
	return ctx;
}

function run(truth: IDataObject[], channels: IDataObject[] | null, params: Record<string, ParamValue> = {}) {
	return node.execute.call(context(truth, channels, params)) as Promise<INodeExecutionData[][]>;
}

describe('Inventory Reconcile node', () => {
	const truth = [
		{ sku: 'TEE-S', locationId: 'WH1', quantities: { onHand: 12, committed: 2, reserved: 1 }, source: 'netsuite', asOf: now },
		{ sku: 'TEE-M', locationId: 'WH1', onHand: 5, committed: 0, reserved: 0, asOf: now },
	];
	const channels = [
		{ channel: 'shopify', sku: 'TEE-S', locationId: 'WH1', inventoryItemId: 'gid://shopify/InventoryItem/1', quantities: { available: 4 } },
		{ channel: 'shopify', sku: 'TEE-M', locationId: 'WH1', inventoryItemId: 'gid://shopify/InventoryItem/2', quantities: { available: 5 } },
		{ channel: 'shopify', sku: 'GHOST', locationId: 'WH1', quantities: { available: 1 } },
	];

	it('declares two inputs and four outputs in the documented order', () => {
		expect(node.description).toMatchObject({
			name: 'inventoryReconcile',
			usableAsTool: true,
			group: ['transform'],
			inputNames: ['Truth', 'Channels'],
			outputNames: ['Adjustments', 'In Sync', 'Exceptions', 'Summary'],
		});
		expect(node.description.outputs).toHaveLength(4);
	});

	it('reads our stock rows with no mapping and fills the four outputs', async () => {
		const [adjustments, inSync, exceptions, summary] = await run(truth, channels);
		expect(adjustments.map((a) => a.json)).toEqual([
			{
				inventoryItemId: 'gid://shopify/InventoryItem/1',
				channel: 'shopify',
				sku: 'TEE-S',
				locationId: 'WH1',
				target: 9,
				current: 4,
				delta: 5,
				reason: 'available to sell 9 = on hand 12 - committed 2 - reserved 1 - safety 0 at WH1',
				idempotencyKey: scopedIdempotencyKey('inventoryReconcile', { channel: 'shopify', sku: 'TEE-S', locationId: 'WH1', target: 9, current: 4 }),
				atp: 9,
				truthLocationIds: ['WH1'],
			},
		]);
		expect(adjustments[0].pairedItem).toEqual([
			{ item: 0, input: 0 },
			{ item: 0, input: 1 },
		]);
		expect(inSync.map((s) => s.json)).toEqual([{ inventoryItemId: 'gid://shopify/InventoryItem/2', channel: 'shopify', sku: 'TEE-M', locationId: 'WH1', target: 5, current: 5 }]);
		expect(inSync[0].pairedItem).toEqual([
			{ item: 1, input: 0 },
			{ item: 1, input: 1 },
		]);
		expect(exceptions.map((e) => [e.json.kind, e.json.sku])).toEqual([['unknownSkuInTruth', 'GHOST']]);
		expect(exceptions[0].pairedItem).toEqual({ item: 2, input: 1 });
		expect(summary[0].json).toMatchObject({ truthRows: 2, channelRows: 3, adjustments: 1, inSync: 1, exceptions: 1, driftUnits: { shopify: 5 }, worstSkus: [{ sku: 'TEE-S', driftUnits: 5, adjustments: 1 }] });
		expect(summary[0].pairedItem).toEqual([
			{ item: 0, input: 0 },
			{ item: 1, input: 0 },
			{ item: 0, input: 1 },
			{ item: 1, input: 1 },
			{ item: 2, input: 1 },
		]);
	});

	it('attaches a readable HTML drift report to the summary as binary "data"', async () => {
		const [, , , summary] = await run(truth, channels, { reportTitle: 'Nightly <check>' });
		const report = summary[0].binary?.data;
		expect(report).toMatchObject({ mimeType: 'text/html', fileName: 'drift-report.html' });
		const html = Buffer.from(report?.data as string, 'base64').toString('utf8');
		expect(html).toContain('<title>Nightly &lt;check&gt;</title>');
		expect(html).toContain('<td>shopify</td><td>TEE-S</td><td>WH1</td><td class="n">4</td><td class="n">9</td><td class="n up">+5</td>');
		expect(html).toContain('A channel lists a SKU the source of truth does not have');
		expect(html).toContain('GHOST');
		expect(html).not.toMatch(/<script/i);
	});

	it('applies parameters: safety stock, per-channel share, location mapping table and JSON', async () => {
		const [adjustments, , exceptions] = await run(
			[
				{ sku: 'A', locationId: 'WH1', onHand: 10 },
				{ sku: 'A', locationId: 'WH2', onHand: 10 },
			],
			[
				{ channel: 'amazon', sku: 'A', locationId: 'DEFAULT', quantities: { available: 0 } },
				{ channel: 'amazon', sku: 'A', locationId: 'OTHER', quantities: { available: 0 } },
				{ channel: 'ebay', sku: 'A', locationId: 'US', quantities: { available: 0 } },
			],
			{
				safetyStock: 2,
				channelAllocations: { channel: [{ channel: 'amazon', mode: 'share', value: 50 }] },
				locationMappings: { mapping: [{ channel: 'amazon', channelLocationId: 'DEFAULT', truthLocationIds: 'WH1, WH2' }] },
				locationMappingsJson: '[{"channel": "ebay", "channelLocationId": "US", "truthLocationIds": ["WH2"]}]',
			},
		);
		// amazon: (10 + 10 − 2) × 50 % = 9; ebay: 10 − 2 = 8 at WH2 only
		expect(adjustments.map((a) => [a.json.channel, a.json.locationId, a.json.target])).toEqual([
			['amazon', 'DEFAULT', 9],
			['ebay', 'US', 8],
		]);
		expect(exceptions.map((e) => [e.json.kind, e.json.index])).toEqual([['missingLocationMapping', 1]]);
	});

	it('reads custom field paths, per-row rules and flat quantities', async () => {
		const [adjustments] = await run(
			[{ item: { code: 'A' }, wh: 'E', stock: { physical: 10 }, sold: 3 }],
			[{ shop: 'etsy', item: { code: 'A' }, wh: 'E', listed: 1, rule: 'cap:4', listingId: 'L-1' }],
			{ skuField: 'item.code', locationField: 'wh', onHandField: 'stock.physical', committedField: 'sold', channelField: 'shop', currentField: 'listed', allocationField: 'rule' },
		);
		expect(adjustments.map((a) => a.json)).toEqual([expect.objectContaining({ channel: 'etsy', sku: 'A', locationId: 'E', target: 4, current: 1, listingId: 'L-1' })]);
	});

	it('never lets a passed-through field overwrite the plan', async () => {
		const [adjustments] = await run([{ sku: 'A', locationId: 'WH1', onHand: 3 }], [{ channel: 'shopify', sku: 'A', locationId: 'WH1', available: 0, target: 999 }], { passThroughFields: 'target' });
		expect(adjustments[0].json.target).toBe(3);
	});

	it('refuses malformed JSON and impossible allocations clearly', async () => {
		await expect(run(truth, channels, { bundlesJson: '{oops' })).rejects.toThrow('The bundle definitions are not valid JSON');
		await expect(run(truth, channels, { locationMappingsJson: '{"channel": "x"}' })).rejects.toThrow('The location mapping JSON must be a list');
		await expect(run(truth, channels, { allocationMode: 'share', allocationValue: 150 })).rejects.toThrow('Allocation: a share must be a percentage from 0 to 100, got 150');
		await expect(run(truth, channels, { channelAllocations: { channel: [{ channel: '', mode: 'cap', value: 1 }] } })).rejects.toThrow('A per-channel allocation has no channel name');
	});

	it('applies bundles from the JSON parameter', async () => {
		const [adjustments] = await run(
			[
				{ sku: 'MUG', locationId: 'WH1', onHand: 9 },
				{ sku: 'TEA', locationId: 'WH1', onHand: 20 },
			],
			[{ channel: 'shopify', sku: 'GIFT', locationId: 'WH1', available: 0 }],
			{ bundlesJson: '{"GIFT": [{"sku": "MUG", "quantity": 2}, {"sku": "TEA", "quantity": 3}]}' },
		);
		expect(adjustments[0].json).toMatchObject({ sku: 'GIFT', target: 4 });
		expect(adjustments[0].pairedItem).toEqual([
			{ item: 0, input: 0 },
			{ item: 1, input: 0 },
			{ item: 0, input: 1 },
		]);
	});

	it('refuses a stale snapshot read from ISO times in the items', async () => {
		const old = new Date(Date.now() - 2 * 3_600_000).toISOString();
		const [adjustments, , exceptions] = await run([{ sku: 'A', locationId: 'WH1', onHand: 3, asOf: old }], [{ channel: 'shopify', sku: 'A', locationId: 'WH1', available: 9 }], { staleAfterMinutes: 60 });
		expect(adjustments).toEqual([]);
		expect(exceptions.map((e) => e.json.kind)).toEqual(['staleSnapshot']);
	});

	it('works with an empty or unconnected channel input (nothing to compare)', async () => {
		for (const channelInput of [[], null]) {
			const [adjustments, inSync, exceptions, summary] = await run(truth, channelInput);
			expect([adjustments.length, inSync.length, exceptions.length]).toEqual([0, 0, 0]);
			expect(summary[0].json).toMatchObject({ truthRows: 2, channelRows: 0 });
		}
	});
});

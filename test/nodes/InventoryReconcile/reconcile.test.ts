import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { InventoryReconcile } from '../../../nodes/InventoryReconcile/InventoryReconcile.node';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';

const node = new InventoryReconcile();
const now = new Date().toISOString();

function run(truth: IDataObject[], channels: IDataObject[], params: Record<string, ParamValue> = {}) {
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs: [truth.map((json) => ({ json })), channels.map((json) => ({ json }))],
		params,
	});
	return node.execute.call(ctx) as Promise<INodeExecutionData[][]>;
}

describe('Inventory Reconcile node', () => {
	const truth = [
		{ sku: 'TEE-S', locationId: 'WH1', quantities: { onHand: 12, committed: 2, reserved: 1 }, source: 'netsuite', asOf: now },
		{ sku: 'TEE-M', locationId: 'WH1', onHand: 5, committed: 0, reserved: 0, asOf: now },
	];
	const channels = [
		{ channel: 'shopify', sku: 'TEE-S', locationId: 'WH1', inventoryItemId: 'gid://shopify/InventoryItem/1', quantities: { available: 4 } },
		{ channel: 'shopify', sku: 'TEE-M', locationId: 'WH1', quantities: { available: 5 } },
		{ channel: 'shopify', sku: 'GHOST', locationId: 'WH1', quantities: { available: 1 } },
	];

	it('reads our stock rows with no mapping and fills the four outputs', async () => {
		const [adjustments, inSync, exceptions, summary] = await run(truth, channels);
		expect(adjustments.map((a) => a.json)).toEqual([
			expect.objectContaining({ channel: 'shopify', sku: 'TEE-S', locationId: 'WH1', target: 9, current: 4, delta: 5, inventoryItemId: 'gid://shopify/InventoryItem/1', idempotencyKey: expect.stringMatching(/^[0-9a-f]{64}$/) }),
		]);
		expect(adjustments[0].pairedItem).toEqual([{ item: 0, input: 0 }, { item: 0, input: 1 }]);
		expect(inSync.map((s) => s.json.sku)).toEqual(['TEE-M']);
		expect(exceptions.map((e) => [e.json.kind, e.json.sku])).toEqual([['unknownSkuInTruth', 'GHOST']]);
		expect(exceptions[0].pairedItem).toEqual({ item: 2, input: 1 });
		expect(summary[0].json).toMatchObject({ adjustments: 1, inSync: 1, exceptions: 1, driftUnits: { shopify: 5 } });
	});

	it('attaches a readable HTML drift report to the summary', async () => {
		const [, , , summary] = await run(truth, channels, { reportTitle: 'Nightly <check>' });
		const report = summary[0].binary?.report;
		expect(report?.mimeType).toBe('text/html');
		const html = Buffer.from(report?.data as string, 'base64').toString('utf8');
		expect(html).toContain('<title>Nightly &lt;check&gt;</title>');
		expect(html).toContain('TEE-S');
		expect(html).toContain('GHOST');
		expect(html).not.toMatch(/<script/i);
	});

	it('applies parameters: safety stock, per-channel share, location mapping', async () => {
		const [adjustments, , exceptions] = await run(
			[{ sku: 'A', locationId: 'WH1', onHand: 10 }, { sku: 'A', locationId: 'WH2', onHand: 10 }],
			[{ channel: 'amazon', sku: 'A', locationId: 'DEFAULT', quantities: { available: 0 } }, { channel: 'amazon', sku: 'A', locationId: 'OTHER', quantities: { available: 0 } }],
			{
				safetyStock: 2,
				channelAllocations: { channel: [{ channel: 'amazon', mode: 'share', value: 50 }] },
				locationMappings: { mapping: [{ channel: 'amazon', channelLocationId: 'DEFAULT', truthLocationIds: 'WH1, WH2' }] },
			},
		);
		// (10 + 10 − 2) × 50 % = 9
		expect(adjustments.map((a) => [a.json.locationId, a.json.target])).toEqual([['DEFAULT', 9]]);
		expect(exceptions.map((e) => e.json.kind)).toEqual(['missingLocationMapping']);
	});

	it('refuses malformed bundle JSON clearly', async () => {
		await expect(run(truth, channels, { bundlesJson: '{oops' })).rejects.toThrow(/bundle definitions are not valid JSON/);
	});

	it('works with an empty channel input (nothing to compare)', async () => {
		const [adjustments, inSync, exceptions, summary] = await run(truth, []);
		expect([adjustments.length, inSync.length, exceptions.length]).toEqual([0, 0, 0]);
		expect(summary[0].json).toMatchObject({ truthRows: 2, channelRows: 0 });
	});
});

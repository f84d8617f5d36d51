import { type IDataObject, type IHttpRequestOptions } from 'n8n-workflow';

import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { fakeExecuteFunctions } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';
import { node, shopifySandbox } from './helpers';

const read = (extra: Record<string, unknown>) => ({
	resource: 'inventory',
	operation: 'getLevels',
	location: '',
	onUnknownSku: 'error',
	maxLevels: 10,
	...extra,
});

describe('Shopify Get Levels by inventory item, and repeated SKUs', () => {
	let s: Awaited<ReturnType<typeof shopifySandbox>>;

	beforeAll(async () => {
		s = await shopifySandbox({ seed: 'node-tests-by-item', skus: 12, locations: 3 });
	});
	afterAll(async () => {
		await s.close();
	});
	beforeEach(() => s.reset());

	it('reads the levels of inventory items given as numbers (as a webhook sends them) or GIDs, in one call', async () => {
		const [a] = s.levels();
		const b = s.levels().find((l) => l.sku !== a.sku)!;
		const before = s.mutations().length;
		const numeric = a.inventoryItemId.split('/').pop()!;
		const out = await s.run(
			read({ readBy: 'inventoryItem', inventoryItemIds: (_i: number, item: { json: { id: string } }) => item.json.id }),
			[{ id: numeric }, { id: b.inventoryItemId }],
		);
		expect(s.mutations().length - before).toBe(1);
		const rows = out.map((r) => r.json as { sku: string; locationId: string; inventoryItemId: string; quantities: { available: number } });
		for (const sku of [a.sku, b.sku]) {
			const expected = s.levels().filter((l) => l.sku === sku);
			expect(rows.filter((r) => r.sku === sku)).toHaveLength(expected.length);
			for (const level of expected) {
				const row = rows.find((r) => r.sku === sku && r.locationId === level.locationId)!;
				expect(row).toMatchObject({ inventoryItemId: level.inventoryItemId, quantities: { available: level.quantities.available } });
			}
		}
		expect(out.filter((r) => r.json.sku === a.sku).every((r) => (r.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('reads only the chosen location of an inventory item', async () => {
		const [a] = s.levels();
		const out = await s.run(read({ readBy: 'inventoryItem', inventoryItemIds: a.inventoryItemId, location: a.locationId }), [{}]);
		expect(out.map((r) => [r.json.sku, r.json.locationId])).toEqual([[a.sku, a.locationId]]);
	});

	it('fails only the item with an unknown inventory item, or skips it when asked', async () => {
		const [a] = s.levels();
		const items = [{ id: '999999999' }, { id: a.inventoryItemId }];
		const ids = (_i: number, item: { json: { id: string } }) => item.json.id;
		const failed = await s.run(read({ readBy: 'inventoryItem', inventoryItemIds: ids }), items, { continueOnFail: true });
		expect(failed[0].error).toBeUndefined();
		expect(failed[0].json.error).toMatchObject({ field: 'inventoryItemIds', message: expect.stringContaining('gid://shopify/InventoryItem/999999999') });
		expect(failed.slice(1).every((r) => r.json.sku === a.sku)).toBe(true);
		const skipped = await s.run(read({ readBy: 'inventoryItem', inventoryItemIds: ids, onUnknownSku: 'skip' }), items);
		expect(skipped.length).toBe(s.levels().filter((l) => l.sku === a.sku).length);
	});

	it('gives each level once when an item names the same SKU twice', async () => {
		const [a] = s.levels();
		const out = await s.run(read({ readBy: 'sku', skus: [a.sku, a.sku, ` ${a.sku} `] }), [{}]);
		const expected = s.levels().filter((l) => l.sku === a.sku);
		expect(out).toHaveLength(expected.length);
		expect(new Set(out.map((r) => r.json.locationId)).size).toBe(expected.length);
	});

	it('reads only the available quantity when asked, in every read mode, and says so in the query', async () => {
		const [a] = s.levels();
		const creds = s.credentials();
		const run = async (params: Record<string, unknown>) => {
			const sent: IDataObject[] = [];
			const http = n8nHttpHelpers({ shopifyAdminGraphqlApi: creds });
			resetSystemLimiters();
			const ctx = fakeExecuteFunctions({
				description: node.description,
				inputs: [{ json: {} }],
				params: { resource: 'inventory', operation: 'getLevels', location: '', onUnknownSku: 'error', maxLevels: 3, returnAll: true, ...params },
				credentials: { shopifyAdminGraphqlApi: creds },
				helpers: {
					...http,
					async httpRequestWithAuthentication(this: unknown, type: string, options: IHttpRequestOptions) {
						sent.push(options.body as IDataObject);
						return await http.httpRequestWithAuthentication.call(this, type, options);
					},
				} as never,
				node: { credentials: { shopifyAdminGraphqlApi: { id: 'test', name: 'sandbox' } } },
			});
			const out = (await node.execute.call(ctx))[0];
			return { rows: out.map((r) => r.json as { quantities: Record<string, number> }), names: sent.map((b) => (b.variables as IDataObject | undefined)?.names).filter(Boolean) };
		};
		for (const params of [
			{ readBy: 'sku', skus: a.sku },
			{ readBy: 'inventoryItem', inventoryItemIds: a.inventoryItemId },
			{ readBy: 'location', location: a.locationId },
		]) {
			const cheap = await run({ ...params, quantities: 'available' });
			expect(cheap.rows.length).toBeGreaterThan(0);
			expect(cheap.rows.every((r) => Object.keys(r.quantities).join() === 'available')).toBe(true);
			expect(cheap.names).toEqual(cheap.names.map(() => ['available']));
			const all = await run(params);
			expect(Object.keys(all.rows[0].quantities).sort()).toEqual(['available', 'committed', 'incoming', 'onHand', 'reserved']);
		}
		const level = s.level(a.sku, a.locationId);
		const one = await run({ readBy: 'sku', skus: a.sku, location: a.locationId, quantities: 'available' });
		expect(one.rows).toHaveLength(1);
		expect(one.rows[0].quantities.available).toBe(level.quantities.available);
	});
});

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { NetSuite } from '../../../nodes/NetSuite/NetSuite.node';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { NETSUITE_SANDBOX_ACCOUNT } from '../../../sandbox/systems/netsuite';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

let sandbox: Sandbox;
const node = new NetSuite();

beforeAll(async () => {
	sandbox = await startSandbox({
		port: 0,
		systems: ['netsuite'],
		seed: { seed: 'ns-node', skus: 40, locations: 3 },
	});
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
});

function creds(extra: IDataObject = {}): IDataObject {
	return {
		...NETSUITE_SANDBOX_ACCOUNT,
		concurrency: 5,
		baseUrl: sandbox.urlFor('netsuite'),
		...extra,
	};
}

async function run(
	params: Record<string, ParamValue>,
	inputs: INodeExecutionData[] = [{ json: {} }],
	options: { continueOnFail?: boolean; credentials?: IDataObject } = {},
) {
	const credentials = { netSuiteTbaApi: options.credentials ?? creds() };
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs,
		params: { correlationId: '', ...params },
		continueOnFail: options.continueOnFail,
		credentials,
		helpers: n8nHttpHelpers(credentials) as never,
	});
	return (await node.execute.call(ctx))[0];
}

const state = () =>
	sandbox.state('netsuite') as {
		transactions: Array<{ type: string; externalId: string; memo: string }>;
		locations: Array<{ id: number }>;
	};

describe('NetSuite node: stock', () => {
	it('reads stock for every item at every location as stock rows', async () => {
		const out = await run({ resource: 'stock', operation: 'getLevels', locationIds: '', skus: '' });
		const catalog = sandbox.catalog()!;
		expect(out).toHaveLength(40 * 3);
		const bySku = new Map(catalog.items.map((i) => [i.sku, i]));
		for (const { json } of out) {
			const item = bySku.get(json.sku as string)!;
			const level = item.stock.find((s) => s.locationId === json.locationId)!;
			expect(json).toMatchObject({
				source: 'netsuite',
				quantities: {
					onHand: level.onHand,
					committed: level.committed,
					available: level.onHand - level.committed,
					reserved: 0,
					incoming: level.incoming,
				},
			});
			expect(typeof json.itemId).toBe('string');
		}
	});

	it('filters by SKU and location', async () => {
		const catalog = sandbox.catalog()!;
		const skus = catalog.items.slice(0, 2).map((i) => i.sku);
		const location = catalog.locations[1].id;
		const out = await run({
			resource: 'stock',
			operation: 'getLevels',
			locationIds: location,
			skus: skus.join(', '),
		});
		expect(out.map((o) => [o.json.sku, o.json.locationId]).sort()).toEqual(
			skus.map((s) => [s, location]).sort(),
		);
	});

	it('retries 429 CONCURRENCY_LIMIT_EXCEEDED and still reads everything when the account cap is lower than the credential says', async () => {
		sandbox.configureLimit('netsuite', 'concurrency', { max: 1 });
		sandbox.setFaults('netsuite', { latency: { fixedMs: 40 } });
		try {
			const out = await run(
				{ resource: 'stock', operation: 'getLevels', locationIds: '', skus: '' },
				undefined,
				{ credentials: creds({ concurrency: 4 }) },
			);
			expect(out).toHaveLength(120);
			const limited = sandbox.requests({ system: 'netsuite' }).filter((r) => r.status === 429);
			expect(limited.length).toBeGreaterThan(0);
		} finally {
			sandbox.clearFaults('netsuite');
			sandbox.configureLimit('netsuite', 'concurrency', { max: 15 });
		}
	}, 30_000);
});

describe('NetSuite node: SuiteQL', () => {
	it('pages a query by keyset and by offset with the same rows, and honours the limit', async () => {
		const keyset = await run({
			resource: 'suiteql',
			operation: 'query',
			query: "SELECT id, itemid FROM item WHERE isinactive = 'F'",
			paging: 'keyset',
			keyColumn: 'id',
			returnAll: true,
		});
		const offset = await run({
			resource: 'suiteql',
			operation: 'query',
			query: 'SELECT id, itemid FROM item ORDER BY id',
			paging: 'offset',
			returnAll: true,
		});
		expect(keyset.map((o) => o.json)).toEqual(offset.map((o) => o.json));
		expect(keyset).toHaveLength(40);
		const limited = await run({
			resource: 'suiteql',
			operation: 'query',
			query: 'SELECT id FROM item',
			paging: 'keyset',
			keyColumn: 'id',
			returnAll: false,
			limit: 7,
		});
		expect(limited).toHaveLength(7);
	});

	it('turns a bad query into an error naming NetSuite’s reason', async () => {
		await expect(
			run({
				resource: 'suiteql',
				operation: 'query',
				query: 'SELECT nope FROM item',
				paging: 'offset',
				returnAll: true,
			}),
		).rejects.toThrow(/Field 'nope'/);
	});
});

describe('NetSuite node: writes', () => {
	const orderParams = (lines: unknown) => ({
		resource: 'salesOrder',
		operation: 'upsert',
		externalId: (i: number, item: INodeExecutionData) => item.json.orderId,
		customerId: '501',
		subsidiaryId: '1',
		locationId: '',
		tranDate: '',
		otherRefNum: '',
		memo: '',
		lines,
		correlationId: (i: number, item: INodeExecutionData) => item.json.correlationId ?? '',
	});

	async function firstItemId(): Promise<string> {
		const out = await run({
			resource: 'suiteql',
			operation: 'query',
			query: 'SELECT id FROM item',
			paging: 'keyset',
			keyColumn: 'id',
			returnAll: false,
			limit: 1,
		});
		return out[0].json.id as string;
	}

	it('creates a sales order once when the same item is sent twice, carrying the correlation id', async () => {
		const itemId = await firstItemId();
		const input = [{ json: { orderId: 'SHOP-1001', correlationId: 'corr-77' } }];
		const first = await run(orderParams([{ itemId, quantity: 1, rate: 10 }]), input);
		const second = await run(orderParams([{ itemId, quantity: 1, rate: 10 }]), input);
		expect(first[0].json).toMatchObject({
			externalId: 'SHOP-1001',
			correlationId: 'corr-77',
			upserted: true,
		});
		expect(second[0].json.id).toBe(first[0].json.id);
		const orders = state().transactions.filter((t) => t.type === 'SalesOrd');
		expect(orders).toHaveLength(1);
		expect(orders[0].memo).toBe('Commerce Sync correlation corr-77');
		const status = await run({
			resource: 'salesOrder',
			operation: 'getStatus',
			findBy: 'externalId',
			value: 'SHOP-1001',
		});
		expect(status[0].json).toMatchObject({
			id: first[0].json.id,
			status: 'Pending Fulfillment',
			fulfilments: [],
		});
	});

	it('dry run outputs the request and sends nothing', async () => {
		const itemId = await firstItemId();
		sandbox.clearRequests('netsuite');
		const out = await run({ ...orderParams([{ itemId, quantity: 2 }]), dryRun: true }, [
			{ json: { orderId: 'SHOP-2', correlationId: 'c' } },
		]);
		expect(out[0].json).toMatchObject({
			dryRun: true,
			request: {
				method: 'PUT',
				path: '/services/rest/record/v1/salesOrder/eid:SHOP-2',
				body: { entity: { id: '501' } },
			},
			correlationId: 'c',
		});
		expect(sandbox.requests({ system: 'netsuite' })).toHaveLength(0);
	});

	it('names the item and field for bad input, and with continue-on-fail lets the good items through', async () => {
		const itemId = await firstItemId();
		const inputs = [
			{ json: { orderId: 'SHOP-A', lines: [{ itemId, quantity: 1 }] } },
			{ json: { orderId: 'SHOP-B', lines: [{ itemId, quantity: -3 }] } },
		];
		const params = orderParams((i: number, item: INodeExecutionData) => item.json.lines);
		await expect(run(params, inputs)).rejects.toThrow(/lines\[0\]\.quantity.*\[item 1\]/);
		const out = await run(params, inputs, { continueOnFail: true });
		expect(out[0].json).toMatchObject({ externalId: 'SHOP-A' });
		expect(out[1].json.error).toMatchObject({
			kind: 'validation',
			field: 'lines[0].quantity',
			itemIndex: 1,
		});
	});

	it('maps NetSuite field errors to clear messages', async () => {
		await expect(
			run(orderParams([{ itemId: '999999', quantity: 1 }]), [{ json: { orderId: 'SHOP-X' } }]),
		).rejects.toThrow(/field "item.items\[0\].item", code INVALID_KEY_OR_REF/);
	});

	it('applies an inventory adjustment once when sent twice, and upserts and reads items', async () => {
		const itemId = await firstItemId();
		const location = String(state().locations[0].id);
		const params = {
			resource: 'inventoryAdjustment',
			operation: 'create',
			subsidiaryId: '1',
			accountId: '120',
			locationId: location,
			lines: [{ itemId, adjustQtyBy: 5 }],
			memo: '',
			externalId: '',
		};
		const a = await run(params);
		const b = await run(params);
		expect(b[0].json.externalId).toBe(a[0].json.externalId);
		expect(state().transactions.filter((t) => t.type === 'InvAdjst')).toHaveLength(1);

		const upsert = {
			resource: 'item',
			operation: 'upsert',
			externalId: 'EXT-9',
			sku: 'NEW-9',
			displayName: 'Nine',
			upcCode: '',
			salesDescription: '',
			additionalFields: '{}',
		};
		const up = await run(upsert);
		expect(up[0].json).toMatchObject({ externalId: 'EXT-9', sku: 'NEW-9' });
		const got = await run({
			resource: 'item',
			operation: 'get',
			findBy: 'externalId',
			value: 'EXT-9',
		});
		expect(got[0].json).toMatchObject({ id: up[0].json.id, sku: 'NEW-9', displayName: 'Nine' });
		const bySku = await run({ resource: 'item', operation: 'get', findBy: 'sku', value: 'NEW-9' });
		expect(bySku[0].json.id).toBe(up[0].json.id);
	});

	it('fails at once on a bad TBA secret with a hint, without retrying', async () => {
		sandbox.clearRequests('netsuite');
		await expect(
			run({ resource: 'stock', operation: 'getLevels', locationIds: '', skus: '' }, undefined, {
				credentials: creds({ tokenSecret: 'wrong' }),
			}),
		).rejects.toThrow(/INVALID_LOGIN/);
		const sent = sandbox.requests({ system: 'netsuite' });
		expect(sent.every((r) => r.status === 401)).toBe(true);
		expect(sent.length).toBeLessThanOrEqual(2);
	});
});

describe('NetSuite node: pickers', () => {
	it('lists and filters locations for the location pickers', async () => {
		const credentials = { netSuiteTbaApi: creds() };
		const ctx = {
			getNode: () => ({
				id: 'n',
				name: 'NetSuite ERP',
				type: 'netSuite',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
			getCredentials: async () => credentials.netSuiteTbaApi,
			helpers: n8nHttpHelpers(credentials),
		} as never;
		const all = await node.methods.listSearch.searchLocations.call(ctx);
		const catalog = sandbox.catalog()!;
		expect(all.results.map((r) => r.value)).toEqual(
			catalog.locations.map((l) => l.id).sort((a, b) => Number(a) - Number(b)),
		);
		const one = await node.methods.listSearch.searchLocations.call(
			ctx,
			catalog.locations[0].name.slice(0, 6),
		);
		expect(one.results.length).toBeGreaterThanOrEqual(1);
		expect((await node.methods.loadOptions.getLocations.call(ctx)).length).toBe(3);
	});
});

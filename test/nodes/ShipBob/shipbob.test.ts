import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ShipBob } from '../../../nodes/ShipBob/ShipBob.node';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { SHIPBOB_SANDBOX_TOKEN } from '../../../sandbox/systems/shipbob';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

let sandbox: Sandbox;
const node = new ShipBob();

beforeAll(async () => {
	sandbox = await startSandbox({
		port: 0,
		systems: ['shipbob'],
		seed: { seed: 'sb-node', skus: 30, locations: 2 },
	});
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
});

async function run(
	params: Record<string, ParamValue>,
	inputs: INodeExecutionData[] = [{ json: {} }],
	options: { continueOnFail?: boolean; credentials?: IDataObject } = {},
) {
	const credentials = {
		shipBobApi: {
			accessToken: SHIPBOB_SANDBOX_TOKEN,
			apiVersion: '2026-01',
			environment: 'production',
			channelId: '',
			baseUrl: sandbox.urlFor('shipbob'),
			...options.credentials,
		},
	};
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

const orderParams = {
	resource: 'order',
	operation: 'create',
	referenceId: (_i: number, item: INodeExecutionData) => item.json.orderId,
	orderNumber: '',
	shippingMethod: 'Standard',
	type: 'DTC',
	recipient: {
		name: 'Ada Lovelace',
		address: { address1: '1 Main St', city: 'Reno', country: 'US', zip_code: '89501' },
	},
	products: (_i: number, item: INodeExecutionData) => item.json.products,
	locationId: '',
	correlationId: (_i: number, item: INodeExecutionData) => item.json.correlationId ?? '',
};

describe('ShipBob node', () => {
	it('reads stock per fulfillment center across pages, as stock rows', async () => {
		const out = await run({
			resource: 'inventory',
			operation: 'getMany',
			locationId: '',
			search: '',
			pageSize: 7,
			returnAll: true,
		});
		expect(out).toHaveLength(30 * 2);
		const catalog = sandbox.catalog()!;
		for (const { json } of out) {
			const level = catalog.items
				.find((i) => i.sku === json.sku)!
				.stock.find((s) => s.locationId === json.locationId)!;
			expect(json.quantities).toEqual({
				onHand: level.onHand,
				committed: level.committed + level.reserved,
				available: Math.max(0, level.onHand - level.committed - level.reserved),
				reserved: 0,
				incoming: level.incoming,
			});
			expect(json.source).toBe('shipbob');
		}
		const limited = await run({
			resource: 'inventory',
			operation: 'getMany',
			locationId: '',
			search: '',
			pageSize: 7,
			returnAll: false,
			limit: 3,
		});
		expect(limited).toHaveLength(3 * 2);
	});

	it('creates an order exactly once when run twice, returning the existing order the second time', async () => {
		const sku = sandbox.catalog()!.items[0].sku;
		const input = [
			{
				json: {
					orderId: 'SHOP-5001',
					correlationId: 'corr-5',
					products: [{ referenceId: sku, quantity: 1 }],
				},
			},
		];
		const first = await run(orderParams, input);
		const second = await run(orderParams, input);
		expect(first[0].json).toMatchObject({
			created: true,
			referenceId: 'SHOP-5001',
			correlationId: 'corr-5',
		});
		expect(second[0].json).toMatchObject({ created: false, id: first[0].json.id });
		expect((sandbox.state('shipbob') as { orders: unknown[] }).orders).toHaveLength(1);
		const got = await run({
			resource: 'order',
			operation: 'get',
			findBy: 'referenceId',
			value: 'SHOP-5001',
		});
		expect(got[0].json).toMatchObject({ id: first[0].json.id, status: 'Processing' });
		const shipments = await run({
			resource: 'order',
			operation: 'getShipments',
			findBy: 'id',
			value: first[0].json.id,
		});
		expect(shipments).toHaveLength(1);
		expect(shipments[0].json).toMatchObject({ orderId: first[0].json.id, status: 'Processing' });
	});

	it('dry run sends nothing; bad input names the item and field', async () => {
		sandbox.clearRequests('shipbob');
		const dry = await run({ ...orderParams, dryRun: true }, [
			{ json: { orderId: 'SHOP-D', products: [{ sku: 'X', quantity: 2 }] } },
		]);
		expect(dry[0].json).toMatchObject({
			dryRun: true,
			request: { method: 'POST', path: '/order', body: { reference_id: 'SHOP-D' } },
		});
		expect(sandbox.requests({ system: 'shipbob' })).toHaveLength(0);
		const inputs = [{ json: { orderId: 'SHOP-Q', products: [{ sku: 'X', quantity: 0 }] } }];
		await expect(run(orderParams, inputs)).rejects.toThrow(/products\[0\]\.quantity.*\[item 0\]/);
		const out = await run(orderParams, inputs, { continueOnFail: true });
		expect(out[0].json.error).toMatchObject({ kind: 'validation', field: 'products[0].quantity' });
	});

	it('waits out a 429 for x-retry-after and carries on', async () => {
		sandbox.setFaults('shipbob', { burst429: { length: 1, retryAfterSeconds: 1, start: true } });
		try {
			const out = await run({
				resource: 'product',
				operation: 'getMany',
				sku: '',
				returnAll: true,
			});
			expect(out).toHaveLength(30);
			const statuses = sandbox.requests({ system: 'shipbob' }).map((r) => r.status);
			expect(statuses[0]).toBe(429);
		} finally {
			sandbox.clearFaults('shipbob');
		}
	}, 15_000);

	it('speaks API version 2025-07 as well', async () => {
		const sku = sandbox.catalog()!.items[1].sku;
		const input = [{ json: { orderId: 'SHOP-OLD', products: [{ referenceId: sku, quantity: 1 }] } }];
		const out = await run(orderParams, input, { credentials: { apiVersion: '2025-07' } });
		expect(out[0].json).toMatchObject({ created: true, referenceId: 'SHOP-OLD' });
		expect(sandbox.requests({ system: 'shipbob' }).at(-1)?.path).toBe('/2025-07/order');
	});

	it('fails at once on a bad token without retrying', async () => {
		sandbox.clearRequests('shipbob');
		await expect(
			run({ resource: 'product', operation: 'getMany', sku: '', returnAll: true }, undefined, {
				credentials: { accessToken: 'wrong-token' },
			}),
		).rejects.toThrow(/401/);
		expect(sandbox.requests({ system: 'shipbob' })).toHaveLength(1);
	});
});

describe('ShipBob node: pickers', () => {
	it('lists fulfillment centers for the pickers', async () => {
		const credentials = {
			shipBobApi: {
				accessToken: SHIPBOB_SANDBOX_TOKEN,
				apiVersion: '2026-01',
				environment: 'production',
				channelId: '',
				baseUrl: sandbox.urlFor('shipbob'),
			},
		};
		const ctx = {
			getNode: () => ({
				id: 'n',
				name: 'ShipBob 3PL',
				type: 'shipBob',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
			getCredentials: async () => credentials.shipBobApi,
			helpers: n8nHttpHelpers(credentials),
		} as never;
		const { results } = await node.methods.listSearch.searchFulfillmentCenters.call(ctx);
		expect(results.map((r) => r.value).sort()).toEqual(
			sandbox
				.catalog()!
				.locations.map((l) => l.id)
				.sort(),
		);
	});
});

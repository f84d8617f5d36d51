/**
 * The order-sync operations of the NetSuite node against the sandbox: customers by external
 * id, sales-order lines given by SKU, and item fulfilment created once per shipment key.
 */
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
		seed: { seed: 'ns-orders', skus: 10, locations: 2 },
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
	options: { continueOnFail?: boolean } = {},
) {
	const credentials = {
		netSuiteTbaApi: {
			...NETSUITE_SANDBOX_ACCOUNT,
			concurrency: 5,
			baseUrl: sandbox.urlFor('netsuite'),
		} as IDataObject,
	};
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs,
		params: { correlationId: '', dryRun: false, ...params },
		continueOnFail: options.continueOnFail,
		credentials,
		helpers: n8nHttpHelpers(credentials) as never,
	});
	return (await node.execute.call(ctx))[0];
}

interface Txn {
	id: string;
	type: string;
	externalId: string | null;
	status: string;
	memo: string | null;
	entity: string | null;
	createdFrom: string | null;
	lines: Array<{ item: number; quantity: number; committed?: number; shipped?: number }>;
	packages?: Array<{ packageTrackingNumber?: string; packageDescr?: string }>;
}
interface Customer {
	id: string;
	externalId?: string;
	email?: string;
	firstName?: string;
	lastName?: string;
}
const state = () =>
	sandbox.state('netsuite') as { transactions: Txn[]; customers: Customer[] };

const customerParams = {
	resource: 'customer',
	operation: 'upsert',
	externalId: 'shopify-customer-1',
	email: 'ada@example.com',
	firstName: 'Ada',
	lastName: 'Lovelace',
	companyName: '',
	phone: '',
	subsidiaryId: '1',
};

const orderParams = (customerId: string, lines: unknown, externalId = 'shopify-1001') => ({
	resource: 'salesOrder',
	operation: 'upsert',
	externalId,
	customerId,
	subsidiaryId: '',
	locationId: '',
	tranDate: '',
	otherRefNum: '',
	memo: '',
	lines,
	correlationId: externalId,
});

const fulfilParams = (extra: Record<string, ParamValue> = {}) => ({
	resource: 'salesOrder',
	operation: 'fulfil',
	findBy: 'externalId',
	value: 'shopify-1001',
	fulfilmentExternalId: 'shipbob-shipment-9',
	shipStatus: 'C',
	trackingNumbers: '9400111',
	carrier: 'USPS',
	memo: '',
	correlationId: 'shopify-1001',
	...extra,
});

describe('NetSuite node: customers', () => {
	it('upserts a person customer by external id: created once, then updated in place', async () => {
		const first = await run(customerParams);
		const second = await run({ ...customerParams, lastName: 'King' });
		expect(first[0].json).toMatchObject({ externalId: 'shopify-customer-1', upserted: true });
		expect(second[0].json.id).toBe(first[0].json.id);
		const mine = state().customers.filter((c) => c.externalId === 'shopify-customer-1');
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', lastName: 'King' });
	});

	it('names the missing field of a person without a last name, and a bad email', async () => {
		const out = await run(
			{ ...customerParams, lastName: (i: number) => (i === 0 ? '' : 'L'), email: (i: number) => (i === 1 ? 'not-an-email' : 'a@b.co') },
			[{ json: {} }, { json: {} }],
			{ continueOnFail: true },
		);
		expect(out[0].json.error).toMatchObject({ field: 'lastName', itemIndex: 0 });
		expect(out[1].json.error).toMatchObject({ field: 'email', itemIndex: 1 });
		expect(state().customers.filter((c) => c.externalId)).toHaveLength(0);
	});
});

describe('NetSuite node: sales order lines by SKU', () => {
	it('resolves SKUs to internal ids in one query and writes the order to the new customer', async () => {
		const [a, b] = sandbox.catalog()!.items;
		const customer = await run(customerParams);
		sandbox.clearRequests('netsuite');
		const out = await run(
			orderParams(String(customer[0].json.id), [
				{ sku: a.sku, quantity: 2, rate: '19.99' },
				{ sku: b.sku, quantity: 1 },
			]),
		);
		expect(out[0].json).toMatchObject({ externalId: 'shopify-1001', upserted: true, correlationId: 'shopify-1001' });
		const ops = sandbox.requests({ system: 'netsuite' }).map((r) => r.operation);
		expect(ops).toEqual(['suiteql', 'upsertRecord']);
		const order = state().transactions.find((t) => t.externalId === 'shopify-1001')!;
		expect(order.entity).toBe(String(customer[0].json.id));
		expect(order.memo).toBe('Commerce Sync correlation shopify-1001');
		const ids = await run({
			resource: 'item',
			operation: 'get',
			findBy: 'sku',
			value: (i: number) => [a.sku, b.sku][i],
		}, [{ json: {} }, { json: {} }]);
		expect(order.lines.map((l) => [String(l.item), l.quantity])).toEqual([
			[ids[0].json.id, 2],
			[ids[1].json.id, 1],
		]);
	});

	it('names every unknown SKU and writes nothing', async () => {
		const [a] = sandbox.catalog()!.items;
		await expect(
			run(orderParams('501', [{ sku: a.sku, quantity: 1 }, { sku: 'NOPE-1', quantity: 1 }, { sku: 'NOPE-2', quantity: 1 }])),
		).rejects.toThrow(/"NOPE-1", "NOPE-2"/);
		expect(state().transactions.filter((t) => t.type === 'SalesOrd')).toHaveLength(0);
	});
});

describe('NetSuite node: fulfil a sales order', () => {
	async function placeOrder(): Promise<string> {
		const [a, b] = sandbox.catalog()!.items;
		const out = await run(orderParams('501', [{ sku: a.sku, quantity: 1 }, { sku: b.sku, quantity: 1 }]));
		return out[0].json.id as string;
	}

	it('creates one item fulfilment with the tracking number, moving the order to Pending Billing', async () => {
		const orderId = await placeOrder();
		const out = await run(fulfilParams());
		expect(out[0].json).toMatchObject({
			status: 'fulfilled',
			externalId: 'shipbob-shipment-9',
			trackingNumbers: ['9400111'],
			salesOrderId: orderId,
			salesOrderExternalId: 'shopify-1001',
			orderStatus: 'Pending Billing',
			orderStatusCode: 'F',
			correlationId: 'shopify-1001',
		});
		const fulfilments = state().transactions.filter((t) => t.type === 'ItemShip');
		expect(fulfilments).toHaveLength(1);
		expect(fulfilments[0]).toMatchObject({
			id: out[0].json.id,
			externalId: 'shipbob-shipment-9',
			createdFrom: orderId,
			status: 'C',
			memo: 'Commerce Sync correlation shopify-1001',
			packages: [{ packageTrackingNumber: '9400111', packageDescr: 'USPS' }],
		});
		const status = await run({ resource: 'salesOrder', operation: 'getStatus', findBy: 'externalId', value: 'shopify-1001' });
		expect(status[0].json).toMatchObject({ status: 'Pending Billing', fulfilments: [{ id: out[0].json.id }] });
	});

	it('reports the existing fulfilment when the same shipment is sent again, creating nothing', async () => {
		await placeOrder();
		const first = await run(fulfilParams());
		sandbox.clearRequests('netsuite');
		const again = await run(fulfilParams());
		expect(again[0].json).toMatchObject({
			status: 'alreadyFulfilled',
			id: first[0].json.id,
			trackingNumbers: ['9400111'],
			orderStatus: 'Pending Billing',
		});
		expect(sandbox.requests({ system: 'netsuite' }).map((r) => r.operation)).not.toContain('transformItemFulfillment');
		expect(state().transactions.filter((t) => t.type === 'ItemShip')).toHaveLength(1);
	});

	it('refuses a shipment key already used for another order', async () => {
		await placeOrder();
		const [c] = sandbox.catalog()!.items.slice(2);
		await run(orderParams('502', [{ sku: c.sku, quantity: 1 }], 'shopify-1002'));
		await run(fulfilParams());
		await expect(run(fulfilParams({ value: 'shopify-1002' }))).rejects.toThrow(/already belongs to a fulfilment of another sales order/);
	});

	it('dry run reads the order and shows the transform without creating it', async () => {
		const orderId = await placeOrder();
		const out = await run(fulfilParams({ dryRun: true, trackingNumbers: '1Z1, 1Z2' }));
		expect(out[0].json).toMatchObject({
			dryRun: true,
			orderStatus: 'Pending Fulfillment',
			request: {
				method: 'POST',
				path: `/services/rest/record/v1/salesOrder/${orderId}/!transform/itemFulfillment`,
				body: {
					externalId: 'shipbob-shipment-9',
					shipStatus: { id: 'C' },
					package: { items: [{ packageTrackingNumber: '1Z1' }, { packageTrackingNumber: '1Z2' }] },
				},
			},
		});
		expect(state().transactions.filter((t) => t.type === 'ItemShip')).toHaveLength(0);
	});

	it('says which order is missing', async () => {
		await expect(run(fulfilParams({ value: 'shopify-404' }))).rejects.toThrow(/record instance does not exist/);
	});
});

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { EbaySellInventory } from '../../../nodes/Ebay/EbaySellInventory.node';
import { resetRevisionCounts } from '../../../nodes/Ebay/actions/common';
import { resetSessions } from '../../../nodes/shared/n8n/session';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { SpecValidator } from '../../../sandbox/spec';
import { EBAY_SANDBOX_CLIENT } from '../../../sandbox/systems/ebay';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

let sandbox: Sandbox;
const node = new EbaySellInventory();
const spec = SpecValidator.load('ebay/sell_inventory_v1_oas3.json');

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, systems: ['ebay'], seed: { seed: 'ebay-node', skus: 60, locations: 2 } });
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
	resetSessions();
	resetRevisionCounts();
});

async function run(
	params: Record<string, ParamValue>,
	inputs: INodeExecutionData[] = [{ json: {} }],
	options: { continueOnFail?: boolean; credentials?: IDataObject; helpers?: IDataObject } = {},
) {
	const creds = {
		ebaySellApi: {
			...EBAY_SANDBOX_CLIENT,
			environment: 'production',
			scopes: 'https://api.ebay.com/oauth/api_scope/sell.inventory',
			baseUrl: sandbox.urlFor('ebay'),
			tokenUrl: `${sandbox.urlFor('ebay')}/identity/v1/oauth2/token`,
			...options.credentials,
		},
	};
	const http = n8nHttpHelpers(creds);
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs,
		params: { correlationId: '', ...params },
		continueOnFail: options.continueOnFail,
		credentials: creds,
		helpers: { ...http, ...options.helpers } as never,
	});
	return (await node.execute.call(ctx))[0];
}

type State = { items: Array<{ sku: string; quantity: number }>; offers: Array<{ offerId: string; sku: string; price: string; revisionsToday: number }> };
const state = () => sandbox.state('ebay') as State;
const bulk = (extra: Record<string, ParamValue> = {}) => ({
	resource: 'inventoryItem',
	operation: 'bulkUpdatePriceQuantity',
	sku: (_i: number, item: INodeExecutionData) => item.json.sku,
	quantity: (_i: number, item: INodeExecutionData) => item.json.target,
	price: (_i: number, item: INodeExecutionData) => item.json.price ?? '',
	currency: 'USD',
	offerId: (_i: number, item: INodeExecutionData) => item.json.offerId ?? '',
	dryRun: false,
	...extra,
});

describe('eBay Sell Inventory node', () => {
	it('pages inventory items by offset into stock rows', async () => {
		const rows = await run({ resource: 'inventoryItem', operation: 'getMany', pageSize: 25, returnAll: true, limit: 50 });
		expect(rows).toHaveLength(60);
		expect(rows[0].json).toMatchObject({ source: 'ebay', channel: 'ebay', locationId: 'SHIP_TO' });
		const log = sandbox.requests({ system: 'ebay' });
		expect(log.filter((r) => r.operation === 'token')).toHaveLength(1);
		expect(log.filter((r) => r.operation === 'getInventoryItems')).toHaveLength(3);
	});

	it('updates 60 SKUs in calls of at most 25, with a per-SKU result and request bodies that match the spec', async () => {
		const bodies: unknown[] = [];
		const targets = state().items.map((item, i) => ({ json: { sku: item.sku, target: i % 7 } as IDataObject }));
		targets.push({ json: { sku: 'NOT-ON-EBAY', target: 1 } });
		const out = await run(bulk(), targets, { continueOnFail: true });
		for (const r of sandbox.requests({ system: 'ebay' }).filter((r) => r.operation === 'bulkUpdatePriceQuantity')) bodies.push(r);
		expect(bodies).toHaveLength(3);
		expect(out.slice(0, 60).every((o) => o.json.status === 'updated')).toBe(true);
		expect(out[0].json.revisionsLeftToday).toBe(249);
		expect(out[60].json.error).toMatchObject({ kind: 'notFound', system: 'ebay', code: '25702' });
		const after = new Map(state().items.map((i) => [i.sku, i.quantity]));
		targets.slice(0, 60).forEach((t) => expect(after.get(String(t.json.sku))).toBe(t.json.target));
		const request = { requests: [{ sku: 'A', shipToLocationAvailability: { quantity: 3 }, offers: [{ offerId: '1', availableQuantity: 3, price: { value: '9.99', currency: 'USD' } }] }] };
		expect(spec.validateRequest('POST', '/bulk_update_price_quantity', request).valid).toBe(true);
	});

	it('sets prices on the offers found by SKU', async () => {
		const sku = state().items[0].sku;
		const offers = await run({ resource: 'offer', operation: 'getBySku', sku, marketplaceId: 'EBAY_US' });
		expect(offers).toHaveLength(1);
		const offerId = String(offers[0].json.offerId);
		const out = await run(bulk(), [{ json: { sku, target: 4, price: '21.5', offerId } }]);
		expect(out[0].json).toMatchObject({ status: 'updated', price: '21.50', offerIds: [offerId] });
		expect(state().offers.find((o) => o.offerId === offerId)?.price).toBe('21.50');
	});

	it('rejects bad input per item and a price without an offer', async () => {
		const sku = state().items[0].sku;
		const out = await run(bulk(), [{ json: { sku, target: 1.5 } }, { json: { sku, target: 2, price: '3' } }, { json: { sku: '', target: 1 } }], { continueOnFail: true });
		expect(out[0].json.error).toMatchObject({ field: 'quantity' });
		expect(out[1].json.error).toMatchObject({ field: 'offerId' });
		expect(out[2].json.error).toMatchObject({ field: 'sku' });
		expect(sandbox.requests({ system: 'ebay' })).toHaveLength(0);
	});

	it('with dry run outputs the bulk request and sends nothing', async () => {
		const sku = state().items[0].sku;
		const out = await run(bulk({ dryRun: true }), [{ json: { sku, target: 9 } }]);
		expect(out[0].json).toMatchObject({ status: 'dryRun', request: { method: 'POST', path: '/bulk_update_price_quantity', body: { requests: [{ sku, shipToLocationAvailability: { quantity: 9 } }] } } });
		expect(sandbox.requests({ system: 'ebay' }).filter((r) => r.operation !== 'token')).toHaveLength(0);
	});

	it('creates or replaces an inventory item with Content-Language', async () => {
		const out = await run({ resource: 'inventoryItem', operation: 'createOrReplace', sku: 'NEW-1', title: 'New thing', quantity: '5', condition: 'NEW', additionalFields: { brand: 'Acme' }, dryRun: false });
		expect(out[0].json).toMatchObject({ sku: 'NEW-1', status: 'saved' });
		expect(state().items.find((i) => i.sku === 'NEW-1')?.quantity).toBe(5);
	});

	it('reports the daily quota as used up without retrying', async () => {
		sandbox.configureLimit('ebay', 'daily', { windows: { DAILY: { max: 1 } } });
		const out = await run({ resource: 'inventoryItem', operation: 'getMany', pageSize: 25, returnAll: true, limit: 50 }, [{ json: {} }], { continueOnFail: true });
		expect(out[0].json.error).toMatchObject({ kind: 'rateLimited', status: 429, code: '2001' });
		expect(sandbox.requests({ system: 'ebay' }).filter((r) => r.status === 429)).toHaveLength(1);
	});

	it('sandbox answers match the OpenAPI spec', async () => {
		const base = sandbox.urlFor('ebay');
		const auth = { authorization: 'Bearer v^1.1#i^1#sandbox-static-user-token' };
		const list = await (await fetch(`${base}/sell/inventory/v1/inventory_item?limit=2`, { headers: auth })).json();
		spec.assertResponse('GET', '/inventory_item', 200, list);
		const sku = state().items[0].sku;
		const one = await (await fetch(`${base}/sell/inventory/v1/inventory_item/${sku}`, { headers: auth })).json();
		spec.assertResponse('GET', `/inventory_item/${sku}`, 200, one);
		const offers = await (await fetch(`${base}/sell/inventory/v1/offer?sku=${sku}`, { headers: auth })).json();
		spec.assertResponse('GET', '/offer', 200, offers);
		const bulkAnswer = await (
			await fetch(`${base}/sell/inventory/v1/bulk_update_price_quantity`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ requests: [{ sku, shipToLocationAvailability: { quantity: 1 } }] }) })
		).json();
		spec.assertResponse('POST', '/bulk_update_price_quantity', 200, bulkAnswer);
	});
});

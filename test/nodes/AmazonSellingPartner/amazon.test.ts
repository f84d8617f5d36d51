import Ajv from 'ajv';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AmazonSellingPartner } from '../../../nodes/AmazonSellingPartner/AmazonSellingPartner.node';
import { resetSessions } from '../../../nodes/shared/n8n/session';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { loadSpecFile } from '../../../sandbox/spec';
import { AMAZON_SANDBOX_CLIENT, AMAZON_SANDBOX_SELLER } from '../../../sandbox/systems/amazon';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

let sandbox: Sandbox;
const node = new AmazonSellingPartner();
const feedSchema = new Ajv({ strict: false, allErrors: true }).compile(loadSpecFile('amazon/listings-feed-schema-v2.json') as object);

beforeAll(async () => {
	sandbox = await startSandbox({
		port: 0,
		systems: ['amazon'],
		seed: { seed: 'amz-node', skus: 30, locations: 2, options: { amazon: { feedQueueMs: 300, feedPerMessageMs: 1, patchDelayMs: 0 } } },
	});
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
	resetSessions();
});

function credentials(extra: IDataObject = {}): IDataObject {
	return {
		...AMAZON_SANDBOX_CLIENT,
		region: 'na',
		sellerId: AMAZON_SANDBOX_SELLER,
		marketplaceIds: 'ATVPDKIKX0DER',
		baseUrl: sandbox.urlFor('amazon'),
		tokenUrl: `${sandbox.urlFor('amazon')}/auth/o2/token`,
		...extra,
	};
}

async function run(
	params: Record<string, ParamValue>,
	inputs: INodeExecutionData[] = [{ json: {} }],
	options: { continueOnFail?: boolean; credentials?: IDataObject; helpers?: IDataObject } = {},
) {
	const creds = { amazonSpApi: credentials(options.credentials) };
	const http = n8nHttpHelpers(creds);
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs,
		params: { correlationId: '', marketplaceId: '', ...params },
		continueOnFail: options.continueOnFail,
		credentials: creds,
		helpers: { ...http, ...options.helpers } as never,
	});
	return (await node.execute.call(ctx))[0];
}

type Listing = { sku: string; quantity: number; price: string };
const listings = () => (sandbox.state('amazon') as { listings: Listing[] }).listings;
const update = (method: string, extra: Record<string, ParamValue> = {}) => ({
	resource: 'listing',
	operation: 'updateQuantityPrice',
	sku: (_i: number, item: INodeExecutionData) => item.json.sku,
	quantity: (_i: number, item: INodeExecutionData) => item.json.target,
	price: '',
	currency: 'USD',
	productType: 'PRODUCT',
	method,
	feedThreshold: 3,
	pollSeconds: 0.1,
	timeoutMinutes: 1,
	dryRun: false,
	...extra,
});

describe('Amazon Selling Partner node', () => {
	it('exchanges the refresh token once and reads listings as stock rows over several pages', async () => {
		const rows = await run({ resource: 'listing', operation: 'getMany', pageSize: 7, returnAll: true, limit: 50 });
		expect(rows).toHaveLength(30);
		const first = rows[0].json;
		expect(first).toMatchObject({ source: 'amazon', channel: 'amazon', locationId: 'DEFAULT' });
		expect(typeof (first.quantities as IDataObject).available).toBe('number');
		const log = sandbox.requests({ system: 'amazon' });
		expect(log.filter((r) => r.operation === 'lwaToken')).toHaveLength(1);
		expect(log.filter((r) => r.operation === 'searchListingsItems')).toHaveLength(5);
	});

	it('patches quantity and price per SKU (reconcile adjustments) and Amazon applies them', async () => {
		const [a, b] = listings();
		const out = await run(update('auto', { price: (i: number) => (i === 0 ? '12.5' : '') }), [
			{ json: { sku: a.sku, target: 41, correlationId: 'c-1' } },
			{ json: { sku: b.sku, target: 0 } },
		]);
		expect(out.map((o) => o.json.status)).toEqual(['accepted', 'accepted']);
		expect(out[0].json).toMatchObject({ via: 'patch', target: 41, price: 12.5 });
		const after = new Map(listings().map((l) => [l.sku, l]));
		expect(after.get(a.sku)).toMatchObject({ quantity: 41, price: '12.50' });
		expect(after.get(b.sku)?.quantity).toBe(0);
		expect(sandbox.requests({ system: 'amazon' }).filter((r) => r.operation === 'patchListingsItem')).toHaveLength(2);
	});

	it('switches to a JSON_LISTINGS_FEED above the threshold and returns one result per SKU with its errors', async () => {
		const skus = listings().slice(0, 4).map((l) => l.sku);
		const uploads: unknown[] = [];
		const http = n8nHttpHelpers({ amazonSpApi: credentials() });
		const out = await run(
			update('auto'),
			[...skus.map((sku, i) => ({ json: { sku, target: 100 + i } })), { json: { sku: 'NOT-LISTED-1', target: 5 } }],
			{
				continueOnFail: true,
				helpers: {
					async httpRequest(options: IDataObject) {
						if (options.method === 'PUT') uploads.push(JSON.parse(String(options.body)));
						return await http.httpRequest(options as never);
					},
				},
			},
		);
		expect(uploads).toHaveLength(1);
		expect(feedSchema(uploads[0])).toBe(true);
		expect(out.slice(0, 4).map((o) => o.json.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
		expect(out[0].json.via).toBe('feed');
		expect(out[4].json.error).toMatchObject({ kind: 'validation', system: 'amazon' });
		expect(String((out[4].json.error as IDataObject).message)).toMatch(/NOT-LISTED-1.*not found/);
		const after = new Map(listings().map((l) => [l.sku, l.quantity]));
		skus.forEach((sku, i) => expect(after.get(sku)).toBe(100 + i));
		expect(sandbox.requests({ system: 'amazon' }).filter((r) => r.operation === 'patchListingsItem')).toHaveLength(0);

		const status = await run({ resource: 'feed', operation: 'get', feedId: String(out[0].json.feedId), includeReport: true });
		expect(status[0].json).toMatchObject({ processingStatus: 'DONE' });
		const report = status[0].json.report as IDataObject;
		expect(report.summary).toMatchObject({ messagesProcessed: 5, messagesAccepted: 4, messagesInvalid: 1 });
	}, 20_000);

	it('with dry run outputs the exact requests and sends nothing', async () => {
		const [a] = listings();
		const before = sandbox.requests({ system: 'amazon' }).length;
		const out = await run(update('patch', { dryRun: true }), [{ json: { sku: a.sku, target: 3 } }]);
		expect(out[0].json).toMatchObject({
			status: 'dryRun',
			request: {
				method: 'PATCH',
				path: `/listings/2021-08-01/items/${AMAZON_SANDBOX_SELLER}/${encodeURIComponent(a.sku)}`,
				body: { productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] }] },
			},
		});
		expect(typeof out[0].json.correlationId).toBe('string');
		// Only the token exchange (the client is built before the dry-run decision).
		expect(sandbox.requests({ system: 'amazon' }).slice(before).filter((r) => r.operation !== 'lwaToken')).toHaveLength(0);
		expect(listings()[0].quantity).toBe(a.quantity);
	});

	it('rejects a negative quantity naming the item and field, and carries on with the rest', async () => {
		const [a] = listings();
		const out = await run(update('patch'), [{ json: { sku: a.sku, target: -2 } }, { json: { sku: a.sku, target: 2 } }], { continueOnFail: true });
		expect(out[0].json.error).toMatchObject({ kind: 'validation', field: 'quantity' });
		expect(out[1].json.status).toBe('accepted');
		await expect(run(update('patch'), [{ json: { sku: '', target: 1 } }])).rejects.toThrow(/no SKU \[item 0\]/);
	});

	it('gets one listing and a full PUT replaces it', async () => {
		const [a] = listings();
		const got = await run({ resource: 'listing', operation: 'get', sku: a.sku });
		expect(got[0].json).toMatchObject({ sku: a.sku, quantities: { available: a.quantity } });
		const put = await run({
			resource: 'listing',
			operation: 'put',
			sku: 'NEW-SKU-1',
			productType: 'PRODUCT',
			requirements: 'LISTING',
			attributes: JSON.stringify({ item_name: [{ value: 'New thing' }], fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 9 }] }),
			dryRun: false,
		});
		expect(put[0].json.status).toBe('accepted');
		expect(listings().find((l) => l.sku === 'NEW-SKU-1')?.quantity).toBe(9);
	});

	it('fails with the token endpoint’s 401 and no retry when the client secret is wrong', async () => {
		const out = await run({ resource: 'listing', operation: 'get', sku: 'X' }, [{ json: {} }], { continueOnFail: true, credentials: { clientSecret: 'wrong-secret' } });
		expect(out[0].json.error).toMatchObject({ kind: 'auth', status: 401 });
		expect(JSON.stringify(out[0].json)).not.toContain('wrong-secret');
		expect(sandbox.requests({ system: 'amazon' })).toHaveLength(1);
	});

	it('waits for the patch bucket instead of failing when many SKUs go at once', async () => {
		// A slower plan than the model's default: the node learns it from x-amzn-RateLimit-Limit.
		sandbox.configureLimit('amazon', 'per-operation', { operations: { patchListingsItem: { rate: 2, burst: 5 }, lwaToken: { rate: 100, burst: 100 } } });
		const some = listings().slice(0, 8);
		const out = await run(update('patch'), some.map((l) => ({ json: { sku: l.sku, target: 7 } })));
		expect(out.every((o) => o.json.status === 'accepted')).toBe(true);
		const patches = sandbox.requests({ system: 'amazon' }).filter((r) => r.operation === 'patchListingsItem');
		// Until the first answer reports the slower rate, one request may go at the default pace.
		const refused = patches.filter((r) => r.status === 429).length;
		expect(refused).toBeLessThanOrEqual(1);
		expect(patches).toHaveLength(8 + refused);
		// 5 from the burst, then 3 more at 2/s.
		expect(patches[patches.length - 1].time - patches[0].time).toBeGreaterThanOrEqual(1200);
	});
});

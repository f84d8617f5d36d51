import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { HubSpotCrm } from '../../../nodes/HubSpot/HubSpotCrm.node';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { HUBSPOT_SANDBOX_TOKEN } from '../../../sandbox/systems/hubspot';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

let sandbox: Sandbox;
const node = new HubSpotCrm();

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, systems: ['hubspot'], seed: { seed: 'hs-node', skus: 30, locations: 1 } });
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	// Limit settings survive a reset; put the Professional numbers back.
	sandbox.configureLimit('hubspot', 'hubspot', { windows: { TEN_SECONDLY_ROLLING: { max: 190 }, DAILY: { max: 625_000 } } });
	resetSystemLimiters();
});

async function run(params: Record<string, ParamValue>, inputs: IDataObject[] = [{}], options: { continueOnFail?: boolean; credentials?: IDataObject } = {}) {
	const creds = { hubSpotPrivateAppApi: { accessToken: HUBSPOT_SANDBOX_TOKEN, plan: 'professional', baseUrl: sandbox.urlFor('hubspot'), ...options.credentials } };
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs: inputs.map((json) => ({ json })),
		params: { correlationId: '', dryRun: false, ...params },
		continueOnFail: options.continueOnFail,
		credentials: creds,
		helpers: n8nHttpHelpers(creds) as never,
		node: { credentials: { hubSpotPrivateAppApi: { id: `hs-${Math.random()}`, name: 'hs' } } },
	});
	return (await node.execute.call(ctx))[0];
}

type State = { contacts: Array<{ id: string; properties: Record<string, string> }>; deals: Array<{ id: string; properties: Record<string, string> }>; associations: string[]; upsertCalls: number };
const state = () => sandbox.state('hubspot') as State;
const upsertContacts = (extra: Record<string, ParamValue> = {}) => ({
	resource: 'contact',
	operation: 'upsert',
	idProperty: 'email',
	idValue: (_i: number, item: INodeExecutionData) => item.json.email,
	recordProperties: (_i: number, item: INodeExecutionData) => ({ firstname: item.json.first }),
	...extra,
});

describe('HubSpot CRM node', () => {
	it('upserts 250 contacts in 3 calls, reporting created or updated per item in input order', async () => {
		const existing = state().contacts[0].properties.email;
		const items = Array.from({ length: 250 }, (_, i) => ({ email: i === 7 ? existing.toUpperCase() : `buyer${i}@shop.example`, first: `B${i}` }));
		const out = await run(upsertContacts({ correlationId: (i: number) => `order-${i}` }), items);
		expect(out).toHaveLength(250);
		expect(state().upsertCalls).toBe(3);
		expect(out[0].json).toMatchObject({ objectType: 'contacts', idValue: 'buyer0@shop.example', status: 'created', id: expect.any(String), correlationId: 'order-0' });
		expect(out[7].json).toMatchObject({ status: 'updated', idValue: existing.toLowerCase() });
		expect(out.map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		const again = await run(upsertContacts(), items.slice(0, 3));
		expect(again.map((o) => o.json.status)).toEqual(['updated', 'updated', 'updated']);
	});

	it('upserts a deal by order id exactly once when the same order runs twice', async () => {
		const deal = { resource: 'deal', operation: 'upsert', idProperty: 'order_id', idValue: 'SO-9001', recordProperties: '{"dealname": "Order SO-9001", "amount": 42.5}' };
		const before = state().deals.length;
		const [first] = await run(deal);
		const [second] = await run(deal);
		expect(first.json).toMatchObject({ status: 'created' });
		expect(second.json).toMatchObject({ status: 'updated', id: first.json.id });
		expect(state().deals.length).toBe(before + 1);
		expect(state().deals.find((d) => d.properties.order_id === 'SO-9001')?.properties.amount).toBe('42.5');
	});

	it('sends per-record errors to the error output while the rest of the batch succeeds', async () => {
		const out = await run(upsertContacts({ recordProperties: (i: number) => (i === 1 ? { tags: ['x'] } : { firstname: 'Ok' }) }), [{ email: 'a@x.io' }, { email: 'b@x.io' }, { email: 'nope' }, { email: 'a2@x.io' }], { continueOnFail: true });
		expect(out.map((o) => [o.json.status ?? null, (o.json.error as IDataObject | undefined)?.field ?? null])).toEqual([
			['created', null],
			[null, 'properties'],
			[null, 'idValue'],
			['created', null],
		]);
	});

	it('upserts a record named by several items of one run once, with their properties merged, and gives each item the result', async () => {
		// Two orders of one shopper in a catch-up batch: HubSpot refuses a batch naming one record twice.
		const props = [{ firstname: 'Ann', lifecyclestage: 'lead' }, { firstname: 'Bo' }, { lastname: 'Lee', lifecyclestage: 'customer' }];
		const before = state().contacts.length;
		const out = await run(upsertContacts({ recordProperties: (i: number) => props[i] }), [{ email: 'twice@x.io' }, { email: 'other@x.io' }, { email: 'twice@x.io' }]);
		expect(out.map((o) => [o.json.idValue, o.json.status])).toEqual([
			['twice@x.io', 'created'],
			['other@x.io', 'created'],
			['twice@x.io', 'created'],
		]);
		expect(out[0].json.id).toBe(out[2].json.id);
		expect(state().contacts.length).toBe(before + 2);
		const upserts = sandbox.requests({ system: 'hubspot' }).filter((r) => r.path.endsWith('/batch/upsert'));
		expect(upserts.map((r) => r.status)).toEqual([200]);
		expect(state().contacts.find((c) => c.properties.email === 'twice@x.io')?.properties).toMatchObject({ firstname: 'Ann', lastname: 'Lee', lifecyclestage: 'customer' });
	});

	it('dry run outputs the exact batch request and sends nothing', async () => {
		const out = await run(upsertContacts({ dryRun: true }), [{ email: 'dry@x.io', first: 'D' }]);
		expect(out[0].json).toMatchObject({ status: 'dryRun', request: { method: 'POST', path: '/crm/v3/objects/contacts/batch/upsert', body: { inputs: [{ id: 'dry@x.io', idProperty: 'email', properties: { firstname: 'D' } }] } } });
		expect(sandbox.requests({ system: 'hubspot' })).toHaveLength(0);
	});

	it('carries the correlation id into objectWriteTraceId', async () => {
		const out = await run(upsertContacts({ correlationId: 'trace-1', dryRun: true }), [{ email: 't@x.io', first: 'T' }]);
		expect((out[0].json.request as { body: { inputs: IDataObject[] } }).body.inputs[0].objectWriteTraceId).toBe('trace-1');
	});

	it('gets by unique property, searches with filters and pages through all contacts', async () => {
		const email = state().contacts[3].properties.email;
		const [got] = await run({ resource: 'contact', operation: 'get', recordId: email, findBy: 'email', properties: 'email,firstname', associations: [] });
		expect(got.json).toMatchObject({ objectType: 'contacts', id: state().contacts[3].id, properties: { email } });
		const found = await run({ resource: 'deal', operation: 'search', filters: { filter: [{ propertyName: 'order_id', operator: 'IN', value: 'SO-1001,SO-1003' }] }, properties: 'order_id', sortBy: 'order_id', direction: 'ASCENDING', returnAll: true });
		expect(found.map((r) => (r.json.properties as IDataObject).order_id)).toEqual(['SO-1001', 'SO-1003']);
		const all = await run({ resource: 'contact', operation: 'getMany', properties: '', returnAll: true });
		expect(all).toHaveLength(state().contacts.length);
		expect(sandbox.requests({ system: 'hubspot' }).filter((r) => r.operation === 'list')).toHaveLength(1);
		const some = await run({ resource: 'contact', operation: 'search', filters: {}, properties: '', sortBy: '', returnAll: false, limit: 5 });
		expect(some).toHaveLength(5);
	});

	it('associates a deal with a contact and a company', async () => {
		const deal = state().deals[0].id;
		const contact = state().contacts[0].id;
		const [linked] = await run({ resource: 'deal', operation: 'associate', fromId: deal, toObject: 'contacts', toId: contact });
		expect(linked.json).toMatchObject({ status: 'associated', associationTypeId: 3, from: { objectType: 'deals', id: deal } });
		expect(state().associations).toContain(`deals:${deal}>contacts:${contact}`);
		const [bad] = await run({ resource: 'deal', operation: 'associate', fromId: deal, toObject: 'contacts', toId: 'x' }, [{}], { continueOnFail: true });
		expect(bad.json.error).toMatchObject({ field: 'toId' });
	});

	it('reports a 404 without retrying, and a wrong token as an auth error', async () => {
		const [missing] = await run({ resource: 'contact', operation: 'get', recordId: '999999', findBy: '', properties: '', associations: [] }, [{}], { continueOnFail: true });
		expect(missing.json.error).toMatchObject({ kind: 'notFound', status: 404, system: 'hubspot', retryable: false });
		const [denied] = await run({ resource: 'contact', operation: 'getMany', properties: '', returnAll: false, limit: 1 }, [{}], { continueOnFail: true, credentials: { accessToken: 'pat-wrong' } });
		expect(denied.json.error).toMatchObject({ kind: 'auth', status: 401 });
		expect(JSON.stringify(denied.json)).not.toContain('pat-wrong');
	});

	it('does not retry the daily quota and says when it resets', async () => {
		sandbox.configureLimit('hubspot', 'hubspot', { windows: { DAILY: { max: 1 } } });
		await run({ resource: 'contact', operation: 'getMany', properties: '', returnAll: false, limit: 1 });
		const [limited] = await run({ resource: 'contact', operation: 'getMany', properties: '', returnAll: false, limit: 1 }, [{}], { continueOnFail: true });
		expect(limited.json.error).toMatchObject({ kind: 'rateLimited', code: 'DAILY', retryable: false });
		expect((limited.json.error as IDataObject).description).toMatch(/midnight/);
		expect(sandbox.requests({ system: 'hubspot' })).toHaveLength(2);
	});

	it('waits after a TEN_SECONDLY_ROLLING 429 and then succeeds', async () => {
		sandbox.setFaults('hubspot', { burst429: { length: 2, start: true } });
		const out = await run({ resource: 'contact', operation: 'getMany', properties: '', returnAll: false, limit: 2 });
		expect(out).toHaveLength(2);
		const log = sandbox.requests({ system: 'hubspot' });
		expect(log.map((r) => r.status)).toEqual([429, 429, 200]);
		expect(log[1].time - log[0].time).toBeGreaterThanOrEqual(1000);
	}, 20_000);
});

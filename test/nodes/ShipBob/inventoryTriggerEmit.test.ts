import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { ShipBobInventoryTrigger } from '../../../nodes/ShipBob/ShipBobInventoryTrigger.node';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { SHIPBOB_SANDBOX_TOKEN } from '../../../sandbox/systems/shipbob';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, systems: ['shipbob'], seed: { seed: 'sb-trigger-emit', skus: 6, locations: 3 } });
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
});

function pollContext(params: IDataObject, staticData: IDataObject): IPollFunctions {
	const creds = {
		shipBobApi: {
			accessToken: SHIPBOB_SANDBOX_TOKEN,
			apiVersion: '2026-01',
			environment: 'production',
			channelId: '',
			baseUrl: sandbox.urlFor('shipbob'),
		},
	};
	return {
		getNodeParameter: (name: string, fallback?: unknown) => (name in params ? params[name] : fallback),
		getWorkflowStaticData: () => staticData,
		getNode: () => ({ id: 't-1', name: 'ShipBob Stock', type: 'shipBobInventoryTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
		getWorkflow: () => ({ id: 'wf-1', name: 'wf', active: true }),
		getCredentials: async () => creds.shipBobApi,
		getMode: () => 'trigger',
		helpers: { ...n8nHttpHelpers(creds), returnJsonArray: (rows: IDataObject[]) => rows.map((json) => ({ json })) },
	} as unknown as IPollFunctions;
}

const receive = (sku: string, location: string, quantity: number) =>
	(sandbox.system('shipbob') as unknown as { receive(sku: string, loc: string, qty: number): void }).receive(sku, location, quantity);

describe('ShipBob inventory trigger, "Emit"', () => {
	it('emits every center of a SKU that changed at one center, so the whole stock of the SKU travels together', async () => {
		const trigger = new ShipBobInventoryTrigger();
		const ctx = pollContext({ locationId: '', emit: 'sku' }, {});
		expect(await trigger.poll.call(ctx)).toBeNull();
		const { items, locations } = sandbox.catalog()!;
		receive(items[1].sku, locations[2].id, 5);
		receive(items[4].sku, locations[0].id, 1);
		const out = await trigger.poll.call(ctx);
		const rows = out![0].map((i) => i.json as { sku: string; locationId: string; quantities: { onHand: number } });
		const pairs = rows.map((r) => `${r.sku}@${r.locationId}`).sort();
		const expected = [items[1], items[4]].flatMap((item) => locations.map((l) => `${item.sku}@${l.id}`)).sort();
		expect(pairs).toEqual(expected);
		const moved = rows.find((r) => r.sku === items[1].sku && r.locationId === locations[2].id)!;
		expect(moved.quantities.onHand).toBe(items[1].stock[2].onHand + 5);
		const still = rows.find((r) => r.sku === items[1].sku && r.locationId === locations[0].id)!;
		expect(still.quantities.onHand).toBe(items[1].stock[0].onHand);
		expect(await trigger.poll.call(ctx)).toBeNull();
	});

	it('keeps emitting only the changed rows by default', async () => {
		const trigger = new ShipBobInventoryTrigger();
		const ctx = pollContext({ locationId: '' }, {});
		expect(await trigger.poll.call(ctx)).toBeNull();
		const { items, locations } = sandbox.catalog()!;
		receive(items[3].sku, locations[1].id, 2);
		const out = await trigger.poll.call(ctx);
		expect(out![0].map((i) => `${i.json.sku}@${i.json.locationId}`)).toEqual([`${items[3].sku}@${locations[1].id}`]);
	});
});

describe('ShipBob inventory trigger, odd warehouse levels', () => {
	it('passes on a centre counted below zero and a newly received SKU with the other changes of the poll, instead of failing the poll', async () => {
		// Found by the stock bad-input sweep: one negative level failed every poll, so no change
		// of any other SKU reached the channels until someone fixed the count.
		const trigger = new ShipBobInventoryTrigger();
		const ctx = pollContext({ locationId: '', emit: 'rows' }, {});
		expect(await trigger.poll.call(ctx)).toBeNull();
		const { items, locations } = sandbox.catalog()!;
		receive(items[0].sku, locations[0].id, -(items[0].stock[0].onHand + 4));
		receive(items[2].sku, locations[0].id, 3);
		(sandbox.system('shipbob') as unknown as { addItem(sku: string, levels: Record<string, number>): void }).addItem('NEW-IN-WAREHOUSE', { [locations[1].id]: 8 });
		const out = await trigger.poll.call(ctx);
		const rows = out![0].map((i) => i.json as { sku: string; locationId: string; quantities: { onHand: number } });
		expect(rows.map((r) => [r.sku, r.locationId, r.quantities.onHand]).sort()).toEqual(
			[
				[items[0].sku, locations[0].id, -4],
				[items[2].sku, locations[0].id, items[2].stock[0].onHand + 3],
				['NEW-IN-WAREHOUSE', locations[1].id, 8],
			].sort(),
		);
	});
});

describe('ShipBob inventory trigger, "Send Changes Again"', () => {
	afterEach(() => jest.restoreAllMocks());
	const at = (ms: number) => jest.spyOn(Date, 'now').mockReturnValue(ms);
	const pairs = (out: Awaited<ReturnType<ShipBobInventoryTrigger['poll']>>) => (out ? out[0].map((i) => `${i.json.sku}@${i.json.locationId}`) : []);

	it('sends a change again after 2 and then 4 more minutes, so a run that died loses nothing', async () => {
		const trigger = new ShipBobInventoryTrigger();
		const ctx = pollContext({ locationId: '' }, {});
		const t0 = 1_800_000_000_000;
		at(t0);
		expect(await trigger.poll.call(ctx)).toBeNull();
		const { items, locations } = sandbox.catalog()!;
		receive(items[2].sku, locations[0].id, 3);
		const moved = [`${items[2].sku}@${locations[0].id}`];
		at(t0 + 60_000);
		expect(pairs(await trigger.poll.call(ctx))).toEqual(moved);
		at(t0 + 120_000);
		expect(await trigger.poll.call(ctx)).toBeNull();
		at(t0 + 180_000);
		expect(pairs(await trigger.poll.call(ctx))).toEqual(moved);
		at(t0 + 360_000);
		expect(await trigger.poll.call(ctx)).toBeNull();
		at(t0 + 420_000);
		expect(pairs(await trigger.poll.call(ctx))).toEqual(moved);
		at(t0 + 3_600_000);
		expect(await trigger.poll.call(ctx)).toBeNull();
	});

	it('starts the re-sends over when the row changes again, and never sends a row twice in one poll', async () => {
		const trigger = new ShipBobInventoryTrigger();
		const ctx = pollContext({ locationId: '', emit: 'sku' }, {});
		const t0 = 1_800_000_000_000;
		at(t0);
		await trigger.poll.call(ctx);
		const { items, locations } = sandbox.catalog()!;
		receive(items[0].sku, locations[1].id, 1);
		at(t0 + 60_000);
		expect(pairs(await trigger.poll.call(ctx))).toHaveLength(locations.length);
		receive(items[0].sku, locations[2].id, 1);
		at(t0 + 180_000);
		// Changed again just as its re-send came due: one copy of each row.
		expect(pairs(await trigger.poll.call(ctx))).toHaveLength(locations.length);
		at(t0 + 240_000);
		expect(await trigger.poll.call(ctx)).toBeNull();
		at(t0 + 300_000);
		expect(pairs(await trigger.poll.call(ctx))).toHaveLength(locations.length);
	});

	it('sends each change once only with Times 0', async () => {
		const trigger = new ShipBobInventoryTrigger();
		const ctx = pollContext({ locationId: '', resend: { times: 0 } }, {});
		const t0 = 1_800_000_000_000;
		at(t0);
		await trigger.poll.call(ctx);
		const { items, locations } = sandbox.catalog()!;
		receive(items[0].sku, locations[0].id, 4);
		at(t0 + 60_000);
		expect(pairs(await trigger.poll.call(ctx))).toHaveLength(1);
		for (const m of [3, 7, 20, 60]) {
			at(t0 + m * 60_000);
			expect(await trigger.poll.call(ctx)).toBeNull();
		}
	});
});

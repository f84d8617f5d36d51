import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { NetSuiteTrigger } from '../../../nodes/NetSuite/NetSuiteTrigger.node';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { ManualClock, startSandbox, type Sandbox } from '../../../sandbox';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';
import {
	netSuiteClient,
	netSuiteCredentials,
	RECORD,
	SUITEQL,
} from '../../unit/netsuite/sandboxClient';

let sandbox: Sandbox;
// NetSuite stamps changes to the second; the sandbox clock is moved by hand instead of sleeping.
const clock = new ManualClock();
const tick = () => clock.advance(1_500);
const trigger = new NetSuiteTrigger();

beforeAll(async () => {
	sandbox = await startSandbox({
		port: 0,
		systems: ['netsuite'],
		seed: {
			seed: 'ns-trigger',
			skus: 12,
			locations: 3,
			options: { netsuite: { timestampToleranceSec: null } },
		},
		clock,
	});
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
});

function poller(params: IDataObject, mode: 'trigger' | 'manual' = 'trigger') {
	const staticData: IDataObject = {};
	const credentials = { netSuiteTbaApi: netSuiteCredentials(sandbox.urlFor('netsuite')) };
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in params ? params[name] : fallback,
		getWorkflowStaticData: () => staticData,
		getMode: () => mode,
		getNode: () => ({
			id: 'trigger-1',
			name: 'NetSuite ERP Trigger',
			type: 'netSuiteTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getCredentials: async (type: string) => credentials[type as 'netSuiteTbaApi'],
		helpers: {
			...n8nHttpHelpers(credentials),
			returnJsonArray: (rows: IDataObject[]) => rows.map((json) => ({ json })),
		},
	} as unknown as IPollFunctions;
	return {
		poll: async () => (await trigger.poll.call(ctx))?.[0].map((i) => i.json) ?? null,
		staticData,
	};
}

const ns = () => netSuiteClient(sandbox.urlFor('netsuite'));
async function firstItem() {
	return (
		await ns()('POST', SUITEQL, {
			qs: { limit: 1 },
			body: { q: 'SELECT id, itemid FROM item ORDER BY id' },
			headers: { Prefer: 'transient' },
		})
	).body.items[0] as { id: string; itemid: string };
}
const upsertOrder = async (externalId: string, itemId: string, quantity = 1) =>
	(
		await ns()('PUT', `${RECORD}/salesOrder/eid:${externalId}`, {
			body: { entity: { id: '501' }, item: { items: [{ item: { id: itemId }, quantity }] } },
		})
	).statusCode;

describe('NetSuite trigger', () => {
	it('starts at NetSuite’s newest change, then emits each order change exactly once', async () => {
		const item = await firstItem();
		await upsertOrder('OLD-1', item.id);
		const { poll, staticData } = poller({ event: 'orders', maxPerPoll: 100, overlapSeconds: 120 });
		expect(await poll()).toBeNull();
		expect(staticData.cursor).toMatchObject({ seen: [expect.stringMatching(/@/)] });
		expect(await poll()).toBeNull();

		expect(await upsertOrder('SHOP-1', item.id)).toBe(204);
		const first = await poll();
		expect(first).toEqual([
			expect.objectContaining({ externalId: 'SHOP-1', status: 'B', source: 'netsuite' }),
		]);
		expect(await poll()).toBeNull();

		// Changed again (a new stamp or not, the same second): emitted again only if the stamp moved.
		await tick();
		await upsertOrder('SHOP-1', item.id, 2);
		await upsertOrder('SHOP-2', item.id);
		const second = await poll();
		expect(second?.map((o) => o.externalId).sort()).toEqual(['SHOP-1', 'SHOP-2']);
		expect(await poll()).toBeNull();
	});

	it('takes at most the maximum per poll and leaves the rest for the next one', async () => {
		const item = await firstItem();
		const { poll } = poller({ event: 'orders', maxPerPoll: 2, overlapSeconds: 60 });
		expect(await poll()).toBeNull();
		for (const id of ['A', 'B', 'C', 'D', 'E']) await upsertOrder(id, item.id);
		const batches: string[][] = [];
		for (let i = 0; i < 4; i++)
			batches.push(((await poll()) ?? []).map((o) => String(o.externalId)));
		expect(batches.flat().sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
		expect(batches.map((b) => b.length)).toEqual([2, 2, 1, 0]);
	});

	it('emits the stock rows of items whose stock moved', async () => {
		const item = await firstItem();
		const { poll } = poller({ event: 'stock', maxPerPoll: 100, overlapSeconds: 120 });
		expect(await poll()).toBeNull();
		await tick();
		const location = String(
			(sandbox.state('netsuite') as { locations: Array<{ id: number }> }).locations[0].id,
		);
		const adj = {
			subsidiary: { id: '1' },
			account: { id: '120' },
			inventory: { items: [{ item: { id: item.id }, location: { id: location }, adjustQtyBy: 3 }] },
		};
		expect((await ns()('POST', `${RECORD}/inventoryAdjustment`, { body: adj })).statusCode).toBe(
			204,
		);
		const rows = await poll();
		expect(rows).toHaveLength(3);
		expect(rows?.every((r) => r.sku === item.itemid && r.source === 'netsuite')).toBe(true);
		expect(await poll()).toBeNull();
	});

	it('shows the latest changes in a manual run without saving a cursor', async () => {
		const { poll, staticData } = poller(
			{ event: 'items', maxPerPoll: 5, overlapSeconds: 120 },
			'manual',
		);
		const rows = await poll();
		expect(rows).toHaveLength(5);
		expect(rows?.[0]).toMatchObject({
			source: 'netsuite',
			changedAt: expect.stringMatching(/^\d{4}-/),
		});
		expect(staticData.cursor).toBeUndefined();
	});
});

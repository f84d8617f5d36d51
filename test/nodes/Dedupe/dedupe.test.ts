import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { Dedupe, testStateStoreCredential } from '../../../nodes/Dedupe/Dedupe.node';
import { closeAllStateStores, getStateStore, type StateStoreConfig } from '../../../nodes/shared/n8n/state/factory';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { serviceReachable, TEST_POSTGRES, TEST_REDIS } from '../../unit/state/services';

const dir = mkdtempSync(join(tmpdir(), 'cs-dedupe-node-'));
afterAll(async () => {
	await closeAllStateStores();
	rmSync(dir, { recursive: true, force: true });
});

interface Backend {
	name: string;
	credential: IDataObject;
	config: StateStoreConfig;
}

const backends: Backend[] = [
	{
		name: 'embedded',
		credential: { backend: 'embedded', directory: join(dir, 'state') },
		config: { backend: 'embedded', directory: join(dir, 'state') },
	},
];
if (serviceReachable('PostgreSQL', TEST_POSTGRES.port, TEST_POSTGRES.host)) {
	backends.push({
		name: 'postgres',
		credential: { backend: 'postgres', ...TEST_POSTGRES, password: '', schema: 'public', ssl: 'disable' },
		config: { backend: 'postgres', ...TEST_POSTGRES, password: '', schema: 'public', ssl: 'disable' },
	});
}
if (serviceReachable('Redis', TEST_REDIS.port, TEST_REDIS.host)) {
	backends.push({
		name: 'redis',
		credential: { backend: 'redis', host: TEST_REDIS.host, redisPort: TEST_REDIS.port, ssl: 'disable' },
		config: { backend: 'redis', host: TEST_REDIS.host, port: TEST_REDIS.port, db: 0, username: '', password: '', prefix: 'cs:', ssl: 'disable' },
	});
}

const node = new Dedupe();

function context(
	backend: Backend,
	items: IDataObject[] | INodeExecutionData[],
	params: Record<string, ParamValue>,
	opts: { workflowId?: string; nodeId?: string; continueOnFail?: boolean } = {},
): IExecuteFunctions {
	const inputs = (items as Array<IDataObject | INodeExecutionData>).map((i) =>
		'json' in i && typeof i.json === 'object' ? (i as INodeExecutionData) : { json: i as IDataObject },
	);
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs,
		params: { stateStore: 'credential', ...params },
		credentials: { commerceSyncStateStoreApi: backend.credential },
		continueOnFail: opts.continueOnFail,
		node: { id: opts.nodeId ?? 'node-1' },
		helpers: { getStoragePath: () => join(dir, 'storage', 'n8n-nodes-commerce-sync.commerceSyncDedupe') },
	});
	return Object.assign(ctx, { getWorkflow: () => ({ id: opts.workflowId ?? 'wf', active: true }) });
}

const keys = (items: INodeExecutionData[], field = 'id') => items.map((i) => i.json[field]);
const meta = (item: INodeExecutionData) => item.json._dedupe as IDataObject;

describe.each(backends)('Dedupe node on $name', (backend) => {
	let wf: string;
	beforeEach(() => {
		wf = `wf-${randomUUID()}`;
	});
	const run = (items: IDataObject[] | INodeExecutionData[], params: Record<string, ParamValue>, opts = {}) =>
		node.execute.call(context(backend, items, params, { workflowId: wf, ...opts }));

	describe('check and record', () => {
		const params = { keySource: 'fields', keyFields: 'id' };

		it('sends first sightings to New and repeats (in the input or from earlier runs) to Duplicate', async () => {
			const [fresh, dup] = await run([{ id: 'a' }, { id: 'b' }, { id: 'a' }, { id: 'c' }, { id: 'b' }], params);
			expect(keys(fresh)).toEqual(['a', 'b', 'c']);
			expect(keys(dup)).toEqual(['a', 'b']);
			expect(fresh.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }]);
			expect(meta(dup[0])).toMatchObject({ key: 'a', status: 'duplicate', namespace: `dd:wf:${wf}` });
			expect(meta(fresh[0]).token).toBeUndefined();

			const [fresh2, dup2] = await run([{ id: 'c' }, { id: 'd' }], params);
			expect(keys(fresh2)).toEqual(['d']);
			expect(keys(dup2)).toEqual(['c']);
		});

		it('lets exactly one of 8 parallel executions pass each key', async () => {
			const ids = Array.from({ length: 150 }, (_, i) => ({ id: `k${i}` }));
			const results = await Promise.all(
				Array.from({ length: 8 }, (_, n) => run(n % 2 ? [...ids].reverse() : ids, params)),
			);
			const passed = results.flatMap(([fresh]) => keys(fresh));
			expect(passed).toHaveLength(150);
			expect(new Set(passed).size).toBe(150);
			expect(results.reduce((n, [, dup]) => n + dup.length, 0)).toBe(7 * 150);
		});

		it('builds keys from several fields, an expression, or a content hash', async () => {
			const items = [
				{ shop: 's1', id: 1, body: { x: 1, y: 2 } },
				{ shop: 's2', id: 1, body: { y: 2, x: 1 } },
				{ shop: 's1', id: 1, body: { x: 9 } },
			];
			const [byFields] = await run(items, { keySource: 'fields', keyFields: 'shop, id' });
			expect(byFields).toHaveLength(2);
			const [byExpr] = await run(items, { keySource: 'expression', keyValue: (i: number) => `${items[i].id}` }, { nodeId: 'n2' , workflowId: `${wf}-e` });
			expect(byExpr).toHaveLength(1);
			const [byHash, hashDup] = await run(items, { keySource: 'hash', hashFields: 'body' }, { workflowId: `${wf}-h` });
			expect(byHash.map((i) => i.json.shop)).toEqual(['s1', 's1']);
			expect(hashDup.map((i) => i.json.shop)).toEqual(['s2']);
			expect(String(meta(byHash[0]).key)).toMatch(/^hash:[0-9a-f]{64}$/);
		});

		it('names the item and field when a key field is missing, and with Continue keeps going', async () => {
			await expect(run([{ id: 'x' }, { other: 1 }], params)).rejects.toThrow(/no field "id".*\[item 1\]/);
			const [fresh, dup] = await run([{ id: 'y' }, { other: 1 }, { id: 'z' }], params, { continueOnFail: true });
			expect(fresh.map((i) => i.json.id ?? 'error')).toEqual(['y', 'error', 'z']);
			expect(fresh[1].json.error).toMatchObject({ field: 'id', itemIndex: 1 });
			expect(dup).toEqual([]);
		});

		it('refuses an empty expression key', async () => {
			await expect(run([{ id: '' }], { keySource: 'expression', keyValue: '' })).rejects.toThrow(/key is empty/);
		});
	});

	describe('scopes', () => {
		it('keeps workflows apart but shares a named namespace between them', async () => {
			const ns = `orders.${randomUUID().slice(0, 8)}`;
			const p = { keySource: 'fields', keyFields: 'id' };
			expect((await run([{ id: 1 }], p, { workflowId: `${wf}-a` }))[0]).toHaveLength(1);
			expect((await run([{ id: 1 }], p, { workflowId: `${wf}-b` }))[0]).toHaveLength(1);
			const shared = { ...p, scope: 'namespace', namespace: ns };
			expect((await run([{ id: 1 }], shared, { workflowId: `${wf}-a` }))[0]).toHaveLength(1);
			expect((await run([{ id: 1 }], shared, { workflowId: `${wf}-b` }))[1]).toHaveLength(1);
			const nodeScope = { ...p, scope: 'node' };
			expect((await run([{ id: 1 }], nodeScope, { nodeId: 'n1' }))[0]).toHaveLength(1);
			expect((await run([{ id: 1 }], nodeScope, { nodeId: 'n2' }))[0]).toHaveLength(1);
			expect((await run([{ id: 1 }], nodeScope, { nodeId: 'n1' }))[1]).toHaveLength(1);
		});

		it('rejects a bad namespace name with what is allowed', async () => {
			await expect(run([{ id: 1 }], { keySource: 'fields', keyFields: 'id', scope: 'namespace', namespace: 'a b' })).rejects.toThrow(
				/namespace "a b" is not valid/,
			);
		});
	});

	describe('reserve now, confirm after success', () => {
		const reserve = { keySource: 'fields', keyFields: 'id', recordMode: 'afterConfirm' };

		it('holds reserved keys against other executions until Confirm, then remembers them', async () => {
			const [fresh] = await run([{ id: 'o1' }, { id: 'o2' }], reserve);
			expect(fresh.every((i) => typeof meta(i).token === 'string')).toBe(true);
			const [, inFlight] = await run([{ id: 'o1' }], reserve);
			expect(meta(inFlight[0]).status).toBe('inFlight');

			const [confirmed] = await run(fresh, { operation: 'confirm' });
			expect(confirmed.map((i) => meta(i).status)).toEqual(['confirmed', 'confirmed']);
			expect(confirmed.every((i) => meta(i).token === undefined)).toBe(true);
			const [, dup] = await run([{ id: 'o1' }], reserve);
			expect(meta(dup[0]).status).toBe('duplicate');
		});

		it('lets a retry pass after Release', async () => {
			const [fresh] = await run([{ id: 'r1' }], reserve);
			const [released] = await run(fresh, { operation: 'release' });
			expect(meta(released[0]).status).toBe('released');
			const [again] = await run([{ id: 'r1' }], reserve);
			expect(again).toHaveLength(1);
		});

		it('fails Confirm when the reservation was lost, or marks it when told not to fail', async () => {
			const [fresh] = await run([{ id: 'l1' }], reserve);
			const store = await getStateStore(backend.config);
			const m = meta(fresh[0]);
			await store.release(String(m.namespace), String(m.key), String(m.token));
			await expect(run(fresh, { operation: 'confirm' })).rejects.toThrow(/reservation of key "l1" ran out/);
			const [out] = await run(fresh, { operation: 'confirm', options: { failIfLost: false } });
			expect(meta(out[0])).toMatchObject({ status: 'lost', confirmed: false });
		});

		it('passes items without a reservation through Confirm untouched, and names the missing field', async () => {
			const [, dup] = await run([{ id: 'd1' }, { id: 'd1' }], reserve);
			const [out] = await run(dup, { operation: 'confirm' });
			expect(out[0].json).toEqual(dup[0].json);
			await expect(run([{ id: 1 }], { operation: 'confirm' })).rejects.toThrow(/has no "_dedupe" field/);
		});
	});

	describe('changed only', () => {
		const changed = { keySource: 'fields', keyFields: 'sku', passWhen: 'changed', compareFields: 'price, qty' };

		it('passes a record again only when the compared fields change', async () => {
			const [first] = await run([{ sku: 'A', price: 10, qty: 1, seenAt: 1 }], changed);
			expect(first).toHaveLength(1);
			const [, same] = await run([{ sku: 'A', price: 10, qty: 1, seenAt: 2 }], changed);
			expect(same).toHaveLength(1);
			const [moved] = await run([{ sku: 'A', price: 12, qty: 1, seenAt: 3 }], changed);
			expect(meta(moved[0]).previousHash).toBe(meta(first[0]).hash);
			expect(meta(moved[0]).hash).not.toBe(meta(first[0]).hash);
		});

		it('compares the whole item (without its dedupe metadata) when no fields are listed', async () => {
			const p = { ...changed, compareFields: '' };
			const [first] = await run([{ sku: 'B', price: 1 }], p);
			const [, again] = await run(first, p);
			expect(again).toHaveLength(1);
		});

		it('refuses a content-hash key in changed-only mode, saying why', async () => {
			await expect(run([{ sku: 'C' }], { ...changed, keySource: 'hash' })).rejects.toThrow(/needs a key that identifies/);
		});
	});

	describe('count and clear', () => {
		it('counts the scope’s keys and clears some or all of them', async () => {
			const p = { keySource: 'fields', keyFields: 'id' };
			await run([{ id: 1 }, { id: 2 }, { id: 3 }], p);
			const [counted] = await run([{}], { operation: 'count' });
			expect(counted[0].json).toMatchObject({ namespace: `dd:wf:${wf}`, committed: 3, reserved: 0 });
			const [forgot] = await run([{ id: 2 }, { id: 9 }], { operation: 'clear', clearWhat: 'items', ...p });
			expect(forgot.map((i) => meta(i).forgotten)).toEqual([true, false]);
			expect((await run([{ id: 2 }], p))[0]).toHaveLength(1);
			const [cleared] = await run([{}], { operation: 'clear', clearWhat: 'all' });
			expect(cleared[0].json.cleared).toBe(3);
			expect((await run([{}], { operation: 'count' }))[0][0].json).toMatchObject({ committed: 0 });
		});
	});

	it('passes the credential test', async () => {
		const result = await testStateStoreCredential({ id: '1', name: 'c', type: 'commerceSyncStateStoreApi', data: backend.credential as ICredentialDataDecryptedObject });
		expect(result).toMatchObject({ status: 'OK' });
		expect(result.message).toContain(backend.name);
	});
});

describe('credential test failures', () => {
	it.each([
		['postgres', { backend: 'postgres', host: '127.0.0.1', port: 1, database: 'x', user: 'u', password: 's3cret-pw' }],
		['redis', { backend: 'redis', host: '127.0.0.1', redisPort: 1, redisPassword: 's3cret-pw' }],
	])('reports an unreachable %s server without leaking the password', async (_name, data) => {
		const result = await testStateStoreCredential({ id: '1', name: 'c', type: 'commerceSyncStateStoreApi', data });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/127\.0\.0\.1:1/);
		expect(result.message).not.toContain('s3cret-pw');
	});
});

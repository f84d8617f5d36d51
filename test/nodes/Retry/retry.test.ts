import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Retry, withRetryDeps, type RetryMeta } from '../../../nodes/Retry/Retry.node';
import type { Clock } from '../../../nodes/shared/core/resilience/clock';
import { closeAllStateStores } from '../../../nodes/shared/n8n/state/factory';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { serviceReachable, TEST_POSTGRES, TEST_REDIS } from '../../unit/state/services';

const dir = mkdtempSync(join(tmpdir(), 'cs-retry-node-'));
afterAll(async () => {
	await closeAllStateStores();
	rmSync(dir, { recursive: true, force: true });
});

const backends: Array<{ name: string; credential: IDataObject }> = [
	{ name: 'embedded', credential: { backend: 'embedded', directory: join(dir, 'state') } },
];
if (serviceReachable('PostgreSQL', TEST_POSTGRES.port, TEST_POSTGRES.host)) {
	backends.push({ name: 'postgres', credential: { backend: 'postgres', ...TEST_POSTGRES, ssl: 'disable' } });
}
if (serviceReachable('Redis', TEST_REDIS.port, TEST_REDIS.host)) {
	backends.push({ name: 'redis', credential: { backend: 'redis', host: TEST_REDIS.host, redisPort: TEST_REDIS.port } });
}

/** A clock whose sleeps return at once and move time on, recording each wait. */
class FakeClock implements Clock {
	slept: number[] = [];
	constructor(public t: number) {}
	now(): number {
		return this.t;
	}
	async sleep(ms: number): Promise<void> {
		this.slept.push(ms);
		this.t += ms;
	}
}

const node = new Retry();
const meta = (item: INodeExecutionData) => item.json._retry as RetryMeta;
const HOUR = 3_600_000;

describe.each(backends)('Retry node on $name', ({ credential }) => {
	let queueName: string;
	let clock: FakeClock;
	beforeEach(() => {
		queueName = `q-${randomUUID().slice(0, 8)}`;
		clock = new FakeClock(Date.now());
	});

	const run = (items: IDataObject[], params: Record<string, ParamValue>, random = () => 0.5) => {
		const ctx = fakeExecuteFunctions({
			description: node.description,
			inputs: items.map((json) => ({ json })),
			params: { stateStore: 'credential', queueName, ...params },
			credentials: { commerceSyncStateStoreApi: credential },
			helpers: { getStoragePath: () => join(dir, 'storage', 'x') },
		});
		return node.execute.call(withRetryDeps(ctx, { clock, random }));
	};

	describe('classify and route', () => {
		it('sends retryable items to Retry after one hold honouring Retry-After, permanent ones to Dead Letter', async () => {
			const [retry, dead] = await run(
				[
					{ orderId: 1, correlationId: 'c-1', error: { message: 'Too many', httpCode: '429', response: { headers: { 'retry-after': '2' } } } },
					{ orderId: 2, error: { message: 'Service Unavailable', httpCode: '503' } },
					{ orderId: 3, error: { message: 'Not found', httpCode: '404' } },
					{ orderId: 4, error: { message: 'reset', code: 'ECONNRESET' } },
				],
				{},
			);
			expect(retry.map((i) => i.json.orderId)).toEqual([1, 2, 4]);
			expect(dead.map((i) => i.json.orderId)).toEqual([3]);
			expect(clock.slept).toEqual([2000]);
			expect(retry[0].json).toEqual({ orderId: 1, correlationId: 'c-1', _retry: expect.objectContaining({ attempts: 1, correlationId: 'c-1', waitMs: 2000 }) });
			expect(meta(retry[1]).waitMs).toBe(500); // random 0.5 × (base 1000 + 1), floored
			expect(meta(retry[1]).correlationId).toMatch(/^[0-9a-f-]{36}$/);
			expect(meta(dead[0])).toMatchObject({ reason: 'permanent', lastError: { status: 404, kind: 'notFound', retryable: false } });
			expect(retry.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }]);
		});

		it('backs off exponentially with full jitter up to the cap, counting attempts carried in the item', async () => {
			const failing = (attempts: number) => ({
				sku: 'A',
				error: { message: 'x', httpCode: '500' },
				_retry: { attempts, correlationId: 'c', firstFailedAt: '2026-01-01T00:00:00.000Z' },
			});
			const params = { baseMs: 100, capMs: 1000, maxAttempts: 10 };
			await run([failing(2)], params, () => 0.999);
			expect(clock.slept).toEqual([400]); // attempt 3: ⌊0.999 × (ceiling 100·2² + 1)⌋
			await run([failing(8)], params, () => 0.999);
			expect(clock.slept[1]).toBe(999); // attempt 9: ceiling capped at 1000
			const [retry] = await run([failing(0)], params, () => 0);
			expect(meta(retry[0])).toMatchObject({ attempts: 1, firstFailedAt: expect.any(String) });
			const [again] = await run([failing(4)], params, () => 0);
			expect(meta(again[0])).toMatchObject({ attempts: 5, correlationId: 'c', firstFailedAt: '2026-01-01T00:00:00.000Z' });
		});

		it('dead-letters an item whose attempts are used up, and keeps it for List', async () => {
			const [retry, dead] = await run(
				[{ sku: 'B', error: { message: 'x', httpCode: '503' }, _retry: { attempts: 5, correlationId: 'c-5' } }],
				{ maxAttempts: 5 },
			);
			expect(retry).toEqual([]);
			expect(meta(dead[0])).toMatchObject({ attempts: 6, reason: 'attemptsExhausted', correlationId: 'c-5' });
			const [listed] = await run([{}], { operation: 'list', queue: 'dead' });
			expect(listed).toHaveLength(1);
			expect(listed[0].json).toMatchObject({ id: meta(dead[0]).deadLetterId, payload: { sku: 'B' }, correlationId: 'c-5', reason: 'deadLetter' });
		});

		it('parks an item in the durable queue instead of holding the execution for a long wait', async () => {
			const [retry, dead] = await run(
				[{ sku: 'C', correlationId: 'c-9', error: { message: 'quota', httpCode: '429', response: { headers: { 'Retry-After': '3600' } } } }],
				{ maxHoldSeconds: 60 },
			);
			expect([retry, dead]).toEqual([[], []]);
			expect(clock.slept).toEqual([]);
			const [listed] = await run([{}], { operation: 'list', queue: 'scheduled' });
			expect(listed[0].json).toMatchObject({
				payload: { sku: 'C', correlationId: 'c-9' },
				attempts: 1,
				dueAt: new Date(clock.now() + HOUR).toISOString(),
				reason: 'scheduled',
				error: { status: 429, retryAfterMs: HOUR },
			});
		});

		it('ignores Retry-After when told to', async () => {
			await run([{ error: { message: 'x', httpCode: '429', response: { headers: { 'Retry-After': '30' } } } }], {
				options: { honourRetryAfter: false },
			});
			expect(clock.slept).toEqual([500]);
		});
	});

	describe('replay, list, purge', () => {
		/** Parks items due an hour after a clock started a day ago: due now for the store's real clock. */
		async function parkDue(n: number): Promise<void> {
			clock.t = Date.now() - 24 * HOUR;
			const items = Array.from({ length: n }, (_, i) => ({
				orderId: i,
				correlationId: `corr-${i}`,
				error: { message: 'quota', httpCode: '429', response: { headers: { 'Retry-After': '3600' } } },
			}));
			await run(items, {});
		}

		it('replays due entries once with their payload and correlation id, and removes them', async () => {
			await parkDue(3);
			const [replayed] = await run([{}], { operation: 'replay', queue: 'scheduled' });
			expect(replayed.map((i) => i.json.orderId)).toEqual([0, 1, 2]);
			expect(replayed[1].json).toMatchObject({ orderId: 1, correlationId: 'corr-1', _retry: { attempts: 1, correlationId: 'corr-1' } });
			expect(replayed[1].json.error).toBeUndefined();
			expect((await run([{}], { operation: 'replay', queue: 'scheduled' }))[0]).toEqual([]);
			expect((await run([{}], { operation: 'list', queue: 'scheduled' }))[0]).toEqual([]);
		});

		it('never gives one entry to two executions replaying at once', async () => {
			await parkDue(12);
			const results = await Promise.all(
				Array.from({ length: 4 }, () => run([{}], { operation: 'replay', queue: 'scheduled', limit: 5 })),
			);
			const ids = results.flatMap(([out]) => out.map((i) => i.json.orderId));
			expect(ids).toHaveLength(12);
			expect(new Set(ids).size).toBe(12);
		});

		it('leaves entries that are not due yet', async () => {
			await run([{ error: { message: 'x', httpCode: '429', response: { headers: { 'Retry-After': '7200' } } } }], {});
			expect((await run([{}], { operation: 'replay', queue: 'scheduled' }))[0]).toEqual([]);
			expect((await run([{}], { operation: 'list', queue: 'scheduled' }))[0]).toHaveLength(1);
		});

		it('replays dead letters on demand with a fresh attempt budget', async () => {
			await run([{ sku: 'D', error: { message: 'bad', httpCode: '422' } }], {});
			const [replayed] = await run([{}], { operation: 'replay', queue: 'dead' });
			expect(replayed[0].json).toMatchObject({ sku: 'D', _retry: { attempts: 0 } });
		});

		it('purges chosen entries or a whole queue, and asks for IDs when none are given', async () => {
			await run(
				[1, 2, 3].map((i) => ({ i, error: { message: 'bad', httpCode: '400' } })),
				{},
			);
			const [listed] = await run([{}], { operation: 'list', queue: 'dead' });
			const [byId] = await run([{}], { operation: 'purge', queue: 'dead', purgeWhat: 'ids', ids: `${listed[0].json.id}, nope` });
			expect(byId[0].json).toMatchObject({ requested: 2, purged: 1 });
			const [all] = await run([{}], { operation: 'purge', queue: 'dead', purgeWhat: 'all' });
			expect(all[0].json).toMatchObject({ purged: 2 });
			await expect(run([{}], { operation: 'purge', queue: 'dead', purgeWhat: 'ids', ids: ' ' })).rejects.toThrow(/No entry IDs/);
		});

		it('rejects a bad queue name with what is allowed', async () => {
			queueName = 'has space';
			await expect(run([{}], { operation: 'list', queue: 'dead' })).rejects.toThrow(/namespace "has space" is not valid/);
		});
	});
});

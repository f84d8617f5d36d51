/**
 * Retry remembers which node each item failed in, through parking and dead-lettering, so a
 * replay workflow can send every entry back to the node it came from (a Switch on _retry.source).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, ISourceData } from 'n8n-workflow';

import { Retry, withRetryDeps, type RetryMeta } from '../../../nodes/Retry/Retry.node';
import type { Clock } from '../../../nodes/shared/core/resilience/clock';
import { closeAllStateStores } from '../../../nodes/shared/n8n/state/factory';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';

const dir = mkdtempSync(join(tmpdir(), 'cs-retry-source-'));
afterAll(async () => {
	await closeAllStateStores();
	rmSync(dir, { recursive: true, force: true });
});

/** Time stands where a test puts it; holds return at once. */
let at = Date.now();
const clock: Clock = { now: () => at, sleep: async () => undefined };
const HOUR = 3_600_000;
const node = new Retry();
const meta = (item: INodeExecutionData) => item.json._retry as RetryMeta;

describe('Retry records the node an item failed in', () => {
	let queueName: string;
	beforeEach(() => {
		queueName = `q-${randomUUID().slice(0, 8)}`;
		at = Date.now();
	});

	/** Runs the node as n8n would when `from` feeds it (undefined: no source data at all). */
	const run = (items: IDataObject[], params: Record<string, ParamValue>, from?: string) => {
		const ctx = fakeExecuteFunctions({
			description: node.description,
			inputs: items.map((json) => ({ json })),
			params: { stateStore: 'credential', queueName, ...params },
			credentials: { commerceSyncStateStoreApi: { backend: 'embedded', directory: join(dir, 'state') } },
		});
		const withSource: IExecuteFunctions = Object.assign(ctx, {
			getInputSourceData: (): ISourceData => {
				if (from === undefined) throw new Error('Source data is missing');
				return { previousNode: from, previousNodeOutput: 1, previousNodeRun: 0 };
			},
		});
		return node.execute.call(withRetryDeps(withSource, { clock, random: () => 0 }));
	};

	it('marks retried and dead-lettered items with the feeding node, and keeps it in the dead letter', async () => {
		const [retry, dead] = await run(
			[
				{ sku: 'A', error: { message: 'down', httpCode: '503' } },
				{ sku: 'B', error: { message: 'bad', httpCode: '422' } },
			],
			{},
			'Shopify: Upsert Product',
		);
		expect(meta(retry[0]).source).toBe('Shopify: Upsert Product');
		expect(meta(dead[0]).source).toBe('Shopify: Upsert Product');

		const [listed] = await run([{}], { operation: 'list', queue: 'dead' });
		expect(listed[0].json).toMatchObject({ source: 'Shopify: Upsert Product', payload: { sku: 'B' } });

		const [replayed] = await run([{}], { operation: 'replay', queue: 'dead' });
		expect(replayed[0].json).toMatchObject({ sku: 'B', _retry: { source: 'Shopify: Upsert Product', attempts: 0 } });
	});

	it('keeps the source of a parked retry until it is replayed', async () => {
		// Parked a day ago for an hour: due now for the store, which reads the real time.
		at = Date.now() - 24 * HOUR;
		await run(
			[{ sku: 'C', error: { message: 'quota', httpCode: '429', response: { headers: { 'retry-after': '3600' } } } }],
			{},
			'Amazon: Update Listing Price',
		);
		const [replayed] = await run([{}], { operation: 'replay', queue: 'scheduled' });
		expect(replayed.map((i) => [i.json.sku, meta(i).source])).toEqual([['C', 'Amazon: Update Listing Price']]);
	});

	it('without source data, an item keeps the source it already carried', async () => {
		const [retry] = await run(
			[{ sku: 'D', error: { message: 'down', httpCode: '503' }, _retry: { attempts: 1, correlationId: 'c', source: 'eBay: Update Offer Price' } }],
			{},
		);
		expect(meta(retry[0])).toMatchObject({ attempts: 2, source: 'eBay: Update Offer Price' });
		const [fresh] = await run([{ sku: 'E', error: { message: 'down', httpCode: '503' } }], {});
		expect(meta(fresh[0]).source).toBeUndefined();
	});

	it('an item sent here without an error keeps its source and last error, and is kept as a dead letter', async () => {
		const carried = { attempts: 0, correlationId: 'c-7', source: 'Some Node Elsewhere', lastError: { message: 'Listing not found', kind: 'notFound', retryable: false } };
		const [retry, dead] = await run([{ sku: 'F', _retry: carried }], {}, 'Send Back to the Node It Came From');
		expect(retry).toEqual([]);
		expect(meta(dead[0])).toMatchObject({ source: 'Some Node Elsewhere', lastError: { message: 'Listing not found' }, reason: 'permanent' });
		const [listed] = await run([{}], { operation: 'list', queue: 'dead' });
		expect(listed[0].json).toMatchObject({ source: 'Some Node Elsewhere', payload: { sku: 'F' }, error: { message: 'Listing not found' } });
	});
});

import { randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { cleanErrorBody } from '../shared/core/http/errors';
import { fullJitterBackoff } from '../shared/core/resilience/backoff';
import type { Clock } from '../shared/core/resilience/clock';
import { retryQueueNamespaces, splitFieldList, StateKeyError } from '../shared/core/state/keys';
import type { DeadLetter, StateStore } from '../shared/core/state/types';
import { n8nClock } from '../shared/n8n/clock';
import { InputError, toNodeError } from '../shared/n8n/errors';
import { stateStoreFor } from '../shared/n8n/state/factory';
import { classifyError, type Classified } from './classify';
import { retryDescription } from './description';

/** What travels with an item between tries (in `json._retry`). */
export interface RetryMeta extends IDataObject {
	/** Tries that have failed so far (1 after the first failure). */
	attempts: number;
	correlationId: string;
	firstFailedAt: string;
	/** The wait before this retry, ms. */
	waitMs?: number;
	lastError?: IDataObject;
	/** Set on items replayed from the queue. */
	deadLetterId?: string;
	reason?: string;
	/**
	 * The node the item failed in (the one feeding Retry), kept with parked and dead entries, so
	 * a Switch after "Replay Due" can send each item back to the node it came from.
	 */
	source?: string;
}

const META = '_retry';

/** Dependencies a test can replace: time and the jitter source. */
export interface RetryDeps {
	clock: Clock;
	random: () => number;
}

/** Per-context overrides of time and jitter; absent in n8n, set by tests so nothing really sleeps. */
const depsByContext = new WeakMap<object, RetryDeps>();

/** Makes `execute` on this context use `deps` instead of real time and Math.random. */
export function withRetryDeps<T extends object>(ctx: T, deps: RetryDeps): T {
	depsByContext.set(ctx, deps);
	return ctx;
}

export class Retry implements INodeType {
	description = retryDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const deps = depsByContext.get(this) ?? { clock: n8nClock, random: Math.random };
		const operation = this.getNodeParameter('operation', 0) as string;
		try {
			const store = await stateStoreFor(this);
			const queues = retryQueueNamespaces(this.getNodeParameter('queueName', 0) as string);
			switch (operation) {
				case 'route':
					return await route(this, store, queues, deps);
				case 'replay':
					return [await replay(this, store, queues), []];
				case 'list':
					return [await list(this, store, queues), []];
				case 'purge':
					return [await purge(this, store, queues), []];
				default:
					throw new Error(`The operation "${operation}" is not supported`);
			}
		} catch (error) {
			throw toNodeError(
				this.getNode(),
				error instanceof StateKeyError ? new InputError(error.message, error.field, error.hint) : error,
			);
		}
	}
}

interface Queues {
	scheduled: string;
	dead: string;
}

interface Decision {
	index: number;
	payload: IDataObject;
	meta: RetryMeta;
	classified: Classified;
	route: 'retry' | 'park' | 'dead';
	waitMs: number;
	why: string;
}

async function route(
	ctx: IExecuteFunctions,
	store: StateStore,
	queues: Queues,
	deps: RetryDeps,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const maxAttempts = positive(ctx, 'maxAttempts');
	const backoff = { baseMs: positive(ctx, 'baseMs'), capMs: positive(ctx, 'capMs') };
	const maxHoldMs = Math.max(0, Number(ctx.getNodeParameter('maxHoldSeconds', 0))) * 1000;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const honourRetryAfter = options.honourRetryAfter !== false;
	const keepDeadLetters = options.keepDeadLetters !== false;
	const now = deps.clock.now();

	const feedingNode = sourceNode(ctx);

	const decisions: Decision[] = items.map((item, index) => {
		const { payload, previous } = split(item.json);
		const classified = classifyError(item.json.error ?? item.error, now, options.unknownRetryable === true);
		const attempts = (previous?.attempts ?? 0) + 1;
		// An item sent here without an error (to put a replayed entry back, say) did not fail in the
		// node feeding Retry: it keeps the source and the error it carries.
		const failedHere = item.json.error !== undefined || item.error !== undefined;
		const meta: RetryMeta = {
			attempts,
			correlationId: correlationOf(item.json, previous),
			firstFailedAt: previous?.firstFailedAt ?? new Date(now).toISOString(),
			lastError: failedHere || !previous?.lastError ? errorSummary(classified) : previous.lastError,
		};
		const source = (failedHere ? feedingNode : undefined) ?? previous?.source ?? feedingNode;
		if (source !== undefined) meta.source = source;
		if (!classified.retryable) {
			return { index, payload, meta, classified, route: 'dead', waitMs: 0, why: 'permanent' };
		}
		if (attempts > maxAttempts) {
			return { index, payload, meta, classified, route: 'dead', waitMs: 0, why: 'attemptsExhausted' };
		}
		const jitter = fullJitterBackoff(attempts, backoff, deps.random);
		const waitMs = honourRetryAfter ? Math.max(jitter, classified.retryAfterMs ?? 0) : jitter;
		meta.waitMs = waitMs;
		return { index, payload, meta, classified, route: waitMs <= maxHoldMs ? 'retry' : 'park', waitMs, why: 'retryable' };
	});

	// Park and store before waiting: a cancelled execution must not lose what it decided to keep.
	for (const d of decisions) {
		if (d.route === 'park') {
			await store.put(queues.scheduled, {
				payload: d.payload,
				error: withSource(d.meta.lastError, d.meta.source),
				attempts: d.meta.attempts,
				dueAt: now + d.waitMs,
				correlationId: d.meta.correlationId,
				reason: 'scheduled',
			});
		} else if (d.route === 'dead' && keepDeadLetters) {
			d.meta.deadLetterId = await store.put(queues.dead, {
				payload: d.payload,
				error: withSource({ ...d.meta.lastError, reason: d.why }, d.meta.source),
				attempts: d.meta.attempts,
				dueAt: now,
				correlationId: d.meta.correlationId,
				reason: 'deadLetter',
			});
		}
	}

	// One hold covers every item: each waits at least its own backoff.
	const holdMs = Math.max(0, ...decisions.filter((d) => d.route === 'retry').map((d) => d.waitMs));
	if (holdMs > 0) await deps.clock.sleep(holdMs, ctx.getExecutionCancelSignal?.());

	const retry: INodeExecutionData[] = [];
	const dead: INodeExecutionData[] = [];
	for (const d of decisions) {
		if (d.route === 'park') continue;
		const meta: RetryMeta = d.route === 'dead' ? { ...d.meta, reason: d.why } : d.meta;
		const out = { json: { ...d.payload, [META]: meta }, pairedItem: { item: d.index } };
		(d.route === 'retry' ? retry : dead).push(out);
	}
	return [retry, dead];
}

async function replay(ctx: IExecuteFunctions, store: StateStore, queues: Queues): Promise<INodeExecutionData[]> {
	const queue = ctx.getNodeParameter('queue', 0) as 'scheduled' | 'dead';
	const limit = positive(ctx, 'limit');
	const leaseMs = positive(ctx, 'leaseSeconds') * 1000;
	const namespace = queues[queue];
	const claimed = await store.claimDue(namespace, { limit, leaseMs });
	const out: INodeExecutionData[] = [];
	for (const entry of claimed) {
		// Removed once handed on: if this item fails again it comes back through Retry with its count.
		if (!(await store.ack(namespace, entry.id, entry.leaseToken))) continue;
		const meta: RetryMeta = {
			// A dead letter replayed by hand (after fixing the cause) gets a fresh set of attempts.
			attempts: queue === 'dead' ? 0 : entry.attempts,
			correlationId: entry.correlationId ?? randomUUID(),
			firstFailedAt: new Date(entry.createdAt).toISOString(),
			lastError: entry.error as IDataObject | undefined,
			deadLetterId: entry.id,
		};
		const source = sourceOf(entry);
		if (source !== undefined) meta.source = source;
		const json: IDataObject = { ...(entry.payload as IDataObject), [META]: meta };
		if (json.correlationId === undefined) json.correlationId = meta.correlationId;
		out.push({ json, pairedItem: { item: 0 } });
	}
	return out;
}

async function list(ctx: IExecuteFunctions, store: StateStore, queues: Queues): Promise<INodeExecutionData[]> {
	const queue = ctx.getNodeParameter('queue', 0) as 'scheduled' | 'dead';
	const entries = await store.list(queues[queue], { limit: positive(ctx, 'limit') });
	return entries.map((e) => ({ json: describeEntry(e, queue), pairedItem: { item: 0 } }));
}

async function purge(ctx: IExecuteFunctions, store: StateStore, queues: Queues): Promise<INodeExecutionData[]> {
	const queue = ctx.getNodeParameter('queue', 0) as 'scheduled' | 'dead';
	const what = ctx.getNodeParameter('purgeWhat', 0) as 'all' | 'ids';
	if (what === 'all') {
		return [{ json: { queue, purged: await store.purge(queues[queue]) }, pairedItem: { item: 0 } }];
	}
	const ids = splitFieldList(String(ctx.getNodeParameter('ids', 0) ?? ''));
	if (ids.length === 0) {
		throw new InputError('No entry IDs to purge', 'ids', 'List IDs as shown by the List operation, e.g. "12, 13"');
	}
	return [{ json: { queue, requested: ids.length, purged: await store.purge(queues[queue], ids) }, pairedItem: { item: 0 } }];
}

function describeEntry(e: DeadLetter, queue: string): IDataObject {
	return {
		id: e.id,
		queue,
		reason: e.reason,
		attempts: e.attempts,
		dueAt: new Date(e.dueAt).toISOString(),
		createdAt: new Date(e.createdAt).toISOString(),
		correlationId: e.correlationId,
		source: sourceOf(e),
		claims: e.claims,
		leasedUntil: e.leaseUntil === undefined ? undefined : new Date(e.leaseUntil).toISOString(),
		error: e.error as IDataObject | undefined,
		payload: e.payload as IDataObject,
	};
}

/**
 * The node whose output feeds this run of Retry (its error output, normally). Each run of a node
 * fed by several nodes has exactly one source, so this is per run, not per item.
 */
function sourceNode(ctx: IExecuteFunctions): string | undefined {
	try {
		const name = ctx.getInputSourceData?.(0)?.previousNode;
		return typeof name === 'string' && name !== '' ? name : undefined;
	} catch {
		// No source data: a manual run of this node alone, or a context without it.
		return undefined;
	}
}

// The store keeps an entry's error as free JSON, so the source travels inside it.
function withSource(error: IDataObject | undefined, source: string | undefined): IDataObject | undefined {
	return source === undefined ? error : { ...error, source };
}

function sourceOf(entry: DeadLetter): string | undefined {
	const source = (entry.error as IDataObject | undefined)?.source;
	return typeof source === 'string' && source !== '' ? source : undefined;
}

/** The item without its error and retry bookkeeping: what gets sent again. */
function split(json: IDataObject): { payload: IDataObject; previous?: RetryMeta } {
	const payload = { ...json };
	delete payload.error;
	const previous = payload[META] as RetryMeta | undefined;
	delete payload[META];
	return { payload, previous: previous && typeof previous === 'object' ? previous : undefined };
}

function correlationOf(json: IDataObject, previous?: RetryMeta): string {
	const own = json.correlationId;
	if (typeof own === 'string' && own !== '') return own;
	if (typeof own === 'number') return String(own);
	return previous?.correlationId ?? randomUUID();
}

function errorSummary(c: Classified): IDataObject {
	const out: IDataObject = { message: String(cleanErrorBody(c.message)), kind: c.kind, retryable: c.retryable };
	if (c.status !== undefined) out.status = c.status;
	if (c.code !== undefined) out.code = c.code;
	if (c.retryAfterMs !== undefined) out.retryAfterMs = c.retryAfterMs;
	if (c.requestId !== undefined) out.requestId = c.requestId;
	return out;
}

function positive(ctx: IExecuteFunctions, name: string): number {
	const value = Number(ctx.getNodeParameter(name, 0));
	if (!(value > 0)) throw new InputError(`"${name}" must be a number above zero, got ${value}`, name);
	return value;
}

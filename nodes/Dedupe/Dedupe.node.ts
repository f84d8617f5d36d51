import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import {
	contentHash,
	dedupeNamespace,
	keyFromFields,
	keyFromValue,
	splitFieldList,
	StateKeyError,
	type DedupeScope,
} from '../shared/core/state/keys';
import type { KeyClaim, StateStore } from '../shared/core/state/types';
import { errorDetails, InputError, toNodeError } from '../shared/n8n/errors';
import { errorItem } from '../shared/n8n/router';
import {
	configFromCredential,
	describeConfig,
	getStateStore,
	openStore,
	stateStoreFor,
} from '../shared/n8n/state/factory';
import { dedupeDescription } from './description';

/** What a passing or duplicate item carries so Confirm and Release know what to act on. */
export interface DedupeMeta extends IDataObject {
	key: string;
	namespace: string;
	status: 'new' | 'duplicate' | 'inFlight' | 'confirmed' | 'released' | 'lost';
	/** Reservation token, in "after confirm" mode. */
	token?: string;
	/** History TTL to apply on Confirm, in ms. */
	ttlMs?: number;
	hash?: string;
	previousHash?: string;
	/** When a duplicate's record expires, ISO time. */
	expiresAt?: string;
}

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** Same-key items run one after another; different keys run this many at a time. */
const CONCURRENCY = 16;

export class Dedupe implements INodeType {
	description = dedupeDescription;

	methods = {
		credentialTest: {
			async commerceSyncStateStoreConnection(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testStateStoreCredential(credential);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const store = await stateStoreFor(this).catch((error: unknown) => {
			throw toNodeError(this.getNode(), error);
		});
		switch (operation) {
			case 'deduplicate':
				return await deduplicate(this, store);
			case 'confirm':
			case 'release':
				return [await settle(this, store, operation), []];
			case 'count':
				return [await count(this, store), []];
			case 'clear':
				return [await clear(this, store), []];
			default:
				throw toNodeError(this.getNode(), new Error(`The operation "${operation}" is not supported`));
		}
	}
}

/** One input item's plan: its key (and hash), or the input error it met. */
interface Planned {
	index: number;
	key?: string;
	hash?: string;
	error?: unknown;
}

async function deduplicate(ctx: IExecuteFunctions, store: StateStore): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	if (items.length === 0) return [[], []];
	const passWhen = ctx.getNodeParameter('passWhen', 0) as 'new' | 'changed';
	const recordMode = ctx.getNodeParameter('recordMode', 0) as 'immediately' | 'afterConfirm';
	const namespace = namespaceFor(ctx);
	const ttlMs = Number(ctx.getNodeParameter('ttlValue', 0)) * (UNIT_MS[ctx.getNodeParameter('ttlUnit', 0) as string] ?? 0);
	if (!(ttlMs > 0)) throw toNodeError(ctx.getNode(), new InputError('"Remember For" must be more than zero', 'ttlValue'));
	const leaseMs =
		recordMode === 'afterConfirm' ? Number(ctx.getNodeParameter('leaseMinutes', 0)) * 60_000 : 0;
	if (recordMode === 'afterConfirm' && !(leaseMs > 0)) {
		throw toNodeError(ctx.getNode(), new InputError('"Reservation Timeout" must be more than zero', 'leaseMinutes'));
	}
	const changedOnly = passWhen === 'changed';
	const metaField = metaFieldName(ctx);

	const plans: Planned[] = items.map((item, index) => {
		try {
			const key = keyFor(ctx, item, index);
			if (changedOnly && ctx.getNodeParameter('keySource', index) === 'hash') {
				throw new InputError(
					'"Content Changed" needs a key that identifies the record, not a content hash',
					'keySource',
					'Set "Key From" to Fields or Expression (e.g. the SKU), and list the compared fields in "Compare Fields"',
				);
			}
			const hash = changedOnly
				? contentHash(withoutMeta(item.json, metaField), splitFieldList(ctx.getNodeParameter('compareFields', index, '') as string))
				: undefined;
			return { index, key, hash };
		} catch (error) {
			return { index, error: asInputError(error) };
		}
	});

	// Items sharing a key are decided in input order, as if one by one; distinct keys in parallel.
	const groups = new Map<string, Planned[]>();
	for (const plan of plans) {
		if (plan.key === undefined) continue;
		const group = groups.get(plan.key);
		if (group) group.push(plan);
		else groups.set(plan.key, [plan]);
	}
	const claims = new Map<number, KeyClaim | { error: unknown }>();
	await runLimited([...groups.values()], CONCURRENCY, async (group) => {
		for (const plan of group) {
			try {
				const claim =
					recordMode === 'afterConfirm'
						? await store.reserve(namespace, plan.key!, { leaseMs, hash: plan.hash, changedOnly })
						: await store.record(namespace, plan.key!, { ttlMs, hash: plan.hash, changedOnly });
				claims.set(plan.index, claim);
			} catch (error) {
				claims.set(plan.index, { error });
			}
		}
	});

	const fresh: INodeExecutionData[] = [];
	const seen: INodeExecutionData[] = [];
	for (const plan of plans) {
		const item = items[plan.index];
		const outcome = plan.error !== undefined ? { error: plan.error } : claims.get(plan.index)!;
		if ('error' in outcome) {
			const nodeError = toNodeError(ctx.getNode(), outcome.error, plan.index);
			if (!ctx.continueOnFail()) throw nodeError;
			fresh.push(errorItem(ctx, item, plan.index, errorDetails(outcome.error, plan.index)));
			continue;
		}
		const meta: DedupeMeta = { key: plan.key!, namespace, status: 'new' };
		if (plan.hash !== undefined) meta.hash = plan.hash;
		if (outcome.status === 'acquired') {
			if (recordMode === 'afterConfirm') {
				meta.token = outcome.token;
				meta.ttlMs = ttlMs;
			}
			if (outcome.previousHash !== undefined) meta.previousHash = outcome.previousHash;
			fresh.push({ json: { ...item.json, [metaField]: meta }, pairedItem: { item: plan.index } });
		} else {
			meta.status = outcome.status;
			meta.expiresAt = new Date(outcome.expiresAt).toISOString();
			seen.push({ json: { ...item.json, [metaField]: meta }, pairedItem: { item: plan.index } });
		}
	}
	return [fresh, seen];
}

/** Confirm or Release: acts on the reservation each item carries in its metadata field. */
async function settle(
	ctx: IExecuteFunctions,
	store: StateStore,
	operation: 'confirm' | 'release',
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const metaField = metaFieldName(ctx);
	const failIfLost = (ctx.getNodeParameter('options', 0, {}) as IDataObject).failIfLost !== false;
	const results = await mapLimited(items, CONCURRENCY, async (item, index) => {
		try {
			const meta = readMeta(item.json, metaField, index, operation);
			if (meta.status !== 'new' || !meta.token) {
				// Duplicates, check-and-record items and already settled ones have nothing to settle.
				return { json: item.json, pairedItem: { item: index } } as INodeExecutionData;
			}
			const ok =
				operation === 'confirm'
					? await store.commit(meta.namespace, meta.key, meta.token, meta.ttlMs ?? 30 * UNIT_MS.days)
					: await store.release(meta.namespace, meta.key, meta.token);
			if (!ok && operation === 'confirm' && failIfLost) {
				throw new InputError(
					`The reservation of key "${meta.key}" ran out before Confirm, so another execution may have processed the same item`,
					`${metaField}.token`,
					'Raise "Reservation Timeout" on the Dedupe node above so it covers the slowest run, or turn off "Fail If Reservation Lost"',
				);
			}
			// The token is spent either way; dropping it stops a second Confirm/Release acting on it.
			const settled: IDataObject = { ...meta, status: ok ? (operation === 'confirm' ? 'confirmed' : 'released') : 'lost' };
			delete settled.token;
			if (operation === 'confirm') settled.confirmed = ok;
			return { json: { ...item.json, [metaField]: settled }, pairedItem: { item: index } } as INodeExecutionData;
		} catch (error) {
			const nodeError = toNodeError(ctx.getNode(), error, index);
			if (!ctx.continueOnFail()) throw nodeError;
			return errorItem(ctx, item, index, errorDetails(error, index));
		}
	});
	return results;
}

async function count(ctx: IExecuteFunctions, store: StateStore): Promise<INodeExecutionData[]> {
	const namespace = namespaceFor(ctx);
	const counts = await store.count(namespace);
	return [{ json: { namespace, backend: store.backend, ...counts }, pairedItem: { item: 0 } }];
}

async function clear(ctx: IExecuteFunctions, store: StateStore): Promise<INodeExecutionData[]> {
	const namespace = namespaceFor(ctx);
	if (ctx.getNodeParameter('clearWhat', 0) === 'all') {
		const cleared = await store.clear(namespace);
		return [{ json: { namespace, backend: store.backend, cleared }, pairedItem: { item: 0 } }];
	}
	const items = ctx.getInputData();
	const metaField = metaFieldName(ctx);
	return await mapLimited(items, CONCURRENCY, async (item, index) => {
		try {
			const key = keyFor(ctx, { ...item, json: withoutMeta(item.json, metaField) }, index);
			const forgotten = await store.forget(namespace, key);
			return { json: { ...item.json, [metaField]: { key, namespace, forgotten } }, pairedItem: { item: index } };
		} catch (error) {
			const nodeError = toNodeError(ctx.getNode(), asInputError(error), index);
			if (!ctx.continueOnFail()) throw nodeError;
			return errorItem(ctx, item, index, errorDetails(asInputError(error), index));
		}
	});
}

function keyFor(ctx: IExecuteFunctions, item: INodeExecutionData, index: number): string {
	const source = ctx.getNodeParameter('keySource', index) as 'fields' | 'expression' | 'hash';
	const json = withoutMeta(item.json, metaFieldName(ctx));
	switch (source) {
		case 'fields':
			return keyFromFields(json, splitFieldList(ctx.getNodeParameter('keyFields', index) as string));
		case 'expression':
			return keyFromValue(ctx.getNodeParameter('keyValue', index), 'Key');
		case 'hash':
			return `hash:${contentHash(json, splitFieldList(ctx.getNodeParameter('hashFields', index, '') as string))}`;
	}
}

function namespaceFor(ctx: IExecuteFunctions): string {
	const scope = ctx.getNodeParameter('scope', 0) as DedupeScope;
	try {
		return dedupeNamespace(scope, {
			workflowId: ctx.getWorkflow().id,
			nodeId: ctx.getNode().id,
			name: scope === 'namespace' ? (ctx.getNodeParameter('namespace', 0) as string) : undefined,
		});
	} catch (error) {
		throw toNodeError(ctx.getNode(), asInputError(error));
	}
}

function metaFieldName(ctx: IExecuteFunctions): string {
	const value = (ctx.getNodeParameter('options', 0, {}) as IDataObject).metaField;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : '_dedupe';
}

function readMeta(json: IDataObject, field: string, index: number, operation: string): DedupeMeta {
	const meta = json[field] as DedupeMeta | undefined;
	if (!meta || typeof meta !== 'object' || typeof meta.key !== 'string' || typeof meta.namespace !== 'string') {
		throw new InputError(
			`Item ${index} has no "${field}" field from a Dedupe node, so there is nothing to ${operation}`,
			field,
			'Connect this node to items that passed a Dedupe "Deduplicate" in "After Confirm" mode, keeping the field',
		);
	}
	return meta;
}

// The metadata of an earlier Dedupe must not change the key or content hash of the item.
function withoutMeta(json: IDataObject, field: string): IDataObject {
	if (!(field in json)) return json;
	const rest = { ...json };
	delete rest[field];
	return rest;
}

function asInputError(error: unknown): unknown {
	return error instanceof StateKeyError ? new InputError(error.message, error.field, error.hint) : error;
}

async function runLimited<T>(tasks: T[], limit: number, run: (task: T) => Promise<void>): Promise<void> {
	let next = 0;
	const workers = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
		while (next < tasks.length) await run(tasks[next++]);
	});
	await Promise.all(workers);
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const out = new Array<R>(items.length);
	await runLimited(
		items.map((item, index) => ({ item, index })),
		limit,
		async ({ item, index }) => {
			out[index] = await fn(item, index);
		},
	);
	return out;
}

/**
 * Opens the store a credential describes and runs a reserve/release round trip in a throwaway
 * namespace. Secrets never reach the message.
 */
export async function testStateStoreCredential(credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const n8nFolder = process.env.N8N_USER_FOLDER ?? process.env.HOME ?? tmpdir();
	const config = configFromCredential(credential.data, () => join(n8nFolder, '.n8n', 'storage', 'credential-test'));
	let store: StateStore | undefined;
	const shared = config.backend === 'embedded';
	try {
		// The embedded file may already be open in this process: share that store, do not close it.
		store = shared ? await getStateStore(config) : await openStore(config);
		const namespace = 'cs:credential-test';
		const key = randomUUID();
		const claim = await store.reserve(namespace, key, { leaseMs: 60_000 });
		if (claim.status !== 'acquired' || !(await store.release(namespace, key, claim.token))) {
			return { status: 'Error', message: `The store at ${describeConfig(config)} did not accept a reservation` };
		}
		return { status: 'OK', message: `Connected: ${describeConfig(config)}, backend ${store.backend}` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	} finally {
		if (store && !shared) await store.close().catch(() => undefined);
	}
}

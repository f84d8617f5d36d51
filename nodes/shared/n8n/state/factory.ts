import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import type { StateStore, StoreClock } from '../../core/state/types';
import { JournalStore } from './journalStore';
import { PostgresStore } from './postgresStore';
import { RedisStore } from './redisStore';
import { loadSqlite, SqliteStore } from './sqliteStore';

/**
 * Chooses and opens a state store from the "Commerce Sync State Store" credential (or the
 * embedded default), and keeps one open store per configuration per process: every execution
 * of Dedupe and Retry shares it, which is what makes the embedded store atomic across parallel
 * executions and keeps connection pools from multiplying.
 */

/** The credential's type name. */
export const STATE_STORE_CREDENTIAL = 'commerceSyncStateStoreApi';

/** Folder name, next to n8n's per-node storage folders, that Dedupe and Retry share. */
export const EMBEDDED_DIR_NAME = 'n8n-nodes-commerce-sync';

/** What the factory needs to open a store. */
export type StateStoreConfig =
	| { backend: 'embedded'; directory: string }
	| {
			backend: 'postgres';
			host: string;
			port: number;
			database: string;
			user: string;
			password?: string;
			schema?: string;
			ssl?: 'disable' | 'require' | 'verify';
	  }
	| {
			backend: 'redis';
			host: string;
			port: number;
			db?: number;
			username?: string;
			password?: string;
			prefix?: string;
			ssl?: 'disable' | 'require' | 'verify';
	  };

const stores = new Map<string, Promise<StateStore>>();

/**
 * The directory of the embedded store: a sibling of n8n's storage folder for this node type,
 * named after the package, so every node of the package uses the same files.
 *
 * @param storagePath what `this.helpers.getStoragePath()` returns (`~/.n8n/storage/<node type>`)
 */
export function embeddedDirectory(storagePath: string): string {
	return join(dirname(storagePath), EMBEDDED_DIR_NAME);
}

/**
 * Opens the embedded store in `directory`: SQLite when this Node has `node:sqlite`, otherwise
 * the journal. A journal left by a Node 20 host is kept in use after an upgrade (see README):
 * switching silently to an empty SQLite file would forget every key.
 */
export async function openEmbeddedStore(directory: string, clock?: StoreClock): Promise<StateStore> {
	const journal = join(directory, 'state.journal');
	if (loadSqlite() && !existsSync(journal)) return SqliteStore.open(join(directory, 'state.sqlite'), { clock });
	return await JournalStore.open(journal, { clock });
}

/** Opens a store for a configuration, or returns the one already open in this process. */
export async function getStateStore(config: StateStoreConfig): Promise<StateStore> {
	const id = fingerprint(config);
	let store = stores.get(id);
	if (!store) {
		store = openStore(config);
		stores.set(id, store);
		// A failed open is not cached, so fixing the server or the credential is enough.
		store.catch(() => stores.delete(id));
	}
	return await store;
}

/** Opens a store without caching it (credential tests, benchmarks). */
export async function openStore(config: StateStoreConfig, clock?: StoreClock): Promise<StateStore> {
	switch (config.backend) {
		case 'embedded':
			return await openEmbeddedStore(resolve(config.directory), clock);
		case 'postgres':
			return await PostgresStore.open(
				{
					host: config.host,
					port: config.port,
					database: config.database,
					user: config.user,
					password: config.password || undefined,
					ssl: config.ssl === 'require' ? { rejectUnauthorized: false } : config.ssl === 'verify' ? true : undefined,
					connectionTimeoutMillis: 10_000,
				},
				{ clock, schema: config.schema || 'public' },
			);
		case 'redis':
			return await RedisStore.open(
				{
					host: config.host,
					port: config.port,
					db: config.db ?? 0,
					username: config.username || undefined,
					password: config.password || undefined,
					tls: config.ssl === 'require' ? { rejectUnauthorized: false } : config.ssl === 'verify' ? {} : undefined,
				},
				{ clock, prefix: config.prefix || 'cs:' },
			);
	}
}

/** Closes every cached store (tests, shutdown). */
export async function closeAllStateStores(): Promise<void> {
	const open = [...stores.values()];
	stores.clear();
	await Promise.all(open.map(async (p) => (await p.catch(() => undefined))?.close()));
}

/** Reads the credential's fields into a config; `storagePath` places the embedded default. */
export function configFromCredential(
	data: ICredentialDataDecryptedObject | undefined,
	storagePath: () => string,
): StateStoreConfig {
	const backend = (data?.backend as string | undefined) ?? 'embedded';
	const str = (name: string, fallback = '') => {
		const v = data?.[name];
		return typeof v === 'string' ? v.trim() : v === undefined || v === null ? fallback : String(v);
	};
	const num = (name: string, fallback: number) => {
		const v = Number(data?.[name]);
		return Number.isFinite(v) && data?.[name] !== '' && data?.[name] !== undefined ? v : fallback;
	};
	const ssl = str('ssl', 'disable') as 'disable' | 'require' | 'verify';
	switch (backend) {
		case 'postgres':
			return {
				backend,
				host: str('host', 'localhost'),
				port: num('port', 5432),
				database: str('database', 'n8n'),
				user: str('user', 'postgres'),
				password: str('password'),
				schema: str('schema', 'public'),
				ssl,
			};
		case 'redis':
			return {
				backend,
				host: str('host', 'localhost'),
				port: num('redisPort', 6379),
				db: num('redisDatabase', 0),
				username: str('redisUser'),
				password: str('redisPassword'),
				prefix: str('redisPrefix', 'cs:'),
				ssl,
			};
		case 'embedded':
			return { backend, directory: str('directory') || embeddedDirectory(storagePath()) };
		default:
			throw new Error(`Unknown state store backend "${backend}": choose Embedded, Postgres or Redis`);
	}
}

/**
 * The store a Dedupe or Retry node uses: the "State Store" parameter says embedded (no
 * credential) or the credential's choice.
 */
export async function stateStoreFor(ctx: IExecuteFunctions): Promise<StateStore> {
	const choice = ctx.getNodeParameter('stateStore', 0, 'embedded') as string;
	const data = choice === 'credential' ? await ctx.getCredentials(STATE_STORE_CREDENTIAL) : undefined;
	return await getStateStore(configFromCredential(data, () => ctx.helpers.getStoragePath()));
}

/** A human description of where a config keeps state, without secrets. */
export function describeConfig(config: StateStoreConfig): string {
	switch (config.backend) {
		case 'embedded':
			return `embedded (${config.directory})`;
		case 'postgres':
			return `postgres (${config.host}:${config.port}/${config.database})`;
		case 'redis':
			return `redis (${config.host}:${config.port}/${config.db ?? 0})`;
	}
}

function fingerprint(config: StateStoreConfig): string {
	const normalized = config.backend === 'embedded' ? { ...config, directory: resolve(config.directory) } : config;
	return createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
}

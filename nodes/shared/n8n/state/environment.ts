import { readFileSync } from 'node:fs';

import type { StateStore } from '../../core/state/types';
import { describeConfig, getStateStore, type StateStoreConfig } from './factory';

/**
 * The deployment-wide state store for shared rate budgets, read from the environment of every
 * n8n process (main, workers, webhook processors). An environment variable rather than a
 * credential slot on each system node: a budget is only shared if *every* request to the
 * system counts against it, and one variable in the queue-mode deployment cannot be forgotten
 * on one node of one workflow, covers triggers, list searches and webhook registration too,
 * and needs no change to workflows or templates.
 */

/** `redis://…` or `postgres://…`; see {@link configFromUrl}. */
export const STATE_STORE_URL_ENV = 'COMMERCE_SYNC_STATE_STORE_URL';

/** A file holding the URL (Docker / Kubernetes secrets), as n8n's own `_FILE` variables. */
export const STATE_STORE_URL_FILE_ENV = `${STATE_STORE_URL_ENV}_FILE`;

/**
 * Parses a state-store URL:
 * - `redis://[user[:password]@]host[:port][/db][?prefix=cs:]` — `rediss://` for TLS with
 *   certificate checks, `?tls=require` for TLS without them;
 * - `postgres://user[:password]@host[:port]/database[?schema=public&sslmode=require]` (also
 *   `postgresql://`); `sslmode` `disable` (default), `require`, `verify-ca` or `verify-full`.
 *
 * Errors never repeat the URL, which may hold a password.
 */
export function configFromUrl(raw: string): StateStoreConfig {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw new Error(
			`${STATE_STORE_URL_ENV} is not a valid URL: expected redis://host:6379/0 or postgres://user@host:5432/database`,
		);
	}
	const user = decodeURIComponent(url.username);
	const password = decodeURIComponent(url.password);
	const params = url.searchParams;
	const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
	if (!host) throw new Error(`${STATE_STORE_URL_ENV} names no host`);
	switch (url.protocol) {
		case 'redis:':
		case 'rediss:': {
			const db = url.pathname.replace(/^\//, '');
			if (db !== '' && !/^\d+$/.test(db)) {
				throw new Error(`${STATE_STORE_URL_ENV}: the Redis database must be a number (redis://host:6379/0), got "${db}"`);
			}
			const tls = params.get('tls');
			return {
				backend: 'redis',
				host,
				port: url.port ? Number(url.port) : 6379,
				db: db === '' ? 0 : Number(db),
				username: user || undefined,
				password: password || undefined,
				prefix: params.get('prefix') || 'cs:',
				ssl: url.protocol === 'rediss:' ? (tls === 'require' ? 'require' : 'verify') : tls === 'require' || tls === 'verify' ? tls : 'disable',
			};
		}
		case 'postgres:':
		case 'postgresql:': {
			const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
			if (!database) throw new Error(`${STATE_STORE_URL_ENV}: name the Postgres database (postgres://user@host:5432/database)`);
			const sslmode = params.get('sslmode') ?? 'disable';
			const ssl = sslmode === 'require' || sslmode === 'prefer' ? 'require' : sslmode.startsWith('verify') ? 'verify' : 'disable';
			return {
				backend: 'postgres',
				host,
				port: url.port ? Number(url.port) : 5432,
				database,
				user: user || 'postgres',
				password: password || undefined,
				schema: params.get('schema') || 'public',
				ssl,
			};
		}
		default:
			throw new Error(
				`${STATE_STORE_URL_ENV} must start with redis://, rediss://, postgres:// or postgresql://, not ${url.protocol}// ` +
					'(the embedded store lives in one process and cannot share a budget between workers)',
			);
	}
}

/** The configured URL, from the variable or the file it names; undefined when neither is set. */
export function stateStoreUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const direct = env[STATE_STORE_URL_ENV]?.trim();
	if (direct) return direct;
	const file = env[STATE_STORE_URL_FILE_ENV]?.trim();
	if (!file) return undefined;
	try {
		return readFileSync(file, 'utf8').trim() || undefined;
	} catch (error) {
		throw new Error(`${STATE_STORE_URL_FILE_ENV} names ${file}, which cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
	}
}

/**
 * The shared store the environment configures, opened once per process (and per URL), or
 * undefined when none is configured. A store that cannot be opened is an error, never a silent
 * fall-back to per-process budgets: the operator asked for a shared budget, and quietly giving
 * each worker its own would exceed the system's limit.
 */
export async function stateStoreFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<StateStore | undefined> {
	const url = stateStoreUrl(env);
	if (!url) return undefined;
	const config = configFromUrl(url);
	try {
		return await getStateStore(config);
	} catch (error) {
		throw new Error(
			`The shared rate-budget store set in ${STATE_STORE_URL_ENV}, ${describeConfig(config)}, could not be opened: ${(error as Error).message}`,
			{ cause: error },
		);
	}
}

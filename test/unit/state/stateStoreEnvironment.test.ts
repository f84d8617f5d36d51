/**
 * COMMERCE_SYNC_STATE_STORE_URL: how every n8n process of a queue-mode deployment learns of the
 * store its system nodes share rate budgets through.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defineProfile } from '../../../nodes/shared/core/http/profile';
import { configFromUrl, stateStoreFromEnvironment, stateStoreUrl, STATE_STORE_URL_ENV } from '../../../nodes/shared/n8n/state/environment';
import { closeAllStateStores } from '../../../nodes/shared/n8n/state/factory';
import { RedisStore } from '../../../nodes/shared/n8n/state/redisStore';
import { resetSystemLimiters, systemClient, useSharedRateBudget, type SystemContext, type SystemDefinition } from '../../../nodes/shared/n8n/system';
import { serviceReachable, TEST_REDIS } from './services';

describe('configFromUrl', () => {
	it('reads Redis URLs: database, prefix, user, password and TLS', () => {
		expect(configFromUrl('redis://127.0.0.1:6380/2?prefix=shop1:')).toEqual({
			backend: 'redis',
			host: '127.0.0.1',
			port: 6380,
			db: 2,
			username: undefined,
			password: undefined,
			prefix: 'shop1:',
			ssl: 'disable',
		});
		expect(configFromUrl('rediss://ops:p%40ss@redis.internal')).toMatchObject({
			port: 6379,
			db: 0,
			username: 'ops',
			password: 'p@ss',
			prefix: 'cs:',
			ssl: 'verify',
		});
		expect(configFromUrl('redis://:secret@localhost?tls=require')).toMatchObject({ password: 'secret', username: undefined, ssl: 'require' });
	});

	it('reads Postgres URLs: database, schema, sslmode', () => {
		expect(configFromUrl('postgres://n8n:pw@db:5433/n8n?schema=commerce&sslmode=require')).toEqual({
			backend: 'postgres',
			host: 'db',
			port: 5433,
			database: 'n8n',
			user: 'n8n',
			password: 'pw',
			schema: 'commerce',
			ssl: 'require',
		});
		expect(configFromUrl('postgresql://db/state?sslmode=verify-full')).toMatchObject({ user: 'postgres', port: 5432, schema: 'public', ssl: 'verify' });
	});

	it('refuses what cannot share a budget, without repeating the password', () => {
		const cases = ['file:///tmp/state', 'embedded://x', 'redis://u:hunter2@host/notanumber', 'postgres://u:hunter2@host/', 'not a url hunter2'];
		for (const url of cases) {
			let message = '';
			try {
				configFromUrl(url);
			} catch (error) {
				message = (error as Error).message;
			}
			expect(message).toContain(STATE_STORE_URL_ENV);
			expect(message).not.toContain('hunter2');
		}
	});
});

describe('stateStoreUrl', () => {
	it('prefers the variable, else reads the _FILE variant (Docker secrets)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'cs-env-'));
		try {
			const file = join(dir, 'url');
			writeFileSync(file, 'redis://from-file:6379/0\n');
			expect(stateStoreUrl({})).toBeUndefined();
			expect(stateStoreUrl({ COMMERCE_SYNC_STATE_STORE_URL_FILE: file })).toBe('redis://from-file:6379/0');
			expect(stateStoreUrl({ COMMERCE_SYNC_STATE_STORE_URL: ' redis://direct ', COMMERCE_SYNC_STATE_STORE_URL_FILE: file })).toBe('redis://direct');
			expect(() => stateStoreUrl({ COMMERCE_SYNC_STATE_STORE_URL_FILE: join(dir, 'missing') })).toThrow(/cannot be read: ENOENT/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('stateStoreFromEnvironment', () => {
	afterAll(() => closeAllStateStores());

	it('is undefined when nothing is configured', async () => {
		await expect(stateStoreFromEnvironment({})).resolves.toBeUndefined();
	});

	it('fails loudly, naming the variable and the server but not the password, when the store is down', async () => {
		const error = await stateStoreFromEnvironment({ COMMERCE_SYNC_STATE_STORE_URL: 'postgres://u:hunter2@127.0.0.1:1/state' }).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(/COMMERCE_SYNC_STATE_STORE_URL, postgres \(127\.0\.0\.1:1\/state\), could not be opened/);
		expect((error as Error).message).not.toContain('hunter2');
	}, 20_000);
});

const redisUp = serviceReachable('Redis', TEST_REDIS.port, TEST_REDIS.host);

(redisUp ? describe : describe.skip)('system clients with COMMERCE_SYNC_STATE_STORE_URL', () => {
	const prefix = `cs-test-env-${Date.now().toString(36)}:`;
	const definition: SystemDefinition = {
		system: 'widgets',
		credentialType: 'widgetsApi',
		profile: () => defineProfile({ system: 'widgets', baseUrl: 'http://widgets.invalid' }),
		rateLimit: () => ({ kind: 'rollingWindow', name: 'minute', limit: 3, windowMs: 60_000 }),
	};
	let sent = 0;
	const ctx = {
		getCredentials: async () => ({}),
		getNode: () => ({ credentials: { widgetsApi: { id: 'cred-7', name: 'Widgets' } } }),
		helpers: {
			httpRequestWithAuthentication: async () => {
				sent++;
				return { statusCode: 200, headers: {}, body: '{}' };
			},
		},
	} as unknown as SystemContext;

	beforeEach(() => {
		useSharedRateBudget(undefined);
		resetSystemLimiters();
	});
	afterAll(async () => {
		delete process.env[STATE_STORE_URL_ENV];
		resetSystemLimiters();
		await closeAllStateStores();
	});

	it('spends the budget in the configured store, where every other worker sees it', async () => {
		process.env[STATE_STORE_URL_ENV] = `redis://${TEST_REDIS.host}:${TEST_REDIS.port}/0?prefix=${prefix}`;
		for (let i = 0; i < 3; i++) {
			const { client } = await systemClient(ctx, definition);
			await client.request({ method: 'GET', path: '/ping' });
		}
		expect(sent).toBe(3);
		// Another worker (its own connection) finds the minute's budget spent.
		const other = await RedisStore.open(TEST_REDIS, { prefix });
		try {
			const grant = await other.take({
				key: 'default:widgets|cred-7|http://widgets.invalid:minute',
				cost: 1,
				limit: 3,
				windowMs: 60_000,
				nowMs: Date.now(),
			});
			expect(grant).toMatchObject({ granted: false, remaining: 0 });
		} finally {
			await other.close();
		}
	});

	it('makes a system node fail, not fall back to a private budget, when the store is unreachable', async () => {
		process.env[STATE_STORE_URL_ENV] = 'postgres://ops:hunter2@127.0.0.1:1/state';
		const error = await systemClient(ctx, definition).catch((e: Error) => e);
		expect((error as Error).message).toMatch(/COMMERCE_SYNC_STATE_STORE_URL, postgres \(127\.0\.0\.1:1\/state\), could not be opened/);
		expect((error as Error).message).not.toContain('hunter2');
	}, 20_000);
});

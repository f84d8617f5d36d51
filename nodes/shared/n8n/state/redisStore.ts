import { randomUUID } from 'node:crypto';

import Redis, { type RedisOptions } from 'ioredis';

import { BUDGET_BUCKETS, checkBudgetTake } from '../../core/state/budget';
import type {
	RateBudgetGrant,
	RateBudgetTake,
	ClaimOptions,
	ClaimedDeadLetter,
	DeadLetter,
	DeadLetterInput,
	KeyClaim,
	KeyCounts,
	ListOptions,
	RecordOptions,
	ReserveOptions,
	StateStore,
	StoreClock,
} from '../../core/state/types';
import {
	checkCostSchedule,
	costFloor,
	type CostBacklog,
	type CostRefundRequest,
	type CostScheduleRequest,
	type CostSyncRequest,
	type CostTurn,
} from './costSchedule';
import { checkClaim, checkDeadLetter, checkTtl } from './validate';

/**
 * The Redis store, for queue mode: every operation that reads and then writes is one Lua script,
 * which Redis runs atomically, so workers racing on a key or a queue entry see one winner.
 *
 * Layout per namespace (the `{ns}` hash tag keeps a namespace on one cluster slot):
 * - `cs:{ns}:k` hash key → `state|expiresAt|token|=hash`; `cs:{ns}:e` zset of keys by expiry
 *   (sweeping, counting); `cs:{ns}:r` zset of reserved keys by expiry (counting).
 * - dead letters: `qp` hash id → immutable JSON (payload, correlation id, reason, created),
 *   `qe` hash id → error JSON, `qm` hash id → `dueAt|claims|leaseUntil|leaseToken|attempts`,
 *   `qv` zset id by visible-at (claims), `qd` zset id by due time (listing), `qs` id counter.
 * Times are the caller's clock, stored in the values, so expiry never depends on Redis' clock.
 * Payload JSON is never decoded in Lua (cjson would round large numbers).
 */

const PARSE_KEY = `
local function parse(v)
	local s, e, t, h = string.match(v, '^(%a)|(%d+)|([^|]*)|(.*)$')
	return s, tonumber(e), t, h, e
end
`;

const SWEEP = `
local function sweep(now, n)
	local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, n)
	for _, k in ipairs(old) do
		redis.call('HDEL', KEYS[1], k)
		redis.call('ZREM', KEYS[2], k)
		redis.call('ZREM', KEYS[3], k)
	end
end
`;

/** KEYS: k, e, r. ARGV: key, now, state (r|c), token, expiresAt, hash ('' none, '=…'), changedOnly. */
const CLAIM = `${PARSE_KEY}${SWEEP}
local now = tonumber(ARGV[2])
local v = redis.call('HGET', KEYS[1], ARGV[1])
local previous = false
if v then
	local s, e, t, h, raw = parse(v)
	if e > now then
		if s == 'r' then return {'inFlight', raw} end
		if ARGV[7] == '1' and h ~= ARGV[6] then
			previous = h
		else
			return {'duplicate', raw, h}
		end
	end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. '|' .. ARGV[5] .. '|' .. ARGV[4] .. '|' .. ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
if ARGV[3] == 'r' then redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1]) else redis.call('ZREM', KEYS[3], ARGV[1]) end
sweep(now, 5)
if previous then return {'acquired', '', previous} end
return {'acquired'}
`;

/** KEYS: k, e, r. ARGV: key, token, expiresAt. */
const COMMIT = `${PARSE_KEY}
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local s, e, t, h = parse(v)
if s ~= 'r' or t == '' or t ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], 'c|' .. ARGV[3] .. '||' .. h)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`;

/** KEYS: k, e, r. ARGV: key, token. */
const RELEASE = `${PARSE_KEY}
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local s, e, t, h = parse(v)
if s ~= 'r' or t == '' or t ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`;

/** KEYS: k, e, r. ARGV: key, token, now, expiresAt. Extends a live reservation held by token. */
const RENEW = `${PARSE_KEY}
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local s, e, t, h = parse(v)
if s ~= 'r' or t == '' or t ~= ARGV[2] or e <= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], 'r|' .. ARGV[4] .. '|' .. t .. '|' .. h)
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1
`;

/** KEYS: k, e, r. ARGV: key. */
const FORGET = `
local n = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return n
`;

/** KEYS: k, e, r. ARGV: now. Returns live committed+reserved and live reserved. */
const COUNT = `
local live = redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[1], '+inf')
local reserved = redis.call('ZCOUNT', KEYS[3], '(' .. ARGV[1], '+inf')
return {live, reserved}
`;

/** KEYS: k, e, r. */
const CLEAR = `
local n = redis.call('HLEN', KEYS[1])
redis.call('UNLINK', KEYS[1], KEYS[2], KEYS[3])
return n
`;

/** KEYS: qp, qe, qm, qv, qd, qs. ARGV: immutable JSON, error JSON or '', dueAt, attempts. */
const PUT = `
local id = tostring(redis.call('INCR', KEYS[6]))
redis.call('HSET', KEYS[1], id, ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], id, ARGV[2]) end
redis.call('HSET', KEYS[3], id, ARGV[3] .. '|0||' .. '|' .. ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[3], id)
redis.call('ZADD', KEYS[5], ARGV[3], id)
return id
`;

const PARSE_META = `
local function meta(v)
	local due, claims, until_, token, attempts = string.match(v, '^(%d+)|(%d+)|(%d*)|([^|]*)|(%d+)$')
	return due, tonumber(claims), until_, token, attempts
end
`;

/** KEYS: qp, qe, qm, qv. ARGV: now, leaseUntil, limit, token1..tokenN. */
const CLAIM_DUE = `${PARSE_META}
local ids = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i, id in ipairs(ids) do
	local due, claims, _, _, attempts = meta(redis.call('HGET', KEYS[3], id))
	local m = due .. '|' .. (claims + 1) .. '|' .. ARGV[2] .. '|' .. ARGV[3 + i] .. '|' .. attempts
	redis.call('HSET', KEYS[3], id, m)
	redis.call('ZADD', KEYS[4], ARGV[2], id)
	table.insert(out, id)
	table.insert(out, m)
	table.insert(out, redis.call('HGET', KEYS[1], id))
	table.insert(out, redis.call('HGET', KEYS[2], id) or '')
end
return out
`;

/** KEYS: qp, qe, qm, qv, qd. ARGV: id, token. */
const ACK = `${PARSE_META}
local v = redis.call('HGET', KEYS[3], ARGV[1])
if not v then return 0 end
local _, _, _, token = meta(v)
if token == '' or token ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
return 1
`;

/** KEYS: qp, qe, qm, qv, qd. ARGV: id, token, dueAt, error JSON or '', attempts or ''. */
const NACK = `${PARSE_META}
local v = redis.call('HGET', KEYS[3], ARGV[1])
if not v then return 0 end
local _, claims, _, token, attempts = meta(v)
if token == '' or token ~= ARGV[2] then return 0 end
if ARGV[5] ~= '' then attempts = ARGV[5] end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. '|' .. claims .. '||' .. '|' .. attempts)
if ARGV[4] ~= '' then redis.call('HSET', KEYS[2], ARGV[1], ARGV[4]) end
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[1])
return 1
`;

/** KEYS: qp, qe, qm, qv, qd. ARGV: ids. */
const PURGE_IDS = `
local n = 0
for _, id in ipairs(ARGV) do
	if redis.call('HDEL', KEYS[3], id) == 1 then
		n = n + 1
		redis.call('HDEL', KEYS[1], id)
		redis.call('HDEL', KEYS[2], id)
		redis.call('ZREM', KEYS[4], id)
		redis.call('ZREM', KEYS[5], id)
	end
end
return n
`;

/** KEYS: qp, qe, qm, qv, qd. */
const PURGE_ALL = `
local n = redis.call('HLEN', KEYS[3])
redis.call('UNLINK', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
return n
`;

/**
 * KEYS: budget hash (bucketStart → used). ARGV: cost, windowMs, limit, now, buckets per window.
 * The same algorithm as `takeFromBuckets` in the kernel.
 */
const TAKE = `
local cost, window, limit, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local width = math.max(1, math.ceil(window / tonumber(ARGV[5])))
local all = redis.call('HGETALL', KEYS[1])
local live = {}
local used = 0
for i = 1, #all, 2 do
	local s, n = tonumber(all[i]), tonumber(all[i + 1])
	if s + width > now - window then
		used = used + n
		table.insert(live, {s, n})
	else
		redis.call('HDEL', KEYS[1], all[i])
	end
end
if used + cost <= limit then
	local start = math.floor(now / width) * width
	redis.call('HINCRBYFLOAT', KEYS[1], string.format('%.0f', start), cost)
	redis.call('PEXPIRE', KEYS[1], math.ceil(window * 2 + width))
	return {1, 0, string.format('%.17g', limit - used - cost)}
end
table.sort(live, function(a, b) return a[1] < b[1] end)
local freed = 0
for _, b in ipairs(live) do
	freed = freed + b[2]
	if used - freed + cost <= limit then
		return {0, string.format('%.0f', math.max(1, b[1] + width + window - now)), string.format('%.17g', math.max(0, limit - used))}
	end
end
return {0, string.format('%.0f', window), string.format('%.17g', math.max(0, limit - used))}
`;

/**
 * A shared cost bucket as a generic cell rate algorithm (costSchedule.ts). KEYS[1] is a hash:
 * `t` the theoretical arrival time (ms) after which the bucket is full again, `c` the cumulative
 * booked ms (never lowered, so a waiter can tell what was booked after it), `f` the time the
 * server's latest report says its bucket will be full again. The key outlives
 * the schedule by a minute so waiters still find `c`. ARGV: now, cost (or floor), burst
 * tolerance in ms, ms per point.
 */
const COST_SCHEDULE = `
local now, cost, tau, per = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local v = redis.call('HMGET', KEYS[1], 't', 'c')
local tat, cum = tonumber(v[1]) or 0, tonumber(v[2]) or 0
local new = math.max(tat, now) + cost * per
cum = cum + cost * per
redis.call('HSET', KEYS[1], 't', string.format('%.3f', new), 'c', string.format('%.3f', cum))
redis.call('PEXPIRE', KEYS[1], math.ceil(new - now) + 60000)
return {string.format('%.0f', math.max(0, math.ceil(new - tau - now))), string.format('%.3f', cum)}
`;

const COST_REFUND = `
local now, cost, per = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
local tat = tonumber(redis.call('HGET', KEYS[1], 't') or '')
if not tat then return 0 end
local new = math.max(now, tat - cost * per)
redis.call('HSET', KEYS[1], 't', string.format('%.3f', new))
redis.call('PEXPIRE', KEYS[1], math.ceil(new - now) + 60000)
return 1
`;

const COST_SYNC = `
local now, floor = tonumber(ARGV[1]), tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 't', 'f')
local tat, f = tonumber(v[1]) or 0, tonumber(v[2]) or 0
if floor > tat then redis.call('HSET', KEYS[1], 't', string.format('%.3f', floor)) end
if floor > f then redis.call('HSET', KEYS[1], 'f', string.format('%.3f', floor)) end
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(floor, tat) - now) + 60000)
return 1
`;

type Scripted = Redis & Record<string, (...args: Array<string | number>) => Promise<unknown>>;

const SCRIPTS: Record<string, { keys: number; lua: string }> = {
	csClaim: { keys: 3, lua: CLAIM },
	csCommit: { keys: 3, lua: COMMIT },
	csRelease: { keys: 3, lua: RELEASE },
	csRenew: { keys: 3, lua: RENEW },
	csForget: { keys: 3, lua: FORGET },
	csCount: { keys: 3, lua: COUNT },
	csClear: { keys: 3, lua: CLEAR },
	csPut: { keys: 6, lua: PUT },
	csClaimDue: { keys: 4, lua: CLAIM_DUE },
	csAck: { keys: 5, lua: ACK },
	csNack: { keys: 5, lua: NACK },
	csPurgeIds: { keys: 5, lua: PURGE_IDS },
	csPurgeAll: { keys: 5, lua: PURGE_ALL },
	csTake: { keys: 1, lua: TAKE },
	csCostSchedule: { keys: 1, lua: COST_SCHEDULE },
	csCostRefund: { keys: 1, lua: COST_REFUND },
	csCostSync: { keys: 1, lua: COST_SYNC },
};

/** Options of {@link RedisStore.open}. */
export interface RedisStoreOptions {
	clock?: StoreClock;
	/** Prefix of every key. Default `cs:`. */
	prefix?: string;
}

export class RedisStore implements StateStore {
	readonly backend = 'redis' as const;

	private constructor(
		private readonly redis: Scripted,
		private readonly clock: StoreClock,
		private readonly prefix: string,
	) {}

	/** Connects (failing fast when Redis is unreachable) and registers the scripts. */
	static async open(config: RedisOptions, options: RedisStoreOptions = {}): Promise<RedisStore> {
		const redis = new Redis({
			lazyConnect: true,
			maxRetriesPerRequest: 3,
			connectTimeout: 5000,
			...config,
		}) as Scripted;
		// Connection errors surface on the command that hits them; an unhandled 'error' event
		// would crash the n8n process.
		let lastError: Error | undefined;
		redis.on('error', (error: Error) => {
			lastError = error;
		});
		for (const [name, script] of Object.entries(SCRIPTS)) {
			redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
		}
		try {
			await redis.connect();
		} catch (error) {
			redis.disconnect();
			const where = config.path ?? `${config.host ?? '127.0.0.1'}:${config.port ?? 6379}`;
			const reason = lastError?.message ?? (error as Error).message;
			throw new Error(`Could not open the Redis state store at ${where}: ${reason}`, { cause: error });
		}
		return new RedisStore(redis, options.clock ?? { now: () => Date.now() }, options.prefix ?? 'cs:');
	}

	private keyKeys(namespace: string): string[] {
		const base = `${this.prefix}{${namespace}}`;
		return [`${base}:k`, `${base}:e`, `${base}:r`];
	}

	private queueKeys(namespace: string): string[] {
		const base = `${this.prefix}{${namespace}}`;
		return ['qp', 'qe', 'qm', 'qv', 'qd', 'qs'].map((k) => `${base}:${k}`);
	}

	async reserve(namespace: string, key: string, options: ReserveOptions): Promise<KeyClaim> {
		checkTtl(options.leaseMs, 'leaseMs');
		return await this.claim(namespace, key, options, 'r', options.leaseMs);
	}

	async record(namespace: string, key: string, options: RecordOptions): Promise<KeyClaim> {
		checkTtl(options.ttlMs, 'ttlMs');
		return await this.claim(namespace, key, options, 'c', options.ttlMs);
	}

	async commit(namespace: string, key: string, token: string, ttlMs: number): Promise<boolean> {
		checkTtl(ttlMs, 'ttlMs');
		const ok = await this.redis.csCommit(...this.keyKeys(namespace), key, token, whole(this.clock.now() + ttlMs));
		return ok === 1;
	}

	async release(namespace: string, key: string, token: string): Promise<boolean> {
		return (await this.redis.csRelease(...this.keyKeys(namespace), key, token)) === 1;
	}

	/**
	 * Extends a live reservation to `leaseMs` from now (shared concurrency slots hold one for as
	 * long as their request runs). False when the token no longer holds the key or it expired.
	 */
	async renew(namespace: string, key: string, token: string, leaseMs: number): Promise<boolean> {
		checkTtl(leaseMs, 'leaseMs');
		const now = this.clock.now();
		return (await this.redis.csRenew(...this.keyKeys(namespace), key, token, whole(now), whole(now + leaseMs))) === 1;
	}

	async forget(namespace: string, key: string): Promise<boolean> {
		return (await this.redis.csForget(...this.keyKeys(namespace), key)) === 1;
	}

	async count(namespace: string): Promise<KeyCounts> {
		const [live, reserved] = (await this.redis.csCount(...this.keyKeys(namespace), whole(this.clock.now()))) as number[];
		return { committed: live - reserved, reserved };
	}

	async clear(namespace: string): Promise<number> {
		return (await this.redis.csClear(...this.keyKeys(namespace))) as number;
	}

	async put(namespace: string, entry: DeadLetterInput): Promise<string> {
		checkDeadLetter(entry);
		const fixed = JSON.stringify({
			payload: entry.payload,
			correlationId: entry.correlationId,
			reason: entry.reason,
			createdAt: this.clock.now(),
		});
		const id = await this.redis.csPut(
			...this.queueKeys(namespace),
			fixed,
			entry.error === undefined ? '' : JSON.stringify(entry.error),
			whole(entry.dueAt),
			entry.attempts,
		);
		return String(id);
	}

	async claimDue(namespace: string, options: ClaimOptions): Promise<ClaimedDeadLetter[]> {
		checkClaim(options);
		const now = this.clock.now();
		const tokens = Array.from({ length: options.limit }, () => randomUUID());
		const flat = (await this.redis.csClaimDue(
			...this.queueKeys(namespace).slice(0, 4),
			whole(now),
			whole(now + options.leaseMs),
			options.limit,
			...tokens,
		)) as string[];
		const out: DeadLetter[] = [];
		for (let i = 0; i < flat.length; i += 4) out.push(decodeEntry(flat[i], flat[i + 1], flat[i + 2], flat[i + 3]));
		return out.sort(byDueThenId) as ClaimedDeadLetter[];
	}

	async ack(namespace: string, id: string, leaseToken: string): Promise<boolean> {
		if (!leaseToken) return false;
		return (await this.redis.csAck(...this.queueKeys(namespace).slice(0, 5), id, leaseToken)) === 1;
	}

	async nack(
		namespace: string,
		id: string,
		leaseToken: string,
		update: { dueAt: number; error?: Record<string, unknown>; attempts?: number },
	): Promise<boolean> {
		if (!leaseToken) return false;
		const result = await this.redis.csNack(
			...this.queueKeys(namespace).slice(0, 5),
			id,
			leaseToken,
			whole(update.dueAt),
			update.error === undefined ? '' : JSON.stringify(update.error),
			update.attempts === undefined ? '' : String(update.attempts),
		);
		return result === 1;
	}

	async list(namespace: string, options: ListOptions): Promise<DeadLetter[]> {
		const [qp, qe, qm, qv, qd] = this.queueKeys(namespace);
		const offset = options.offset ?? 0;
		let ids: string[];
		if (options.dueOnly) {
			// Visible entries, then ordered by due time like the other backends.
			const visible = await this.redis.zrangebyscore(qv, '-inf', whole(this.clock.now()));
			const dues = visible.length ? await this.redis.zmscore(qd, ...visible) : [];
			ids = visible
				.map((id, i) => ({ id, due: Number(dues[i]) }))
				.sort((a, b) => a.due - b.due || Number(a.id) - Number(b.id))
				.slice(offset, offset + options.limit)
				.map((e) => e.id);
		} else {
			// Ties on the due time are ordered by Redis as strings ('10' < '9'); read the whole
			// tie group at the edge of the page too, then sort numerically and cut the page.
			const page = await this.redis.zrange(qd, 0, offset + options.limit - 1, 'WITHSCORES');
			const set = new Set<string>();
			for (let i = 0; i < page.length; i += 2) set.add(page[i]);
			if (page.length > 0) {
				const edge = page[page.length - 1];
				for (const id of await this.redis.zrangebyscore(qd, edge, edge)) set.add(id);
			}
			ids = [...set];
		}
		if (ids.length === 0) return [];
		const [metas, fixed, errors] = await Promise.all([
			this.redis.hmget(qm, ...ids),
			this.redis.hmget(qp, ...ids),
			this.redis.hmget(qe, ...ids),
		]);
		const entries: DeadLetter[] = [];
		ids.forEach((id, i) => {
			if (metas[i] !== null && fixed[i] !== null) entries.push(decodeEntry(id, metas[i]!, fixed[i]!, errors[i] ?? ''));
		});
		entries.sort(byDueThenId);
		return options.dueOnly ? entries : entries.slice(offset, offset + options.limit);
	}

	async size(namespace: string): Promise<number> {
		return await this.redis.hlen(this.queueKeys(namespace)[2]);
	}

	async purge(namespace: string, ids?: string[]): Promise<number> {
		const keys = this.queueKeys(namespace).slice(0, 5);
		if (ids === undefined) return (await this.redis.csPurgeAll(...keys)) as number;
		const unique = [...new Set(ids)];
		if (unique.length === 0) return 0;
		return (await this.redis.csPurgeIds(...keys, ...unique)) as number;
	}

	async take({ key, cost, windowMs, limit, nowMs }: RateBudgetTake): Promise<RateBudgetGrant> {
		checkBudgetTake(cost, windowMs, limit);
		const [granted, wait, remaining] = (await this.redis.csTake(
			`${this.prefix}budget:{${key}}`,
			cost,
			windowMs,
			limit,
			whole(nowMs),
			BUDGET_BUCKETS,
		)) as [number, string | number, string];
		return { granted: granted === 1, waitMs: Number(wait), remaining: Number(remaining) };
	}

	async scheduleCost(request: CostScheduleRequest): Promise<CostTurn> {
		const { per, tau } = checkCostSchedule(request);
		const [wait, booked] = (await this.redis.csCostSchedule(this.costKey(request.key), request.nowMs, request.cost, tau, per)) as [string, string];
		return { waitMs: Number(wait), booked: Number(booked) };
	}

	async refundCost(request: CostRefundRequest): Promise<void> {
		if (!(request.cost > 0)) return;
		await this.redis.csCostRefund(this.costKey(request.key), request.nowMs, request.cost, 0, 1000 / request.ratePerSec);
	}

	async syncCost(request: CostSyncRequest): Promise<void> {
		await this.redis.csCostSync(this.costKey(request.key), request.nowMs, costFloor(request));
	}

	async costBacklog(request: { key: string; nowMs: number }): Promise<CostBacklog> {
		const [tat, booked, full] = await this.redis.hmget(this.costKey(request.key), 't', 'c', 'f');
		return { backlogMs: Math.max(0, Number(tat ?? 0) - request.nowMs), booked: Number(booked ?? 0), serverFullAt: Number(full ?? 0) };
	}

	private costKey(key: string): string {
		return `${this.prefix}cost:{${key}}`;
	}

	async close(): Promise<void> {
		await this.redis.quit().catch(() => this.redis.disconnect());
	}

	/** Loads `count` committed keys `prefix0…` in pipelined batches, for benchmarks. */
	async seedCommitted(namespace: string, keyPrefix: string, count: number, ttlMs: number): Promise<void> {
		const [k, e] = this.keyKeys(namespace);
		const expiresAt = whole(this.clock.now() + ttlMs);
		for (let start = 0; start < count; start += 10_000) {
			const fields: string[] = [];
			const scores: string[] = [];
			for (let i = start; i < Math.min(count, start + 10_000); i++) {
				fields.push(`${keyPrefix}${i}`, `c|${expiresAt}||`);
				scores.push(expiresAt, `${keyPrefix}${i}`);
			}
			await this.redis.pipeline().hset(k, ...fields).zadd(e, ...scores).exec();
		}
	}

	private async claim(
		namespace: string,
		key: string,
		options: { hash?: string; changedOnly?: boolean },
		state: 'r' | 'c',
		ttlMs: number,
	): Promise<KeyClaim> {
		const now = this.clock.now();
		const token = state === 'r' ? randomUUID() : '';
		const reply = (await this.redis.csClaim(
			...this.keyKeys(namespace),
			key,
			whole(now),
			state,
			token,
			whole(now + ttlMs),
			options.hash === undefined ? '' : `=${options.hash}`,
			options.changedOnly ? '1' : '0',
		)) as string[];
		if (reply[0] === 'acquired') {
			const previousHash = reply.length > 2 ? decodeHash(reply[2]) : undefined;
			return previousHash === undefined ? { status: 'acquired', token } : { status: 'acquired', token, previousHash };
		}
		if (reply[0] === 'inFlight') return { status: 'inFlight', expiresAt: Number(reply[1]) };
		return { status: 'duplicate', expiresAt: Number(reply[1]), hash: decodeHash(reply[2]) };
	}
}

function decodeHash(raw: string | undefined): string | undefined {
	return raw && raw.startsWith('=') ? raw.slice(1) : undefined;
}

function decodeEntry(id: string, meta: string, fixed: string, error: string): DeadLetter {
	const [due, claims, leaseUntil, leaseToken, attempts] = meta.split('|');
	const base = JSON.parse(fixed) as {
		payload: Record<string, unknown>;
		correlationId?: string;
		reason: DeadLetter['reason'];
		createdAt: number;
	};
	const entry: DeadLetter = {
		id,
		payload: base.payload,
		attempts: Number(attempts),
		dueAt: Number(due),
		reason: base.reason,
		createdAt: base.createdAt,
		claims: Number(claims),
	};
	if (base.correlationId !== undefined) entry.correlationId = base.correlationId;
	if (error !== '') entry.error = JSON.parse(error) as Record<string, unknown>;
	if (leaseToken) {
		entry.leaseToken = leaseToken;
		entry.leaseUntil = Number(leaseUntil);
	}
	return entry;
}

function byDueThenId(a: DeadLetter, b: DeadLetter): number {
	return a.dueAt - b.dueAt || Number(a.id) - Number(b.id);
}

/** Times go to Lua as whole-number strings: `String(1.7e21)` would be exponent notation. */
function whole(ms: number): string {
	return Math.floor(ms).toFixed(0);
}

/**
 * The sandbox server: one HTTP listener on loopback, one path prefix per system
 * (`http://127.0.0.1:<port>/<system>/...`), the control API under `/_sandbox/...`.
 *
 * A system request goes through, in order: request log (arrival) → the system's automatic rate
 * limits → injected faults (latency, drop, hang, 5xx, 429 burst) → the route handler → response
 * with the limit headers → request log (completion). Rate limits come first so that an injected
 * latency holds a concurrency slot the way a slow real request does.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../nodes/shared/core/resilience/clock';
import { generateCatalog, type Catalog } from './catalog';
import { systemClock } from './clock';
import { controlApi } from './control';
import { FaultInjector, type FaultConfig, type RequestFault } from './faults';
import { json, SandboxHttpError, type SandboxResponse } from './http';
import { RequestLog, type LogQuery, type RequestLogEntry } from './log';
import {
	CostBucketPolicy,
	genericShape,
	type LimitDecision,
	type LimitRequest,
	type RateLimitPolicy,
} from './ratelimit/policies';
import { createRng, type Rng, type Seed } from './rng';
import { Router } from './router';
import { BUILTIN_SYSTEMS } from './systems';
import type {
	RouteDefinition,
	SandboxRequest,
	SandboxSystem,
	SeedSpec,
	SystemRegistration,
	SystemWebhooks,
} from './types';
import { WebhookEmitter, type SystemWebhookConfig } from './webhooks/emitter';

/** Options of `startSandbox`. */
export interface SandboxOptions {
	/** 0 (the default here) picks a free port; the CLI defaults to 8787. */
	port?: number;
	/** Loopback only by default. */
	host?: string;
	/** Systems to run: registrations, or names from `BUILTIN_SYSTEMS` (default: all built-in). */
	systems?: Array<string | SystemRegistration>;
	/** Initial seed (default `{seed: 'commerce-sync', skus: 50, locations: 3}`); false = start empty. */
	seed?: SeedSpec | false;
	/** Time source (default: wall clock). Tests pass a `ManualClock`. */
	clock?: Clock;
	/** Rate limits are on unless this is false. */
	rateLimits?: boolean;
	/** Per-system webhook signing secrets (override the systems' defaults). */
	webhookSecrets?: Record<string, string>;
	/** Request-log capacity (entries). */
	logCapacity?: number;
	/** Largest request body accepted, in bytes (default 20 MB). */
	maxBodyBytes?: number;
}

/** A running sandbox. */
export interface Sandbox {
	/** `http://127.0.0.1:<port>` */
	readonly baseUrl: string;
	readonly port: number;
	/** `http://127.0.0.1:<port>/_sandbox` */
	readonly controlUrl: string;
	readonly clock: Clock;
	/** Names of the running systems. */
	readonly systemNames: string[];
	/** `http://127.0.0.1:<port>/<system>`: a credential's base-URL override. */
	urlFor(system: string): string;
	/** The live system instance (for tests that inspect state directly). */
	system<T extends SandboxSystem = SandboxSystem>(name: string): T;
	/** The current catalog (undefined when started empty). */
	catalog(): Catalog | undefined;
	/** Re-seeds every system (or the listed ones) from a new spec; returns the catalog. */
	seed(spec: SeedSpec, systems?: string[]): Catalog;
	/**
	 * Back to the start: state re-seeded from the current spec, rate budgets, faults, webhook
	 * subscriptions and log entries cleared — for one system or all. `empty` skips re-seeding.
	 */
	reset(system?: string, options?: { empty?: boolean }): void;
	/** A system's snapshot. */
	state(system: string): unknown;
	requests(query?: LogQuery): RequestLogEntry[];
	clearRequests(system?: string): void;
	setFaults(system: string, config: FaultConfig): void;
	faults(system: string): FaultConfig;
	clearFaults(system?: string): void;
	limits(system: string): RateLimitPolicy[];
	configureLimit(system: string, policy: string, patch: Record<string, unknown>): void;
	readonly webhooks: WebhookEmitter;
	/** Stops listening, drops open connections, abandons pending webhook retries. */
	close(): Promise<void>;
}

/** The port is taken; the message says how to pick another. */
export class SandboxPortInUseError extends Error {
	readonly code = 'EADDRINUSE';
	constructor(
		readonly port: number,
		readonly host: string,
	) {
		super(
			`Port ${port} on ${host} is already in use (another sandbox or program is listening there). ` +
				`Choose another port with --port <number> or SANDBOX_PORT=<number>, or use --port 0 to pick a free one.`,
		);
		this.name = 'SandboxPortInUseError';
	}
}

const DEFAULT_SEED: SeedSpec = { seed: 'commerce-sync', skus: 50, locations: 3 };
const SYSTEM_NAME = /^[a-z][a-z0-9-]*$/;

interface Running {
	instance: SandboxSystem;
	router: Router<RouteDefinition>;
	faults: FaultInjector;
	hooks: SystemWebhooks;
}

/** Starts a sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	const clock = options.clock ?? systemClock;
	const maxBody = options.maxBodyBytes ?? 20 * 1024 * 1024;
	let seedSpec: SeedSpec | undefined =
		options.seed === false ? undefined : (options.seed ?? DEFAULT_SEED);
	const rootSeed = (): Seed => seedSpec?.seed ?? DEFAULT_SEED.seed;
	let currentCatalog: Catalog | undefined;
	let requestIds: Rng = createRng(rootSeed(), 'request-ids');
	const log = new RequestLog(options.logCapacity);
	const systems = new Map<string, Running>();
	const webhookConfigs = new Map<string, SystemWebhookConfig>();
	let baseUrl = '';
	// Aborts injected waits (latency, slow answers) when the sandbox closes.
	const abort = new AbortController();

	const emitter = new WebhookEmitter(
		clock,
		webhookConfigs,
		(name) => running(name).faults,
		createRng(rootSeed(), 'webhook-ids'),
	);

	function running(name: string): Running {
		const r = systems.get(name);
		if (!r) throw new UnknownSystemError(name, [...systems.keys()]);
		return r;
	}

	// --- create the systems -----------------------------------------------------------------
	const registrations = resolveSystems(options.systems);
	for (const reg of registrations) {
		if (!SYSTEM_NAME.test(reg.name) || reg.name.startsWith('_')) {
			throw new RangeError(
				`System name "${reg.name}" is not usable as a URL prefix: use lower-case letters, digits and dashes`,
			);
		}
		if (systems.has(reg.name)) throw new RangeError(`System "${reg.name}" is registered twice`);
		const name = reg.name;
		const hooks: SystemWebhooks = {
			emit: (topic, payload, opts) => emitter.emit(name, topic, payload, opts),
			subscribe: (input) => emitter.subscribe(name, input),
			unsubscribe: (id) => emitter.unsubscribe(name, id),
			list: () => emitter.list(name),
		};
		const instance = reg.create({
			name,
			clock,
			rng: (label) => createRng(rootSeed(), `${name}:${label}`),
			webhooks: hooks,
			baseUrl: () => `${baseUrl}/${name}`,
		});
		if (instance.name !== name)
			throw new RangeError(`System registered as "${name}" calls itself "${instance.name}"`);
		const router = new Router<RouteDefinition>();
		for (const route of instance.routes) router.add(route.method, route.path, route);
		if (instance.webhooks) {
			webhookConfigs.set(name, {
				...instance.webhooks,
				secret: options.webhookSecrets?.[name] ?? instance.webhooks.secret,
			});
		}
		if (options.rateLimits === false) for (const p of instance.rateLimits ?? []) p.enabled = false;
		systems.set(name, { instance, router, faults: new FaultInjector(name, rootSeed()), hooks });
	}

	function seedSystems(spec: SeedSpec, names: string[]): Catalog {
		const catalog = generateCatalog(spec);
		for (const name of names) {
			const r = running(name);
			r.instance.reset();
			r.instance.seed({
				catalog,
				spec,
				options: spec.options?.[name] ?? {},
				rng: createRng(spec.seed, `${name}:seed`),
			});
		}
		return catalog;
	}

	if (seedSpec) currentCatalog = seedSystems(seedSpec, [...systems.keys()]);

	// --- the public object ------------------------------------------------------------------
	const sandbox: Sandbox = {
		get baseUrl() {
			return baseUrl;
		},
		get port() {
			return port;
		},
		get controlUrl() {
			return `${baseUrl}/_sandbox`;
		},
		clock,
		systemNames: [...systems.keys()],
		urlFor: (name) => {
			running(name);
			return `${baseUrl}/${name}`;
		},
		system: <T extends SandboxSystem>(name: string) => running(name).instance as T,
		catalog: () => currentCatalog,
		seed(spec, names) {
			const targets = names ?? [...systems.keys()];
			for (const n of targets) running(n);
			const catalog = seedSystems(spec, targets);
			if (!names) {
				seedSpec = spec;
				currentCatalog = catalog;
				requestIds = createRng(spec.seed, 'request-ids');
				for (const r of systems.values()) r.faults.reseed(spec.seed);
			}
			return catalog;
		},
		reset(name, opts = {}) {
			const targets = name === undefined ? [...systems.keys()] : [name];
			for (const n of targets) {
				const r = running(n);
				r.instance.reset();
				for (const p of r.instance.rateLimits ?? []) {
					p.restoreDefaults();
					if (options.rateLimits === false) p.enabled = false;
				}
				r.faults.clear();
				if (r.instance.webhooks) emitter.resetSystem(n);
				log.clear(n);
			}
			if (!opts.empty && seedSpec) seedSystems(seedSpec, targets);
			if (name === undefined) requestIds = createRng(rootSeed(), 'request-ids');
		},
		state: (name) => running(name).instance.snapshot(),
		requests: (query) => log.list(query),
		clearRequests: (name) => log.clear(name),
		setFaults: (name, config) => running(name).faults.set(config),
		faults: (name) => running(name).faults.get(),
		clearFaults: (name) => {
			for (const n of name === undefined ? [...systems.keys()] : [name]) running(n).faults.clear();
		},
		limits: (name) => [...(running(name).instance.rateLimits ?? [])],
		configureLimit(name, policyName, patch) {
			const policy = running(name).instance.rateLimits?.find((p) => p.name === policyName);
			if (!policy) {
				const names = (running(name).instance.rateLimits ?? []).map((p) => p.name);
				throw new RangeError(
					`System "${name}" has no rate-limit policy "${policyName}"; policies: ${names.join(', ') || 'none'}`,
				);
			}
			policy.configure(patch);
		},
		webhooks: emitter,
		close: () => close(),
	};

	const control = controlApi(sandbox, () => seedSpec);

	// --- request handling -------------------------------------------------------------------
	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const arrival = clock.now();
		const url = new URL(req.url ?? '/', baseUrl || 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const [, first = '', ...rest] = url.pathname.split('/');
		let raw: Buffer;
		try {
			raw = await readBody(req, maxBody);
		} catch (error) {
			send(res, json(413, { error: error instanceof Error ? error.message : 'Body too large' }));
			return;
		}
		if (first === '_sandbox') {
			send(res, await control(method, `/${rest.join('/')}`, url.searchParams, raw));
			return;
		}
		const r = systems.get(first);
		if (!r) {
			send(
				res,
				json(404, {
					error: `No system "${first}" in this sandbox`,
					systems: [...systems.keys()].map((n) => `${baseUrl}/${n}`),
					control: `${baseUrl}/_sandbox`,
				}),
			);
			return;
		}
		const path = `/${rest.join('/')}`;
		const query = queryObject(url.searchParams);
		const match = r.router.match(method, path);
		const operation =
			match.kind === 'found'
				? (match.route.value.operation ?? `${match.route.method} ${match.route.pattern}`)
				: `${method} ${path}`;
		const entry = log.start({
			time: arrival,
			system: first,
			method,
			path,
			query,
			operation: match.kind === 'found' ? operation : undefined,
		});
		const requestId = uuid(requestIds);
		const headers = req.headers as Record<string, string | undefined>;
		const limitReq: LimitRequest = { system: first, operation, method, path, headers, requestId };
		const finish = (status: number | null, note?: string) => {
			if (entry.durationMs !== null) return;
			entry.status = status;
			entry.durationMs = clock.now() - arrival;
			if (note) entry.note = note;
		};

		// Rate limits first (see the file comment); releases run when the response ends.
		const decisions: LimitDecision[] = [];
		const releaseAll = () => decisions.forEach((d) => d.release?.());
		res.on('close', releaseAll);
		for (const policy of r.instance.rateLimits ?? []) {
			if (policy.mode !== 'auto') continue;
			const d = policy.check(limitReq, clock.now());
			decisions.push(d);
			if (policy.enabled) entry.rateLimit.push(outcome(d));
			if (!d.allowed) {
				const limited = withHeaders(policy.reject(d, limitReq), mergedHeaders(decisions));
				send(res, limited);
				finish(limited.status);
				return;
			}
		}
		const limitHeaders = mergedHeaders(decisions);

		const sreq: SandboxRequest = {
			system: first,
			method,
			path,
			params: match.kind === 'found' ? match.params : {},
			query,
			headers,
			rawBody: raw,
			...parseBody(raw, headers['content-type']),
			url: `${baseUrl}${req.url ?? '/'}`,
			baseUrl: `${baseUrl}/${first}`,
			operation,
			requestId,
			now: arrival,
			limits: requestLimits(r.instance, limitReq, entry, clock),
			webhooks: r.hooks,
		};

		// Injected faults.
		const plan = r.faults.plan(method, path);
		if (plan.latencyMs > 0) {
			entry.latencyMs = plan.latencyMs;
			await clock.sleep(plan.latencyMs, abort.signal).catch(() => undefined);
		}
		const fault = plan.fault;
		if (fault) entry.fault = fault;
		if (fault?.kind === 'drop') {
			finish(null, 'connection dropped (injected)');
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'timeout') {
			if (fault.afterMs === null) {
				// Never answer: the entry completes when the client gives up (or the sandbox closes).
				res.on('close', () => finish(null, 'never answered (injected timeout); client closed'));
				return;
			}
			await clock.sleep(fault.afterMs, abort.signal).catch(() => undefined);
		}
		let response: SandboxResponse;
		if (fault?.kind === 'error') response = errorFor(r.instance, fault.status, sreq);
		else if (fault?.kind === 'burst429') response = throttleFor(r.instance, fault, sreq, limitReq);
		else if (match.kind === 'notFound')
			response =
				r.instance.notFound?.(sreq) ??
				json(404, { error: `No route for ${method} ${path} in the ${first} sandbox` });
		else if (match.kind === 'methodNotAllowed')
			response = withHeaders(errorFor(r.instance, 405, sreq), { Allow: match.allowed.join(', ') });
		else {
			try {
				response = await match.route.value.handler(sreq);
			} catch (error) {
				if (error instanceof SandboxHttpError) response = error.response;
				else {
					entry.note = `handler error: ${error instanceof Error ? error.message : String(error)}`;
					response = errorFor(r.instance, 500, sreq);
				}
			}
		}
		const final = withHeaders(response, limitHeaders, true);
		if (res.destroyed) {
			finish(null, 'client closed before the answer');
			return;
		}
		send(res, final);
		finish(final.status);
	}

	// --- listen -------------------------------------------------------------------------------
	const server = http.createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (!res.headersSent && !res.destroyed)
				send(
					res,
					json(500, {
						error: `Sandbox error: ${error instanceof Error ? error.message : String(error)}`,
					}),
				);
		});
	});
	const port = await new Promise<number>((resolve, reject) => {
		const requested = options.port ?? 0;
		const onError = (error: NodeJS.ErrnoException) => {
			server.off('listening', onListening);
			if (error.code === 'EADDRINUSE') reject(new SandboxPortInUseError(requested, host));
			else if (error.code === 'EACCES')
				reject(
					new Error(
						`Not allowed to listen on port ${requested} on ${host}: choose a port above 1023 with --port <number>`,
					),
				);
			else reject(error);
		};
		const onListening = () => {
			server.off('error', onError);
			resolve((server.address() as AddressInfo).port);
		};
		server.once('error', onError);
		server.once('listening', onListening);
		server.listen(requested, host);
	});
	baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

	let closing: Promise<void> | undefined;
	function close(): Promise<void> {
		closing ??= new Promise<void>((resolve) => {
			abort.abort();
			emitter.close();
			server.close(() => resolve());
			server.closeAllConnections();
		});
		return closing;
	}

	return sandbox;
}

/** A system name that is not running. */
export class UnknownSystemError extends RangeError {
	constructor(name: string, known: string[]) {
		super(`No system "${name}" in this sandbox; running systems: ${known.join(', ') || 'none'}`);
		this.name = 'UnknownSystemError';
	}
}

function resolveSystems(
	list: Array<string | SystemRegistration> | undefined,
): SystemRegistration[] {
	if (!list) return [...BUILTIN_SYSTEMS];
	return list.map((s) => {
		if (typeof s !== 'string') return s;
		const found = BUILTIN_SYSTEMS.find((b) => b.name === s);
		if (!found)
			throw new UnknownSystemError(
				s,
				BUILTIN_SYSTEMS.map((b) => b.name),
			);
		return found;
	});
}

function requestLimits(
	system: SandboxSystem,
	req: LimitRequest,
	entry: RequestLogEntry,
	clock: Clock,
): SandboxRequest['limits'] {
	const bucket = (name: string): CostBucketPolicy => {
		const p = system.rateLimits?.find((x) => x.name === name);
		if (!(p instanceof CostBucketPolicy))
			throw new RangeError(`System "${system.name}" has no cost-bucket policy "${name}"`);
		return p;
	};
	return {
		charge(name, cost) {
			const p = bucket(name);
			const result = p.charge(p.keyFor(req), cost, clock.now());
			if (p.enabled) {
				entry.rateLimit.push({
					policy: name,
					allowed: result.allowed,
					limit: result.throttleStatus.maximumAvailable,
					remaining: result.throttleStatus.currentlyAvailable,
					retryAfterMs: result.retryAfterMs,
					detail: result.reason ? `${result.reason} (cost ${cost})` : `cost ${cost}`,
				});
			}
			return result;
		},
		refund(name, requested, actual) {
			const p = bucket(name);
			return p.refund(p.keyFor(req), requested, actual, clock.now());
		},
		status(name) {
			const p = bucket(name);
			return p.status(p.keyFor(req), clock.now());
		},
	};
}

function outcome(d: LimitDecision) {
	const { policy, allowed, limit, remaining, retryAfterMs, detail } = d;
	return { policy, allowed, limit, remaining, retryAfterMs, detail };
}

function mergedHeaders(decisions: LimitDecision[]): Record<string, string> {
	return Object.assign({}, ...decisions.map((d) => d.headers)) as Record<string, string>;
}

/** Adds headers; with `under`, the response's own headers win over the added ones. */
function withHeaders(
	res: SandboxResponse,
	extra: Record<string, string>,
	under = false,
): SandboxResponse {
	return {
		...res,
		headers: under ? { ...extra, ...(res.headers ?? {}) } : { ...(res.headers ?? {}), ...extra },
	};
}

function errorFor(system: SandboxSystem, status: number, req: SandboxRequest): SandboxResponse {
	return (
		system.errorResponse?.(status, req) ??
		json(status, { error: http.STATUS_CODES[status] ?? 'Error', status, requestId: req.requestId })
	);
}

function throttleFor(
	system: SandboxSystem,
	fault: Extract<RequestFault, { kind: 'burst429' }>,
	req: SandboxRequest,
	limitReq: LimitRequest,
): SandboxResponse {
	if (system.tooManyRequests) return system.tooManyRequests(fault.retryAfterMs, req);
	const decision: LimitDecision = {
		policy: 'injected',
		allowed: false,
		remaining: 0,
		retryAfterMs: fault.retryAfterMs,
		headers: {},
	};
	const first = system.rateLimits?.[0];
	if (first) {
		const res = first.reject(decision, limitReq);
		// Every injected burst carries Retry-After, whatever the system's own header is called.
		return withHeaders(res, { 'Retry-After': String(Math.ceil(fault.retryAfterMs / 1000)) }, true);
	}
	return genericShape.reject(decision, limitReq);
}

function parseBody(
	raw: Buffer,
	contentType: string | undefined,
): { body: unknown; bodyError?: string } {
	if (raw.length === 0) return { body: undefined };
	const type = (contentType ?? '').toLowerCase();
	const looksJson =
		type.includes('json') || (!type && /^\s*[[{]/.test(raw.subarray(0, 64).toString('utf8')));
	if (!looksJson || type.includes('ndjson') || type.includes('jsonl')) return { body: undefined };
	try {
		return { body: JSON.parse(raw.toString('utf8')) as unknown };
	} catch (error) {
		return { body: undefined, bodyError: error instanceof Error ? error.message : 'Invalid JSON' };
	}
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [k, v] of params) {
		const prev = out[k];
		out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
	}
	return out;
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > max) {
				reject(new Error(`Request body larger than ${max} bytes`));
				req.resume();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Sends a SandboxResponse (JSON unless `raw`). */
function send(res: http.ServerResponse, response: SandboxResponse): void {
	if (res.headersSent || res.destroyed) return;
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(response.headers ?? {})) headers[k] = String(v);
	const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
	let payload: Buffer | undefined;
	if (response.raw !== undefined) {
		payload = Buffer.isBuffer(response.raw) ? response.raw : Buffer.from(response.raw, 'utf8');
		if (!hasType) headers['Content-Type'] = response.contentType ?? 'application/octet-stream';
	} else if (response.body !== undefined) {
		payload = Buffer.from(JSON.stringify(response.body), 'utf8');
		if (!hasType) headers['Content-Type'] = 'application/json; charset=utf-8';
	}
	if (payload) headers['Content-Length'] = String(payload.length);
	res.writeHead(response.status, headers);
	res.end(payload);
}

function uuid(rng: Rng): string {
	const hex = (n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
	return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + rng.int(0, 3)).toString(16)}${hex(3)}-${hex(12)}`;
}

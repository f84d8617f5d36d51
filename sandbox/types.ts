/**
 * The contract between the sandbox framework and a system module (Shopify, NetSuite, ...).
 * A system module exports a `SystemRegistration` and is listed in `systems/index.ts`; see
 * sandbox/README.md for a walk-through.
 */
import type { Clock } from '../nodes/shared/core/resilience/clock';
import type { Catalog, CatalogSpec } from './catalog';
import type { SandboxHeaders, SandboxResponse } from './http';
import type { CostCharge, RateLimitPolicy, ThrottleStatus } from './ratelimit/policies';
import type { Rng } from './rng';
import type { EmitOptions, SubscriptionView, SystemWebhookConfig } from './webhooks/emitter';

/** What `/_sandbox/seed` and `startSandbox({seed})` take. */
export interface SeedSpec extends CatalogSpec {
	/** Per-system extra options, keyed by system name (e.g. `{shopify: {apiVersion: '2026-01'}}`). */
	options?: Record<string, Record<string, unknown>>;
}

/** What a system's `seed` receives. */
export interface SeedInput {
	/** The shared catalog: same SKUs and stock for every system. */
	catalog: Catalog;
	spec: SeedSpec;
	/** `spec.options[system]`, or `{}`. */
	options: Record<string, unknown>;
	/** A stream of this seed dedicated to this system (for its own ids, extra data). */
	rng: Rng;
}

/** Manual rate-limit charging for the current request (Shopify's cost bucket). */
export interface RequestLimits {
	/**
	 * Charges `cost` to the named manual policy (a `CostBucketPolicy`) and records the outcome in
	 * the request log.
	 */
	charge(policy: string, cost: number): CostCharge;
	/** Refunds `requested − actual` after execution; returns the bucket's standing. */
	refund(policy: string, requested: number, actual: number): ThrottleStatus;
	/** The bucket's standing without charging. */
	status(policy: string): ThrottleStatus;
}

/** A system's view of the webhook emitter (bound to that system). */
export interface SystemWebhooks {
	/** Delivers an event to every matching subscription; returns at once. */
	emit(
		topic: string,
		payload: unknown,
		options?: EmitOptions,
	): { eventId: string; subscriptions: number };
	/** Registers a receiver (for systems with a subscription API, e.g. ShipBob `POST /webhook`). */
	subscribe(input: { topic: string; address: string; secret?: string }): SubscriptionView;
	unsubscribe(id: string): boolean;
	list(): SubscriptionView[];
}

/** One request as a route handler sees it. */
export interface SandboxRequest {
	system: string;
	method: string;
	/** Path below the system prefix (`/admin/api/2026-01/graphql.json`), no query string. */
	path: string;
	/** Pattern parameters, percent-decoded. */
	params: Record<string, string>;
	/** Query parameters; repeated ones become arrays. */
	query: Record<string, string | string[]>;
	/** Lower-case header names. */
	headers: SandboxHeaders;
	/** The exact bytes received. */
	rawBody: Buffer;
	/** Parsed JSON when the body is JSON, else undefined (see `bodyError`). */
	body: unknown;
	/** Set when the body claimed to be JSON and did not parse. */
	bodyError?: string;
	/** Full URL as received (`http://127.0.0.1:8787/shopify/admin/...?...`). */
	url: string;
	/** This system's base URL (`http://127.0.0.1:8787/shopify`), for next-page links. */
	baseUrl: string;
	/** The matched route's operation name. */
	operation: string;
	/** Deterministic per-request id (for `x-request-id`-style headers and error bodies). */
	requestId: string;
	/** Sandbox clock at arrival. */
	now: number;
	limits: RequestLimits;
	webhooks: SystemWebhooks;
}

/** A route handler: returns (or throws `SandboxHttpError` with) the response. */
export type RouteHandler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

/** One route of a system. */
export interface RouteDefinition {
	/** HTTP method, or `*` for any. */
	method: string;
	/** Pattern below the system prefix; see router.ts (`/orders/:id`, `/files/*`). */
	path: string;
	/**
	 * Operation name for the request log and per-operation rate limits (Amazon); defaults to
	 * `METHOD pattern`.
	 */
	operation?: string;
	handler: RouteHandler;
}

/** What the framework gives a system module when it creates one for a sandbox. */
export interface SystemContext {
	/** The system's name (its URL prefix). */
	name: string;
	clock: Clock;
	/** A stream seeded from the sandbox seed and `label` (stable across runs). */
	rng(label: string): Rng;
	webhooks: SystemWebhooks;
	/** This system's base URL; valid once the server listens. */
	baseUrl(): string;
}

/** A system module's live instance inside one sandbox. State lives here, in memory. */
export interface SandboxSystem {
	/** URL prefix and id: lower-case letters, digits and dashes (`shopify`, `amazon`). */
	readonly name: string;
	/** One line for the index page. */
	readonly description?: string;
	readonly routes: RouteDefinition[];
	/** Checked in order on every request (`auto`) or charged by handlers (`manual`). */
	readonly rateLimits?: RateLimitPolicy[];
	/** Webhook signing and delivery; absent when the system does not push. */
	readonly webhooks?: SystemWebhookConfig;
	/** Empties the state (the framework re-seeds afterwards unless asked for an empty reset). */
	reset(): void;
	/** Fills the state from the catalog. Called after `reset()`. */
	seed(input: SeedInput): void;
	/** A JSON-serialisable picture of the state, for tests and `GET /_sandbox/state/<system>`. */
	snapshot(): unknown;
	/** How the system's own 5xx (and 405) look; used for injected faults and handler crashes. */
	errorResponse?(status: number, req: SandboxRequest): SandboxResponse;
	/** The system's 404 for an unknown path. */
	notFound?(req: SandboxRequest): SandboxResponse;
	/**
	 * The system's throttle answer for an injected 429 burst; defaults to its first rate-limit
	 * policy's rejection, then to a generic 429 with Retry-After.
	 */
	tooManyRequests?(retryAfterMs: number, req: SandboxRequest): SandboxResponse;
}

/** Creates a system instance for one sandbox. */
export type SandboxSystemFactory = (ctx: SystemContext) => SandboxSystem;

/** How a system module plugs in: listed in `sandbox/systems/index.ts`. */
export interface SystemRegistration {
	name: string;
	description: string;
	create: SandboxSystemFactory;
}

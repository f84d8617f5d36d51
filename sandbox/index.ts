/**
 * The sandbox's public surface: start one (`startSandbox`), write a system module against
 * `SandboxSystem`, pick rate-limit presets and webhook signers, validate against vendor specs.
 */
export { generateCatalog } from './catalog';
export type { Catalog, CatalogItem, CatalogLocation, CatalogSpec, CatalogStock } from './catalog';
export { ManualClock, systemClock } from './clock';
export type { Clock } from './clock';
export { FaultInjector, validateFaultConfig } from './faults';
export type { FaultConfig, FaultPlan, RequestFault, WebhookFaultConfig } from './faults';
export { empty, json, SandboxHttpError, text } from './http';
export type { SandboxHeaders, SandboxResponse } from './http';
export { RequestLog } from './log';
export type { LogQuery, RequestLogEntry } from './log';
export * from './ratelimit/policies';
export * from './ratelimit/presets';
export { createRng } from './rng';
export type { Rng, Seed } from './rng';
export { compilePattern, Router } from './router';
export { SandboxPortInUseError, startSandbox, UnknownSystemError } from './server';
export type { Sandbox, SandboxOptions } from './server';
export { BUILTIN_SYSTEMS } from './systems';
export type * from './types';
export { WebhookEmitter } from './webhooks/emitter';
export type {
	DeliveryAttempt,
	EmitOptions,
	Subscription,
	SubscriptionView,
	SystemWebhookConfig,
} from './webhooks/emitter';
export * from './webhooks/signers';

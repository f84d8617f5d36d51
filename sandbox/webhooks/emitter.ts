/**
 * Webhook emitter: keeps each system's subscriptions and delivers events to them over real HTTP,
 * signed by the system's signer, retried on the system's schedule, with the webhook faults of
 * `faults.ts` applied. Every attempt is recorded.
 *
 * Waits between retries and injected delays run on the sandbox clock (a test steps through a
 * four-hour schedule instantly); the per-attempt timeout is real time, because it bounds a real
 * socket.
 */
import * as http from 'node:http';
import { URL } from 'node:url';
import type { Clock } from '../../nodes/shared/core/resilience/clock';
import type { FaultInjector, WebhookFaultPlan } from '../faults';
import type { Rng } from '../rng';
import type { DeliveryPolicy, WebhookSigner } from './signers';

/** A system's webhook settings. */
export interface SystemWebhookConfig extends DeliveryPolicy {
	signer: WebhookSigner;
	/** Default signing secret (a subscription may carry its own). */
	secret: string;
}

/** A registered receiver. */
export interface Subscription {
	id: string;
	system: string;
	/** Exact topic, or `*` for every topic. */
	topic: string;
	address: string;
	createdAt: number;
	active: boolean;
	/** Events in a row that failed for good. */
	consecutiveFailures: number;
	/** Per-subscription secret (ShipBob issues one per subscription). Never listed. */
	secret?: string;
}

/** A subscription as listed (without its secret). */
export type SubscriptionView = Omit<Subscription, 'secret'> & { hasOwnSecret: boolean };

/** One HTTP attempt to deliver one event to one subscription. */
export interface DeliveryAttempt {
	seq: number;
	system: string;
	subscriptionId: string;
	topic: string;
	eventId: string;
	deliveryId: string;
	/** 1 for the first attempt of a delivery. */
	attempt: number;
	address: string;
	/** When the attempt started (sandbox clock). */
	time: number;
	/** Real milliseconds the attempt took. */
	elapsedMs: number;
	status: number | null;
	outcome: 'delivered' | 'failed' | 'timeout' | 'error' | 'lost-ack';
	error?: string;
	/** Faults that shaped this delivery. */
	faults: Array<'duplicate' | 'out-of-order' | 'delayed' | 'lost-ack'>;
	/** When the next attempt is due (sandbox clock), if one is scheduled. */
	nextAttemptAt?: number;
	/** True when this was the last attempt and it failed. */
	gaveUp?: boolean;
}

/** An event to deliver. */
export interface EmitOptions {
	/** Defaults to a generated id. */
	eventId?: string;
	/** Event time (default: now). */
	occurredAt?: number;
}

interface EventToSend {
	system: string;
	topic: string;
	eventId: string;
	occurredAt: number;
	body: string;
}

interface Held {
	event: EventToSend;
	plan: WebhookFaultPlan;
	release: () => void;
}

/** Delivers webhooks for every system of one sandbox. */
export class WebhookEmitter {
	private subscriptions: Subscription[] = [];
	private attempts: DeliveryAttempt[] = [];
	private seq = 0;
	private subSeq = 0;
	private sending = 0;
	private waits = new Set<{ until: number }>();
	private held = new Map<string, Held>();
	private requests = new Set<http.ClientRequest>();
	private readonly abort = new AbortController();
	private readonly agent = new http.Agent({ keepAlive: false });

	constructor(
		private readonly clock: Clock,
		private readonly configs: Map<string, SystemWebhookConfig>,
		private readonly faults: (system: string) => FaultInjector,
		private readonly ids: Rng,
	) {}

	/** Registers a receiver. `address` must be an http(s) URL. */
	subscribe(
		system: string,
		input: { topic: string; address: string; secret?: string },
	): SubscriptionView {
		this.config(system);
		if (!input || typeof input.topic !== 'string' || input.topic === '') {
			throw new RangeError(
				'Webhook subscription: "topic" is required (an exact topic, or "*" for all)',
			);
		}
		let url: URL;
		try {
			url = new URL(input.address);
		} catch {
			throw new RangeError(
				`Webhook subscription: "address" must be an absolute http(s) URL, got ${JSON.stringify(input.address)}`,
			);
		}
		if (url.protocol !== 'http:') {
			throw new RangeError(
				`Webhook subscription: the sandbox delivers over plain http; "${url.protocol}" addresses are not supported`,
			);
		}
		const sub: Subscription = {
			id: `${system}-sub-${++this.subSeq}`,
			system,
			topic: input.topic,
			address: input.address,
			createdAt: this.clock.now(),
			active: true,
			consecutiveFailures: 0,
			secret: input.secret,
		};
		this.subscriptions.push(sub);
		return view(sub);
	}

	/** Removes a subscription; false if there was none with that id. */
	unsubscribe(system: string, id: string): boolean {
		const before = this.subscriptions.length;
		this.subscriptions = this.subscriptions.filter((s) => !(s.system === system && s.id === id));
		return this.subscriptions.length < before;
	}

	/** Subscriptions of a system (or all), without secrets. */
	list(system?: string): SubscriptionView[] {
		return this.subscriptions.filter((s) => system === undefined || s.system === system).map(view);
	}

	/** Delivery attempts, oldest first. */
	deliveries(
		filter: { system?: string; sinceSeq?: number; eventId?: string } = {},
	): DeliveryAttempt[] {
		return this.attempts
			.filter(
				(a) =>
					(filter.system === undefined || a.system === filter.system) &&
					(filter.sinceSeq === undefined || a.seq > filter.sinceSeq) &&
					(filter.eventId === undefined || a.eventId === filter.eventId),
			)
			.map((a) => ({ ...a, faults: [...a.faults] }));
	}

	/** Forgets recorded attempts. */
	clearDeliveries(system?: string): void {
		this.attempts = system === undefined ? [] : this.attempts.filter((a) => a.system !== system);
	}

	/** Drops a system's subscriptions and held events (system reset). */
	resetSystem(system: string): void {
		this.subscriptions = this.subscriptions.filter((s) => s.system !== system);
		for (const [key, h] of this.held) if (h.event.system === system) this.held.delete(key);
		this.clearDeliveries(system);
	}

	/** Changes a system's delivery settings at run time. */
	configure(system: string, patch: Partial<Omit<SystemWebhookConfig, 'signer'>>): void {
		const current = this.config(system);
		const next = { ...current };
		for (const [field, value] of Object.entries(patch)) {
			if (field === 'retryDelaysMs') {
				if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !(v >= 0))) {
					throw new RangeError(
						'Webhook config: "retryDelaysMs" must be a list of non-negative milliseconds, e.g. [1000, 5000]',
					);
				}
				next.retryDelaysMs = [...(value as number[])];
			} else if (field === 'timeoutMs' || field === 'removeAfterFailures') {
				if (typeof value !== 'number' || !(value >= 0))
					throw new RangeError(`Webhook config: "${field}" must be a non-negative number`);
				next[field] = value;
			} else if (field === 'secret') {
				if (typeof value !== 'string' || value === '')
					throw new RangeError('Webhook config: "secret" must be a non-empty string');
				next.secret = value;
			} else {
				throw new RangeError(
					`Webhook config: unknown field "${field}"; fields: retryDelaysMs, timeoutMs, removeAfterFailures, secret`,
				);
			}
		}
		this.configs.set(system, next);
	}

	/** Delivery settings of a system, without the secret. */
	settings(system: string): Omit<SystemWebhookConfig, 'signer' | 'secret'> {
		const { retryDelaysMs, timeoutMs, removeAfterFailures } = this.config(system);
		return { retryDelaysMs: [...retryDelaysMs], timeoutMs, removeAfterFailures };
	}

	/**
	 * Emits an event: every active subscription of the system whose topic matches gets a
	 * delivery. Returns at once; deliveries run in the background (see `whenIdle`).
	 */
	emit(
		system: string,
		topic: string,
		payload: unknown,
		options: EmitOptions = {},
	): { eventId: string; subscriptions: number } {
		this.config(system);
		const event: EventToSend = {
			system,
			topic,
			eventId: options.eventId ?? this.newId(),
			occurredAt: options.occurredAt ?? this.clock.now(),
			body: typeof payload === 'string' ? payload : JSON.stringify(payload),
		};
		const targets = this.subscriptions.filter(
			(s) => s.system === system && s.active && (s.topic === topic || s.topic === '*'),
		);
		for (const sub of targets) this.dispatch(sub, event);
		return { eventId: event.eventId, subscriptions: targets.length };
	}

	/**
	 * Resolves when no attempt is on the wire and nothing is due at the current clock time
	 * (later retries and held events may still be pending: step the clock to reach them).
	 */
	async whenIdle(timeoutMs = 10_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			// Two turns: a wait that just ended needs one to start its attempt.
			await new Promise((r) => setImmediate(r));
			await new Promise((r) => setImmediate(r));
			const now = this.clock.now();
			const due = [...this.waits].some((w) => w.until <= now);
			if (this.sending === 0 && !due) return;
			if (Date.now() > deadline)
				throw new Error(
					`Webhook deliveries still busy after ${timeoutMs} ms (${this.sending} on the wire)`,
				);
			await new Promise((r) => setTimeout(r, 2));
		}
	}

	/** Stops everything: pending retries are abandoned, in-flight requests destroyed. */
	close(): void {
		this.abort.abort();
		for (const req of this.requests) req.destroy();
		this.requests.clear();
		this.held.clear();
		this.agent.destroy();
	}

	private config(system: string): SystemWebhookConfig {
		const c = this.configs.get(system);
		if (!c)
			throw new RangeError(
				`System "${system}" has no webhooks in this sandbox; systems with webhooks: ${[...this.configs.keys()].join(', ') || 'none'}`,
			);
		return c;
	}

	private newId(): string {
		const hex = () => this.ids.int(0, 0xffff).toString(16).padStart(4, '0');
		return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-${hex()}-${hex()}${hex()}${hex()}`;
	}

	private dispatch(sub: Subscription, event: EventToSend): void {
		const plan = this.faults(event.system).planWebhook();
		const key = sub.id;
		const previous = this.held.get(key);
		if (plan.outOfOrder && !previous) {
			// Hold this event until the next one for the same subscription has gone out (or holdMs).
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				if (this.held.get(key)?.event === event) this.held.delete(key);
				void this.deliver(sub, event, plan, ['out-of-order']);
			};
			this.held.set(key, { event, plan, release });
			void this.wait(this.faults(event.system).holdMs).then(release, () => undefined);
			return;
		}
		void this.deliver(sub, event, plan, []).then(() => previous?.release());
	}

	private async deliver(
		sub: Subscription,
		event: EventToSend,
		plan: WebhookFaultPlan,
		faults: DeliveryAttempt['faults'],
	): Promise<void> {
		try {
			if (plan.delayMs > 0) {
				faults = [...faults, 'delayed'];
				await this.wait(plan.delayMs);
			}
			const ok = await this.chain(sub, event, this.newId(), faults, plan.lostAck);
			if (plan.duplicate)
				await this.chain(sub, event, this.newId(), [...faults, 'duplicate'], false);
			if (ok) sub.consecutiveFailures = 0;
			else {
				sub.consecutiveFailures++;
				const limit = this.config(sub.system).removeAfterFailures;
				if (limit > 0 && sub.consecutiveFailures >= limit) sub.active = false;
			}
		} catch {
			// Aborted by close(): nothing left to do.
		}
	}

	/** Sends one delivery until a 2xx or the retry schedule is exhausted. True when delivered. */
	private async chain(
		sub: Subscription,
		event: EventToSend,
		deliveryId: string,
		faults: DeliveryAttempt['faults'],
		loseFirstAck: boolean,
	): Promise<boolean> {
		const cfg = this.config(sub.system);
		let lostOnce = false;
		for (let attempt = 1; ; attempt++) {
			if (this.abort.signal.aborted) return false;
			const record = await this.attempt(sub, event, deliveryId, attempt, faults);
			let ok = record.outcome === 'delivered';
			if (ok && loseFirstAck && !lostOnce) {
				lostOnce = true;
				ok = false;
				record.outcome = 'lost-ack';
				record.faults.push('lost-ack');
			}
			if (ok) return true;
			const delay = cfg.retryDelaysMs[attempt - 1];
			if (delay === undefined) {
				record.gaveUp = true;
				return false;
			}
			record.nextAttemptAt = this.clock.now() + delay;
			await this.wait(delay);
		}
	}

	private async wait(ms: number): Promise<void> {
		const w = { until: this.clock.now() + ms };
		this.waits.add(w);
		try {
			await this.clock.sleep(ms, this.abort.signal);
		} finally {
			this.waits.delete(w);
		}
	}

	private async attempt(
		sub: Subscription,
		event: EventToSend,
		deliveryId: string,
		attempt: number,
		faults: DeliveryAttempt['faults'],
	): Promise<DeliveryAttempt> {
		const cfg = this.config(sub.system);
		const now = this.clock.now();
		const headers = cfg.signer({
			body: event.body,
			url: sub.address,
			method: 'POST',
			secret: sub.secret ?? cfg.secret,
			topic: event.topic,
			eventId: event.eventId,
			deliveryId,
			attempt,
			timestampMs: now,
			occurredAtMs: event.occurredAt,
		});
		const record: DeliveryAttempt = {
			seq: ++this.seq,
			system: sub.system,
			subscriptionId: sub.id,
			topic: event.topic,
			eventId: event.eventId,
			deliveryId,
			attempt,
			address: sub.address,
			time: now,
			elapsedMs: 0,
			status: null,
			outcome: 'error',
			faults: [...faults],
		};
		this.attempts.push(record);
		if (this.attempts.length > 50_000) this.attempts.splice(0, this.attempts.length - 50_000);
		const started = Date.now();
		this.sending++;
		try {
			const status = await this.post(sub.address, event.body, headers, cfg.timeoutMs);
			record.status = status;
			record.outcome = status >= 200 && status < 300 ? 'delivered' : 'failed';
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			record.outcome = message === 'timeout' ? 'timeout' : 'error';
			record.error = message === 'timeout' ? `no answer within ${cfg.timeoutMs} ms` : message;
		} finally {
			this.sending--;
			record.elapsedMs = Date.now() - started;
		}
		return record;
	}

	private post(
		address: string,
		body: string,
		headers: Record<string, string>,
		timeoutMs: number,
	): Promise<number> {
		return new Promise((resolve, reject) => {
			const req = http.request(
				address,
				{
					method: 'POST',
					agent: this.agent,
					headers: {
						'Content-Type': 'application/json',
						'Content-Length': Buffer.byteLength(body),
						'User-Agent': 'commerce-sync-sandbox/1',
						...headers,
					},
				},
				(res) => {
					res.resume();
					res.on('end', () => {
						clearTimeout(timer);
						resolve(res.statusCode ?? 0);
					});
					res.on('error', (e) => {
						clearTimeout(timer);
						reject(e);
					});
				},
			);
			this.requests.add(req);
			const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
			req.on('error', (e) => {
				clearTimeout(timer);
				reject(e);
			});
			req.on('close', () => this.requests.delete(req));
			req.end(body);
		});
	}
}

function view(s: Subscription): SubscriptionView {
	const { secret, ...rest } = s;
	return { ...rest, hasOwnSecret: secret !== undefined };
}

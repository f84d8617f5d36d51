import type { Clock } from '../../nodes/shared/core/resilience/clock';
import type {
	Transport,
	TransportRequest,
	TransportResponse,
} from '../../nodes/shared/core/http/transport';

/** A canned response. `match` (tested against "METHOD url") makes a mismatch fail loudly. */
export interface ScriptedResponse {
	status?: number;
	headers?: Record<string, string | string[]>;
	body?: unknown;
	/** Virtual ms the response takes (needs a clock). */
	delayMs?: number;
	match?: string | RegExp;
}

/** A canned network failure: the transport rejects with an Error carrying `code`. */
export interface ScriptedFailure {
	error: { code?: string; message?: string; name?: string };
	delayMs?: number;
	match?: string | RegExp;
}

/** One scripted step: a response, a failure, or a function of the request returning either. */
export type Script =
	| ScriptedResponse
	| ScriptedFailure
	| ((request: TransportRequest) => ScriptedResponse | ScriptedFailure);

/** A request as the transport received it, with the virtual time it was sent. */
export interface SentRequest extends TransportRequest {
	at: number;
}

/**
 * A Transport that answers from a queue of scripts, in order, and records every request (after
 * the Shopify mock adapter). A request with nothing queued throws "no response scripted for …",
 * so a test cannot pass by accident; `assertDone()` fails when scripts were left unused.
 */
export class ScriptedTransport {
	/** Every request received, in order. */
	readonly sent: SentRequest[] = [];
	/** Most requests in flight at once (only meaningful with delays). */
	maxInFlight = 0;
	private readonly scripts: Script[] = [];
	private inFlight = 0;

	constructor(private readonly clock?: Clock) {}

	/** Queues scripts for the next requests. */
	reply(...scripts: Script[]): this {
		this.scripts.push(...scripts);
		return this;
	}

	/** Scripts not used yet. */
	get remaining(): number {
		return this.scripts.length;
	}

	/** Throws when scripts are left over (the code under test sent fewer requests than expected). */
	assertDone(): void {
		if (this.scripts.length > 0) {
			throw new Error(`${this.scripts.length} scripted response(s) were never requested`);
		}
	}

	/** The Transport function to hand to the code under test. */
	readonly transport: Transport = async (request) => {
		const at = this.clock?.now() ?? 0;
		this.sent.push({ ...request, headers: { ...request.headers }, at });
		const label = `${request.method} ${request.url}`;
		const next = this.scripts.shift();
		if (next === undefined) throw new Error(`no response scripted for ${label}`);
		const script = typeof next === 'function' ? next(request) : next;
		if (script.match !== undefined) {
			const ok =
				typeof script.match === 'string' ? label.includes(script.match) : script.match.test(label);
			if (!ok)
				throw new Error(`scripted response expected ${String(script.match)} but got ${label}`);
		}
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			if (script.delayMs) {
				if (!this.clock) throw new Error('a scripted delay needs a clock');
				await this.clock.sleep(script.delayMs, request.signal);
			}
		} finally {
			this.inFlight--;
		}
		if ('error' in script) {
			const error = new Error(script.error.message ?? `scripted failure ${script.error.code}`);
			if (script.error.name) error.name = script.error.name;
			if (script.error.code) (error as Error & { code?: string }).code = script.error.code;
			throw error;
		}
		const headers: TransportResponse['headers'] = {};
		for (const [key, value] of Object.entries(script.headers ?? {})) {
			headers[key.toLowerCase()] = value;
		}
		return { status: script.status ?? 200, headers, body: script.body };
	};
}

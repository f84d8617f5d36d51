/**
 * The control API, JSON over HTTP under `/_sandbox/...`, so tests in other processes, the e2e
 * suite and `npm start` can steer a running sandbox. Every endpoint is listed by `GET /_sandbox`.
 * Bad input answers 400 with a message naming the field and the fix.
 */
import type { FaultConfig } from './faults';
import { json, type SandboxResponse } from './http';
import { Router } from './router';
import type { Sandbox } from './server';
import type { SeedSpec } from './types';

type Handler = (input: {
	params: Record<string, string>;
	query: URLSearchParams;
	body: unknown;
}) => SandboxResponse;

const ENDPOINTS: Array<[string, string, string]> = [
	['GET', '/_sandbox', 'this index: systems, their base URLs, seed, endpoints'],
	[
		'POST',
		'/_sandbox/reset',
		'reset every system (body {"system"?, "empty"?}): state re-seeded, budgets, faults, subscriptions, log cleared',
	],
	['POST', '/_sandbox/reset/:system', 'reset one system'],
	['POST', '/_sandbox/seed', 're-seed from {"seed", "skus", "locations", "options"?, "systems"?}'],
	['GET', '/_sandbox/catalog', 'the generated catalog'],
	['GET', '/_sandbox/state/:system', "a system's state snapshot"],
	['GET', '/_sandbox/requests', 'request log; ?system= &since=<seq> &sinceTime=<ms> &limit='],
	['DELETE', '/_sandbox/requests', 'clear the request log (?system=)'],
	['GET', '/_sandbox/faults/:system', 'fault configuration'],
	['PUT', '/_sandbox/faults/:system', 'replace the fault configuration (see FaultConfig)'],
	['DELETE', '/_sandbox/faults/:system', 'clear faults'],
	['GET', '/_sandbox/limits/:system', 'rate-limit policies with settings and current budgets'],
	['PATCH', '/_sandbox/limits/:system/:policy', 'change a policy: {"enabled"?, ...settings}'],
	['POST', '/_sandbox/limits/:system/reset', 'refill every budget of the system'],
	['GET', '/_sandbox/webhooks/:system/subscriptions', 'subscriptions'],
	['POST', '/_sandbox/webhooks/:system/subscriptions', 'subscribe {"topic", "address", "secret"?}'],
	['DELETE', '/_sandbox/webhooks/:system/subscriptions/:id', 'unsubscribe'],
	['POST', '/_sandbox/webhooks/:system/emit', 'emit {"topic", "payload", "eventId"?}'],
	['GET', '/_sandbox/webhooks/:system/config', 'delivery settings (retry schedule, timeout)'],
	[
		'PATCH',
		'/_sandbox/webhooks/:system/config',
		'change {"retryDelaysMs"?, "timeoutMs"?, "removeAfterFailures"?, "secret"?}',
	],
	['GET', '/_sandbox/webhooks/deliveries', 'delivery attempts; ?system= &since=<seq> &eventId='],
	['DELETE', '/_sandbox/webhooks/deliveries', 'clear delivery attempts (?system=)'],
];

function object(body: unknown, what: string): Record<string, unknown> {
	if (body === undefined) return {};
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new RangeError(`${what}: the body must be a JSON object`);
	return body as Record<string, unknown>;
}

function num(query: URLSearchParams, name: string): number | undefined {
	const v = query.get(name);
	if (v === null || v === '') return undefined;
	const n = Number(v);
	if (!Number.isFinite(n))
		throw new RangeError(`Query parameter "${name}" must be a number, got "${v}"`);
	return n;
}

/** Builds the control API dispatcher for one sandbox. */
export function controlApi(sandbox: Sandbox, currentSeed: () => SeedSpec | undefined) {
	const router = new Router<Handler>();
	const route = (method: string, path: string, handler: Handler) =>
		router.add(method, path, handler);

	route('GET', '/', () =>
		json(200, {
			systems: Object.fromEntries(sandbox.systemNames.map((n) => [n, sandbox.urlFor(n)])),
			seed: currentSeed() ?? null,
			endpoints: ENDPOINTS.map(([method, path, what]) => ({ method, path, what })),
		}),
	);
	route('POST', '/reset', ({ body }) => {
		const b = object(body, 'reset');
		if (b.system !== undefined && typeof b.system !== 'string')
			throw new RangeError('reset: "system" must be a system name');
		sandbox.reset(b.system as string | undefined, { empty: b.empty === true });
		return json(200, { reset: b.system ?? sandbox.systemNames });
	});
	route('POST', '/reset/:system', ({ params, body }) => {
		sandbox.reset(params.system, { empty: object(body, 'reset').empty === true });
		return json(200, { reset: [params.system] });
	});
	route('POST', '/seed', ({ body }) => {
		const b = object(body, 'seed');
		const { systems, ...spec } = b;
		if (
			systems !== undefined &&
			(!Array.isArray(systems) || systems.some((s) => typeof s !== 'string'))
		) {
			throw new RangeError('seed: "systems" must be a list of system names');
		}
		const catalog = sandbox.seed(spec as unknown as SeedSpec, systems as string[] | undefined);
		return json(200, {
			seeded: systems ?? sandbox.systemNames,
			spec: catalog.spec,
			locations: catalog.locations.length,
			skus: catalog.items.length,
		});
	});
	route('GET', '/catalog', () => json(200, sandbox.catalog() ?? null));
	route('GET', '/state/:system', ({ params }) => json(200, sandbox.state(params.system) ?? null));
	route('GET', '/requests', ({ query }) =>
		json(200, {
			entries: sandbox.requests({
				system: query.get('system') ?? undefined,
				sinceSeq: num(query, 'since'),
				sinceTime: num(query, 'sinceTime'),
				limit: num(query, 'limit'),
			}),
		}),
	);
	route('DELETE', '/requests', ({ query }) => {
		sandbox.clearRequests(query.get('system') ?? undefined);
		return json(200, { cleared: true });
	});
	route('GET', '/faults/:system', ({ params }) => json(200, sandbox.faults(params.system)));
	route('PUT', '/faults/:system', ({ params, body }) => {
		sandbox.setFaults(params.system, object(body, 'faults') as FaultConfig);
		return json(200, sandbox.faults(params.system));
	});
	route('DELETE', '/faults/:system', ({ params }) => {
		sandbox.clearFaults(params.system);
		return json(200, {});
	});
	route('GET', '/limits/:system', ({ params }) =>
		json(200, {
			policies: sandbox.limits(params.system).map((p) => p.describe(sandbox.clock.now())),
		}),
	);
	route('PATCH', '/limits/:system/:policy', ({ params, body }) => {
		sandbox.configureLimit(params.system, params.policy, object(body, 'limits'));
		const p = sandbox.limits(params.system).find((x) => x.name === params.policy);
		return json(200, p?.describe(sandbox.clock.now()));
	});
	route('POST', '/limits/:system/reset', ({ params }) => {
		for (const p of sandbox.limits(params.system)) p.reset();
		return json(200, { reset: true });
	});
	route('GET', '/webhooks/deliveries', ({ query }) =>
		json(200, {
			deliveries: sandbox.webhooks.deliveries({
				system: query.get('system') ?? undefined,
				sinceSeq: num(query, 'since'),
				eventId: query.get('eventId') ?? undefined,
			}),
		}),
	);
	route('DELETE', '/webhooks/deliveries', ({ query }) => {
		sandbox.webhooks.clearDeliveries(query.get('system') ?? undefined);
		return json(200, { cleared: true });
	});
	route('GET', '/webhooks/:system/subscriptions', ({ params }) => {
		sandbox.urlFor(params.system);
		return json(200, { subscriptions: sandbox.webhooks.list(params.system) });
	});
	route('POST', '/webhooks/:system/subscriptions', ({ params, body }) => {
		sandbox.urlFor(params.system);
		const b = object(body, 'subscribe');
		return json(
			201,
			sandbox.webhooks.subscribe(
				params.system,
				b as { topic: string; address: string; secret?: string },
			),
		);
	});
	route('DELETE', '/webhooks/:system/subscriptions/:id', ({ params }) =>
		sandbox.webhooks.unsubscribe(params.system, params.id)
			? json(200, { deleted: params.id })
			: json(404, { error: `No subscription "${params.id}" for ${params.system}` }),
	);
	route('POST', '/webhooks/:system/emit', ({ params, body }) => {
		sandbox.urlFor(params.system);
		const b = object(body, 'emit');
		if (typeof b.topic !== 'string' || b.topic === '')
			throw new RangeError('emit: "topic" is required');
		if (b.eventId !== undefined && typeof b.eventId !== 'string')
			throw new RangeError('emit: "eventId" must be a string');
		return json(
			202,
			sandbox.webhooks.emit(params.system, b.topic, b.payload ?? {}, {
				eventId: b.eventId as string | undefined,
			}),
		);
	});
	route('GET', '/webhooks/:system/config', ({ params }) => {
		sandbox.urlFor(params.system);
		return json(200, sandbox.webhooks.settings(params.system));
	});
	route('PATCH', '/webhooks/:system/config', ({ params, body }) => {
		sandbox.urlFor(params.system);
		sandbox.webhooks.configure(params.system, object(body, 'webhook config'));
		return json(200, sandbox.webhooks.settings(params.system));
	});

	return async (
		method: string,
		path: string,
		query: URLSearchParams,
		raw: Buffer,
	): Promise<SandboxResponse> => {
		const match = router.match(method, path);
		if (match.kind === 'notFound')
			return json(404, {
				error: `No control endpoint ${method} /_sandbox${path === '/' ? '' : path}; GET /_sandbox lists them`,
			});
		if (match.kind === 'methodNotAllowed')
			return json(405, { error: `Use ${match.allowed.join(' or ')} for /_sandbox${path}` });
		let body: unknown;
		if (raw.length > 0) {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				return json(400, { error: 'The body is not valid JSON' });
			}
		}
		try {
			return match.route.value({ params: match.params, query, body });
		} catch (error) {
			if (error instanceof RangeError)
				return json(error.name === 'UnknownSystemError' ? 404 : 400, { error: error.message });
			throw error;
		}
	};
}

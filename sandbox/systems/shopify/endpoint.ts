/**
 * `POST /admin/api/:version/graphql.json`: version and token checks, parse, validation against
 * the version's schema, the implemented-field check, cost (MAX_COST_EXCEEDED, THROTTLED),
 * execution, refund to actual cost, and Shopify-shaped errors. GraphQL-level failures are HTTP
 * 200 with `errors[]`, as Shopify answers them.
 */
import {
	GraphQLError,
	Kind,
	execute,
	getVariableValues,
	parse,
	print,
	validate,
	type DocumentNode,
	type OperationDefinitionNode,
} from 'graphql';
import type { Clock } from '../../../nodes/shared/core/resilience/clock';
import { json, type SandboxResponse } from '../../http';
import { shopifyMaxCostBody, shopifyThrottledBody } from '../../ratelimit/presets';
import type { CostBucketPolicy, ThrottleStatus } from '../../ratelimit/policies';
import type { SandboxRequest } from '../../types';
import { unsupportedFields } from './allowlist';
import type { ExecContext } from './context';
import { actualCost, fragmentsOf, requestedCost } from './cost';
import { mutationRoot } from './mutations';
import { isApiVersion, schemaFor, type ApiVersion } from './schema';
import type { ShopState } from './state';
import { queryRoot } from './views';

/** Name of the cost-bucket policy. */
export const COST_POLICY = 'cost';

interface ShopifyError {
	message: string;
	locations?: Array<{ line: number; column: number }>;
	path?: Array<string | number>;
	extensions?: Record<string, unknown>;
}

/** graphql-js wording → Shopify's (graphql-ruby) wording and codes, for the common cases. */
export function shopifyShaped(error: GraphQLError): ShopifyError {
	const base: ShopifyError = { message: error.message };
	if (error.locations) base.locations = error.locations.map((l) => ({ line: l.line, column: l.column }));
	if (error.path) base.path = [...error.path];
	let m: RegExpExecArray | null;
	const msg = error.message;
	if ((m = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(msg))) {
		return { ...base, message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] } };
	}
	if ((m = /^Unknown directive "@(\w+)"/.exec(msg))) {
		return { ...base, message: `Directive @${m[1]} is not defined`, extensions: { code: 'undefinedDirective', directiveName: m[1] } };
	}
	if ((m = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/.exec(msg))) {
		return { ...base, message: `Field '${m[2]}' doesn't accept argument '${m[1]}'`, extensions: { code: 'argumentNotAccepted', name: m[2], typeName: 'Field', argumentName: m[1] } };
	}
	if ((m = /^Field "(\w+)" is not defined by type "(\w+)"/.exec(msg))) {
		return { ...base, message: `InputObject '${m[2]}' doesn't accept argument '${m[1]}'`, extensions: { code: 'argumentNotAccepted', name: m[2], typeName: 'InputObject', argumentName: m[1] } };
	}
	return { ...base, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...(error.extensions ?? {}) } };
}

/** A variable coercion error in Shopify's INVALID_VARIABLE form. */
function variableError(error: GraphQLError, op: OperationDefinitionNode, variables: Record<string, unknown>): ShopifyError {
	const m = /^Variable "\$(\w+)" (?:got invalid value .*?(?: at "([^"]+)")?; (.*)|of required type "[^"]+" was not provided\.)$/s.exec(error.message);
	const name = m?.[1] ?? '?';
	const def = op.variableDefinitions?.find((d) => d.variable.name.value === name);
	const type = def ? print(def.type) : '?';
	const at = (m?.[2] ?? '')
		.split(/[.[\]]+/)
		.filter((p) => p !== '')
		.slice(1)
		.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
	let explanation = m?.[3] ?? 'Expected value to not be null';
	const field = /^Field "(\w+)" is not defined by type "(\w+)"/.exec(explanation);
	if (field) {
		at.push(field[1]);
		explanation = `Field is not defined on ${field[2]}`;
	}
	return {
		message: `Variable $${name} of type ${type} was provided invalid value${at.length ? ` for ${at.join('.')}` : ''} (${explanation})`,
		locations: error.locations?.map((l) => ({ line: l.line, column: l.column })),
		extensions: { code: 'INVALID_VARIABLE', value: variables[name] ?? null, problems: [{ path: at, explanation }] },
	};
}

function costBlock(requested: number, actual: number | null, status: ThrottleStatus): Record<string, unknown> {
	return { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status };
}

function respond(req: SandboxRequest, body: unknown, status = 200): SandboxResponse {
	return json(status, body, { 'x-request-id': req.requestId });
}

/** Everything the endpoint needs from the system instance. */
export interface EndpointDeps {
	state: ShopState;
	clock: Clock;
	/** The cost bucket (for its single-query limit). */
	policy: CostBucketPolicy;
}

/** Handles one GraphQL request. */
export function handleGraphql(deps: EndpointDeps, req: SandboxRequest): SandboxResponse {
	const version = req.params.version;
	if (!isApiVersion(version)) return respond(req, { errors: 'Not Found' }, 404);
	const token = req.headers['x-shopify-access-token'];
	if (token !== deps.state.accessToken) {
		return respond(req, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }, 401);
	}
	if (req.bodyError) return respond(req, { errors: `Invalid JSON in request body: ${req.bodyError}` }, 400);
	const body = req.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
	if (!body || typeof body.query !== 'string' || body.query.trim() === '') {
		return respond(req, { errors: { query: 'Required parameter missing or invalid' } }, 400);
	}
	const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
	const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
	const status = () => req.limits.status(COST_POLICY);
	const fail = (errors: ShopifyError[]) => respond(req, { errors, extensions: { cost: costBlock(0, 0, status()) } });

	const schema = schemaFor(version as ApiVersion);
	let document: DocumentNode;
	try {
		document = parse(body.query);
	} catch (error) {
		if (error instanceof GraphQLError) return fail([{ ...shopifyShaped(error), extensions: { code: 'PARSE_ERROR' } }]);
		throw error;
	}
	const invalid = validate(schema, document);
	if (invalid.length > 0) return fail(invalid.map(shopifyShaped));
	const unsupported = unsupportedFields(schema, document);
	if (unsupported.length > 0) return fail(unsupported.map((e) => ({ message: e.message, locations: e.locations?.map((l) => ({ ...l })), extensions: e.extensions })));

	const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
	const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
	if (!op) {
		return fail([{ message: operationName ? `No operation named "${operationName}"` : 'An operation name is required when the document has several operations', extensions: { code: 'BAD_REQUEST' } }]);
	}
	if (op.operation === 'subscription') return fail([{ message: 'Subscriptions are not supported over HTTP', extensions: { code: 'BAD_REQUEST' } }]);
	const coerced = getVariableValues(schema, op.variableDefinitions ?? [], variables, { maxErrors: 10 });
	if (coerced.errors) return fail(coerced.errors.map((e) => variableError(e, op, variables)));

	// Cost: charge the requested cost first, refund down to the actual cost after.
	const fragments = fragmentsOf(document.definitions);
	const requested = requestedCost(schema, op, fragments, coerced.coerced);
	const charge = req.limits.charge(COST_POLICY, requested);
	if (!charge.allowed) {
		if (charge.reason === 'tooExpensive') {
			const maxCost = Number(deps.policy.describe(req.now).config.maxQueryCost);
			const body = shopifyMaxCostBody(requested, maxCost) as { errors: unknown[] };
			return respond(req, { ...body, extensions: { cost: costBlock(requested, null, charge.throttleStatus) } });
		}
		return respond(req, shopifyThrottledBody(requested, charge.throttleStatus));
	}

	const ctx: ExecContext = {
		state: deps.state,
		version: version as ApiVersion,
		schema,
		now: req.now,
		clock: deps.clock,
		baseUrl: req.baseUrl,
		webhooks: req.webhooks,
		bulk: false,
		searchWarnings: [],
	};
	const rootValue = op.operation === 'mutation' ? mutationRoot(ctx) : queryRoot(ctx);
	const result = execute({ schema, document, rootValue, contextValue: ctx, variableValues: variables, operationName: op.name?.value });
	if (result instanceof Promise) throw new Error('Shopify sandbox resolvers must be synchronous');
	const actual = actualCost(schema, op, fragments, coerced.coerced, result.data as Record<string, unknown> | null | undefined);
	const after = req.limits.refund(COST_POLICY, requested, actual);
	const out: Record<string, unknown> = {};
	if (result.errors && result.errors.length > 0) {
		out.errors = result.errors.map((e) => {
			const shaped: ShopifyError = { message: e.message };
			if (e.locations) shaped.locations = e.locations.map((l) => ({ line: l.line, column: l.column }));
			if (e.path) shaped.path = [...e.path];
			shaped.extensions = { code: 'INTERNAL_SERVER_ERROR', ...(e.extensions ?? {}) };
			return shaped;
		});
	}
	out.data = result.data ?? null;
	const extensions: Record<string, unknown> = { cost: costBlock(requested, actual, after) };
	if (ctx.searchWarnings.length > 0) extensions.search = ctx.searchWarnings;
	out.extensions = extensions;
	return respond(req, out);
}

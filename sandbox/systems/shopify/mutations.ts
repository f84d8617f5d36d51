/**
 * Root `Mutation` fields, each wrapped with what Shopify applies to every mutation:
 *  - input arrays of at most 250 elements (MAX_INPUT_SIZE_EXCEEDED in `errors[]`);
 *  - `@idempotent(key:)` (2026-01+, reference/commerce-apis.md §1.5): a key seen before with the
 *    same arguments returns the first result without applying anything again; with different
 *    arguments it is an error; keys are kept for 24 h of sandbox time. From 2026-04 the
 *    directive is required on the inventory mutations (missing → error in `errors[]`).
 */
import { GraphQLError, getDirectiveValues, type GraphQLResolveInfo } from 'graphql';
import { bulkOperationRunQuery } from './bulk';
import { gid, parseGid, type ExecContext } from './context';
import { inventoryAdjustQuantities, inventorySetQuantities } from './inventory';
import { fulfillmentCreate } from './orders';
import { productSet, productVariantsBulkUpdate } from './products';
import { subscriptionNumber, subscriptionView, topicToDelivery } from './views';

type Args = Record<string, unknown>;

/** Input arrays longer than this are refused (https://shopify.dev/docs/api/usage/limits). */
export const MAX_INPUT_ARRAY = 250;

/** Mutations that need `@idempotent` from 2026-04. */
export const IDEMPOTENCY_REQUIRED = ['inventorySetQuantities', 'inventoryAdjustQuantities'];

/** Webhook topics this stand-in emits (others are refused at subscription time). */
export const EMITTED_TOPICS = [
	'INVENTORY_LEVELS_UPDATE', 'ORDERS_CREATE', 'ORDERS_UPDATED', 'ORDERS_PAID', 'ORDERS_FULFILLED', 'PRODUCTS_CREATE',
	'PRODUCTS_UPDATE', 'FULFILLMENTS_CREATE',
];

const REPLAY_TTL_MS = 24 * 3_600_000;

function tooLong(value: unknown, path: string[]): string[] | undefined {
	if (Array.isArray(value)) {
		if (value.length > MAX_INPUT_ARRAY) return path;
		for (const [i, v] of value.entries()) {
			const hit = tooLong(v, [...path, String(i)]);
			if (hit) return hit;
		}
	} else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			const hit = tooLong(v, [...path, k]);
			if (hit) return hit;
		}
	}
	return undefined;
}

function lengthAt(args: Args, path: string[]): number {
	let v: unknown = args;
	for (const p of path) v = (v as Record<string, unknown>)[p];
	return (v as unknown[]).length;
}

function idempotencyKey(ctx: ExecContext, info: GraphQLResolveInfo): string | undefined {
	const directive = ctx.schema.getDirective('idempotent');
	if (!directive) return undefined;
	const values = getDirectiveValues(directive, info.fieldNodes[0], info.variableValues);
	return values ? String(values.key) : undefined;
}

function wrap(ctx: ExecContext, name: string, run: (args: Args) => unknown) {
	return (args: Args, _c: unknown, info: GraphQLResolveInfo): unknown => {
		const long = tooLong(args, []);
		if (long) {
			throw new GraphQLError(`The input array size of ${lengthAt(args, long)} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`, {
				extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED', path: [name, ...long] },
			});
		}
		const key = idempotencyKey(ctx, info);
		if (key === undefined) {
			if (ctx.version >= '2026-04' && IDEMPOTENCY_REQUIRED.includes(name)) {
				throw new GraphQLError(
					`The @idempotent directive is required for ${name} from API version 2026-04: add @idempotent(key: "<unique key per intent>") to the mutation field.`,
					{ extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' } },
				);
			}
			return run(args);
		}
		if (key.trim() === '' || key.length > 255) {
			throw new GraphQLError('The idempotency key must be 1 to 255 characters (a UUID is a good choice).', { extensions: { code: 'BAD_REQUEST' } });
		}
		for (const [k, e] of ctx.state.replay) if (ctx.now - e.at > REPLAY_TTL_MS) ctx.state.replay.delete(k);
		const fingerprint = JSON.stringify([name, args]);
		const seen = ctx.state.replay.get(key);
		if (seen) {
			if (seen.fingerprint === fingerprint) return seen.result;
			throw new GraphQLError(`The idempotency key "${key}" was already used with different arguments; use a new key for a new intent.`, {
				extensions: { code: 'IDEMPOTENCY_CONCURRENT_REQUEST_OR_PARAMETER_MISMATCH' },
			});
		}
		const result = run(args);
		ctx.state.replay.set(key, { fingerprint, result, at: ctx.now });
		return result;
	};
}

function webhookSubscriptionCreate(ctx: ExecContext, args: Args): unknown {
	const topic = String(args.topic);
	const input = (args.webhookSubscription as Args) ?? {};
	const callbackUrl = input.callbackUrl as string | undefined;
	const fail = (field: string[], message: string) => ({ webhookSubscription: null, userErrors: [{ field, message }] });
	if (!EMITTED_TOPICS.includes(topic)) {
		return fail(['topic'], `The Shopify sandbox never emits ${topic}; topics it emits: ${EMITTED_TOPICS.join(', ')}`);
	}
	if (!callbackUrl) return fail(['webhookSubscription', 'callbackUrl'], "Address can't be blank");
	if (input.format !== undefined && input.format !== null && input.format !== 'JSON') {
		return fail(['webhookSubscription', 'format'], 'The sandbox delivers JSON only');
	}
	const delivery = topicToDelivery(topic);
	if (ctx.webhooks.list().some((s) => s.topic === delivery && s.address === callbackUrl)) {
		return fail(['webhookSubscription', 'callbackUrl'], 'Address for this topic has already been taken');
	}
	try {
		return { webhookSubscription: subscriptionView(ctx.webhooks.subscribe({ topic: delivery, address: callbackUrl })), userErrors: [] };
	} catch (error) {
		return fail(['webhookSubscription', 'callbackUrl'], error instanceof Error ? error.message : String(error));
	}
}

function webhookSubscriptionDelete(ctx: ExecContext, args: Args): unknown {
	const n = parseGid(args.id, 'WebhookSubscription');
	const sub = ctx.webhooks.list().find((s) => subscriptionNumber(s.id) === n);
	if (!sub || !ctx.webhooks.unsubscribe(sub.id)) {
		return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
	}
	return { deletedWebhookSubscriptionId: gid('WebhookSubscription', subscriptionNumber(sub.id)), userErrors: [] };
}

/** Root `Mutation` fields. */
export function mutationRoot(ctx: ExecContext): Record<string, unknown> {
	return {
		inventorySetQuantities: wrap(ctx, 'inventorySetQuantities', (a) => inventorySetQuantities(ctx, a.input as Args)),
		inventoryAdjustQuantities: wrap(ctx, 'inventoryAdjustQuantities', (a) => inventoryAdjustQuantities(ctx, a.input as Args)),
		productSet: wrap(ctx, 'productSet', (a) => productSet(ctx, a.input as Args)),
		productVariantsBulkUpdate: wrap(ctx, 'productVariantsBulkUpdate', (a) => productVariantsBulkUpdate(ctx, a)),
		fulfillmentCreate: wrap(ctx, 'fulfillmentCreate', (a) => fulfillmentCreate(ctx, a.fulfillment as Args)),
		bulkOperationRunQuery: wrap(ctx, 'bulkOperationRunQuery', (a) => bulkOperationRunQuery(ctx, String(a.query))),
		webhookSubscriptionCreate: wrap(ctx, 'webhookSubscriptionCreate', (a) => webhookSubscriptionCreate(ctx, a)),
		webhookSubscriptionDelete: wrap(ctx, 'webhookSubscriptionDelete', (a) => webhookSubscriptionDelete(ctx, a)),
	};
}

/**
 * Shopify's query cost, computed by walking the operation's AST (reference/commerce-apis.md §1.8;
 * https://shopify.dev/docs/api/usage/limits#cost-calculation). The rules, applied to requested
 * and actual cost alike:
 *  - scalar and enum fields (and `__typename`): 0;
 *  - an object (or interface/union) field: 1 + its children;
 *  - a connection (a type named `…Connection`): 2 + n × (cost of one node), where one node is
 *    1 + the children of `nodes { … }` or `edges { node { … } }` (the larger if both are asked);
 *    `pageInfo` and `cursor` are covered by the 2. Requested n = `first` (or `last`); actual n =
 *    the nodes returned, each costed on its own data;
 *  - a list of objects (e.g. `quantities(names: […])`, `nodes(ids: […])`): per element
 *    1 + children; requested elements = length of the `names` or `ids` argument (else `first`,
 *    else 1); actual = elements returned (null elements count 1);
 *  - a mutation's root field: 10 flat, whatever it selects.
 * Fragments count as if inlined. Requested cost reads variables for `first` and `names`.
 */
import {
	Kind,
	getNamedType,
	getNullableType,
	isLeafType,
	isListType,
	isObjectType,
	type FieldNode,
	type FragmentDefinitionNode,
	type GraphQLCompositeType,
	type GraphQLSchema,
	type OperationDefinitionNode,
	type SelectionSetNode,
	type ValueNode,
} from 'graphql';

/** Mutation root fields cost this much each. */
export const MUTATION_COST = 10;

interface Ctx {
	schema: GraphQLSchema;
	fragments: Record<string, FragmentDefinitionNode>;
	variables: Record<string, unknown>;
}

/** Fields of a selection set with fragments inlined (type conditions kept for their types). */
function fields(ctx: Ctx, set: SelectionSetNode, type: GraphQLCompositeType): Array<{ node: FieldNode; parent: GraphQLCompositeType }> {
	const out: Array<{ node: FieldNode; parent: GraphQLCompositeType }> = [];
	for (const sel of set.selections) {
		if (sel.kind === Kind.FIELD) out.push({ node: sel, parent: type });
		else if (sel.kind === Kind.INLINE_FRAGMENT) {
			const t = sel.typeCondition ? (ctx.schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : type;
			out.push(...fields(ctx, sel.selectionSet, t));
		} else {
			const frag = ctx.fragments[sel.name.value];
			if (frag) out.push(...fields(ctx, frag.selectionSet, ctx.schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType));
		}
	}
	return out;
}

function argValue(ctx: Ctx, node: FieldNode, name: string): unknown {
	const arg = node.arguments?.find((a) => a.name.value === name);
	return arg ? literal(ctx, arg.value) : undefined;
}

function literal(ctx: Ctx, value: ValueNode): unknown {
	switch (value.kind) {
		case Kind.VARIABLE:
			return ctx.variables[value.name.value];
		case Kind.INT:
			return Number.parseInt(value.value, 10);
		case Kind.LIST:
			return value.values.map((v) => literal(ctx, v));
		case Kind.STRING:
		case Kind.ENUM:
			return value.value;
		default:
			return undefined;
	}
}

function fieldType(parent: GraphQLCompositeType, name: string) {
	// Unions have no fields of their own; only `__typename`, which costs nothing.
	if (name.startsWith('__') || !('getFields' in parent)) return undefined;
	return parent.getFields()[name]?.type;
}

type Kindish = 'leaf' | 'connection' | 'list' | 'object';

function classify(parent: GraphQLCompositeType, node: FieldNode): { kind: Kindish; type?: GraphQLCompositeType } {
	const t = fieldType(parent, node.name.value);
	if (!t) return { kind: 'leaf' };
	const named = getNamedType(t);
	if (isLeafType(named)) return { kind: 'leaf' };
	const composite = named as GraphQLCompositeType;
	if (isObjectType(named) && named.name.endsWith('Connection')) return { kind: 'connection', type: composite };
	if (isListType(getNullableType(t))) return { kind: 'list', type: composite };
	return { kind: 'object', type: composite };
}

/** The node type and selection of a connection (`nodes` or `edges.node`), one per form asked. */
function nodeSelections(ctx: Ctx, node: FieldNode, type: GraphQLCompositeType): Array<{ set?: SelectionSetNode; type: GraphQLCompositeType; key: string; viaEdges: boolean }> {
	const out: Array<{ set?: SelectionSetNode; type: GraphQLCompositeType; key: string; viaEdges: boolean }> = [];
	if (!node.selectionSet) return out;
	for (const f of fields(ctx, node.selectionSet, type)) {
		const name = f.node.name.value;
		const c = classify(f.parent, f.node);
		if (name === 'nodes' && c.type) out.push({ set: f.node.selectionSet, type: c.type, key: responseKey(f.node), viaEdges: false });
		if (name === 'edges' && c.type && f.node.selectionSet) {
			for (const e of fields(ctx, f.node.selectionSet, c.type)) {
				if (e.node.name.value !== 'node') continue;
				const ec = classify(e.parent, e.node);
				if (ec.type) out.push({ set: e.node.selectionSet, type: ec.type, key: `${responseKey(f.node)}\u0000${responseKey(e.node)}`, viaEdges: true });
			}
		}
	}
	return out;
}

function responseKey(node: FieldNode): string {
	return node.alias?.value ?? node.name.value;
}

function requestedSet(ctx: Ctx, set: SelectionSetNode | undefined, type: GraphQLCompositeType): number {
	if (!set) return 0;
	let cost = 0;
	for (const f of fields(ctx, set, type)) cost += requestedField(ctx, f.node, f.parent);
	return cost;
}

function requestedField(ctx: Ctx, node: FieldNode, parent: GraphQLCompositeType): number {
	const c = classify(parent, node);
	if (c.kind === 'leaf' || !c.type) return 0;
	if (c.kind === 'connection') {
		const n = Number(argValue(ctx, node, 'first') ?? argValue(ctx, node, 'last') ?? 0) || 0;
		const per = Math.max(0, ...nodeSelections(ctx, node, c.type).map((s) => 1 + requestedSet(ctx, s.set, s.type)));
		return 2 + Math.max(0, n) * per;
	}
	const per = 1 + requestedSet(ctx, node.selectionSet, c.type);
	if (c.kind === 'list') {
		const names = argValue(ctx, node, 'names') ?? argValue(ctx, node, 'ids');
		const first = argValue(ctx, node, 'first');
		const count = Array.isArray(names) ? names.length : typeof first === 'number' ? first : 1;
		return count * per;
	}
	return per;
}

/** Fragment definitions of a document by name. */
export function fragmentsOf(definitions: readonly { kind: string }[]): Record<string, FragmentDefinitionNode> {
	const out: Record<string, FragmentDefinitionNode> = {};
	for (const d of definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out[(d as FragmentDefinitionNode).name.value] = d as FragmentDefinitionNode;
	return out;
}

function rootType(schema: GraphQLSchema, op: OperationDefinitionNode): GraphQLCompositeType {
	const t = op.operation === 'mutation' ? schema.getMutationType() : op.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
	if (!t) throw new Error(`The schema has no ${op.operation} type`);
	return t;
}

/** Cost Shopify charges before running the operation. */
export function requestedCost(
	schema: GraphQLSchema,
	op: OperationDefinitionNode,
	fragments: Record<string, FragmentDefinitionNode>,
	variables: Record<string, unknown>,
): number {
	const ctx: Ctx = { schema, fragments, variables };
	const root = rootType(schema, op);
	if (op.operation === 'mutation') return fields(ctx, op.selectionSet, root).filter((f) => !f.node.name.value.startsWith('__')).length * MUTATION_COST;
	return requestedSet(ctx, op.selectionSet, root);
}

/** Cost of what the operation actually returned (`data`), for the refund. */
export function actualCost(
	schema: GraphQLSchema,
	op: OperationDefinitionNode,
	fragments: Record<string, FragmentDefinitionNode>,
	variables: Record<string, unknown>,
	data: Record<string, unknown> | null | undefined,
): number {
	const ctx: Ctx = { schema, fragments, variables };
	const root = rootType(schema, op);
	if (op.operation === 'mutation') return requestedCost(schema, op, fragments, variables);
	return actualSet(ctx, op.selectionSet, root, data);
}

function actualSet(ctx: Ctx, set: SelectionSetNode | undefined, type: GraphQLCompositeType, data: unknown): number {
	if (!set || !data || typeof data !== 'object') return 0;
	const obj = data as Record<string, unknown>;
	let cost = 0;
	const seen = new Set<string>();
	for (const f of fields(ctx, set, type)) {
		const key = responseKey(f.node);
		// A key selected twice (e.g. in a fragment and directly) was resolved once.
		if (seen.has(key) || !(key in obj)) continue;
		seen.add(key);
		cost += actualField(ctx, f.node, f.parent, obj[key]);
	}
	return cost;
}

function actualField(ctx: Ctx, node: FieldNode, parent: GraphQLCompositeType, value: unknown): number {
	const c = classify(parent, node);
	if (c.kind === 'leaf' || !c.type) return 0;
	if (c.kind === 'connection') {
		if (!value || typeof value !== 'object') return 2;
		const conn = value as Record<string, unknown>;
		let best = 0;
		for (const s of nodeSelections(ctx, node, c.type)) {
			const [outer, inner] = s.key.split('\u0000');
			const list = conn[outer];
			if (!Array.isArray(list)) continue;
			const items = s.viaEdges ? list.map((e) => (e as Record<string, unknown> | null)?.[inner]) : list;
			best = Math.max(best, items.reduce<number>((n, item) => n + 1 + actualSet(ctx, s.set, s.type, item), 0));
		}
		return 2 + best;
	}
	if (c.kind === 'list') {
		if (!Array.isArray(value)) return 0;
		return value.reduce<number>((n, item) => n + 1 + actualSet(ctx, node.selectionSet, c.type as GraphQLCompositeType, item), 0);
	}
	return 1 + actualSet(ctx, node.selectionSet, c.type, value);
}

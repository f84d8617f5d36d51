/**
 * Bulk query operations (reference/commerce-apis.md §1.7): `bulkOperationRunQuery` validates the
 * inner query (≥1 and ≤5 connections, connection nesting ≤2, only implemented fields), snapshots
 * the result as JSONL at once, and reveals it on the sandbox clock: CREATED → RUNNING →
 * COMPLETED after `bulkStartMs` + `bulkDurationMs`. Nested connection rows carry `__parentId`;
 * the file is served at `<base>/bulk/<id>.jsonl` without auth, like a signed storage URL.
 */
import { GraphQLError, Kind, TypeInfo, execute, getNamedType, parse, validate, visit, visitWithTypeInfo, type DocumentNode } from 'graphql';
import { unsupportedFields } from './allowlist';
import { gid, type ExecContext } from './context';
import { hasChangeFrom } from './schema';
import { nextId, type BulkOperationRecord } from './state';
import { bulkStatus, bulkView, queryRoot } from './views';

interface UserError {
	code: string;
	field: string[];
	message: string;
}

/** Bulk queries allowed to run at once per shop: 1 before 2026-01, 5 from 2026-01 (§1.7). */
export function bulkConcurrency(ctx: ExecContext): number {
	return hasChangeFrom(ctx.version) ? 5 : 1;
}

function invalid(message: string): { bulkOperation: null; userErrors: UserError[] } {
	return { bulkOperation: null, userErrors: [{ code: 'INVALID', field: ['query'], message }] };
}

/** Connection count and deepest nesting of connections in a document. */
function connectionShape(ctx: ExecContext, doc: DocumentNode): { count: number; depth: number } {
	const typeInfo = new TypeInfo(ctx.schema);
	let count = 0;
	let depth = 0;
	let open = 0;
	const stack: boolean[] = [];
	visit(
		doc,
		visitWithTypeInfo(typeInfo, {
			Field: {
				enter() {
					const def = typeInfo.getFieldDef();
					const isConn = !!def && getNamedType(def.type).name.endsWith('Connection');
					stack.push(isConn);
					if (isConn) {
						count++;
						open++;
						depth = Math.max(depth, open);
					}
				},
				leave() {
					if (stack.pop()) open--;
				},
			},
		}),
	);
	return { count, depth };
}

function isConnection(value: unknown): value is { edges?: Array<{ node?: unknown }>; nodes?: unknown[] } {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
	const keys = Object.keys(value);
	return keys.length > 0 && keys.every((k) => k === 'edges' || k === 'nodes' || k === 'pageInfo') && (Array.isArray((value as Record<string, unknown>).edges) || Array.isArray((value as Record<string, unknown>).nodes));
}

function nodesOf(conn: { edges?: Array<{ node?: unknown }>; nodes?: unknown[] }): Array<Record<string, unknown>> {
	const list = conn.nodes ?? (conn.edges ?? []).map((e) => e.node);
	return list.filter((n): n is Record<string, unknown> => !!n && typeof n === 'object');
}

/** Flattens a result into JSONL rows: nested connection nodes become rows with `__parentId`. */
export function flatten(data: Record<string, unknown>): { rows: Array<Record<string, unknown>>; roots: number } {
	const rows: Array<Record<string, unknown>> = [];
	let roots = 0;
	const emit = (node: Record<string, unknown>, parentId: unknown) => {
		const row: Record<string, unknown> = {};
		const children: Array<Record<string, unknown>> = [];
		for (const [k, v] of Object.entries(node)) {
			if (isConnection(v)) children.push(...nodesOf(v));
			else row[k] = v;
		}
		if (parentId !== undefined) row.__parentId = parentId;
		rows.push(row);
		for (const child of children) emit(child, node.id);
	};
	for (const value of Object.values(data)) {
		if (!isConnection(value)) continue;
		for (const node of nodesOf(value)) {
			roots++;
			emit(node, undefined);
		}
	}
	return { rows, roots };
}

/** `bulkOperationRunQuery(query:)`. */
export function bulkOperationRunQuery(ctx: ExecContext, query: string): unknown {
	let doc: DocumentNode;
	try {
		doc = parse(query);
	} catch (error) {
		return invalid(`Invalid bulk query: ${error instanceof GraphQLError ? error.message : String(error)}`);
	}
	const problems = [...validate(ctx.schema, doc), ...unsupportedFields(ctx.schema, doc)];
	if (problems.length > 0) return invalid(`Invalid bulk query: ${problems.map((p) => p.message).join(' ')}`);
	const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
	if (ops.length !== 1 || ops[0].kind !== Kind.OPERATION_DEFINITION || ops[0].operation !== 'query') {
		return invalid('Bulk operations run exactly one query (no mutations, no several operations).');
	}
	if (ops[0].variableDefinitions && ops[0].variableDefinitions.length > 0) return invalid('Bulk queries cannot use variables.');
	const shape = connectionShape(ctx, doc);
	if (shape.count === 0) return invalid('Bulk queries must contain at least one connection.');
	if (shape.count > 5) return invalid(`Bulk queries cannot contain more than 5 connections (this one has ${shape.count}).`);
	if (shape.depth > 2) return invalid('Bulk queries cannot contain connections with a nesting depth greater than 2.');

	const running = [...ctx.state.bulkOperations.values()].filter((op) => bulkStatus(op, ctx.now) !== 'COMPLETED');
	const limit = bulkConcurrency(ctx);
	if (running.length >= limit) {
		return {
			bulkOperation: null,
			userErrors: [
				{
					code: 'OPERATION_IN_PROGRESS',
					field: ['query'],
					message: `A bulk query operation for this app and shop is already in progress: ${gid('BulkOperation', running[0].id)}.` +
						(limit > 1 ? ` At most ${limit} may run at once.` : ''),
				},
			],
		};
	}

	const bulkCtx: ExecContext = { ...ctx, bulk: true, searchWarnings: [] };
	const result = execute({ schema: ctx.schema, document: doc, rootValue: queryRoot(bulkCtx), contextValue: bulkCtx });
	if (result instanceof Promise) throw new Error('bulk execution must be synchronous');
	if (result.errors && result.errors.length > 0) return invalid(`Bulk query failed: ${result.errors.map((e) => e.message).join(' ')}`);
	const { rows, roots } = flatten((result.data ?? {}) as Record<string, unknown>);
	const op: BulkOperationRecord = {
		id: nextId(ctx.state, 'bulk'),
		query,
		createdAt: ctx.now,
		runningAt: ctx.now + ctx.state.bulkStartMs,
		completedAt: ctx.now + ctx.state.bulkStartMs + ctx.state.bulkDurationMs,
		jsonl: rows.map((r) => `${JSON.stringify(r)}\n`).join(''),
		objectCount: rows.length,
		rootObjectCount: roots,
	};
	ctx.state.bulkOperations.set(op.id, op);
	return { bulkOperation: bulkView(ctx, op), userErrors: [] };
}

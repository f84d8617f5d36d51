/**
 * Relay-style GraphQL cursors (Shopify Admin): the query takes `$first`/`$after` variables and
 * the connection answers `pageInfo { hasNextPage endCursor }` plus `nodes[]` or `edges[].node`.
 * Shopify caps `first` at 250 and deep paging at 25,000 objects; the profile picks the size.
 */
import { paginationConfigError, paginationError } from './errors';
import { describeType, readPath } from './items';
import type { PageRequest, PageResponse, PageStep, PaginationStrategy, StepContext } from './types';

/** How to page one GraphQL connection. */
export interface GraphqlCursorOptions<T> {
	/** Dot path of the connection in the response, e.g. `data.products`. */
	connection: string;
	/** Dot path of `pageInfo`; defaults to `<connection>.pageInfo`. */
	pageInfo?: string;
	/**
	 * Where the items are inside the connection: `nodes[]`, `edges[].node`, or `auto` (default),
	 * which takes `nodes` when the query selected it and `edges` otherwise.
	 */
	shape?: 'auto' | 'nodes' | 'edges';
	/** Turns one node into what the walk yields; identity when absent. */
	map?: (node: unknown, index: number) => T;
	/**
	 * Page size sent as the `first` variable (shrunk to the remaining limit); absent leaves it to the
	 * query.
	 */
	pageSize?: number;
	/** Name of the cursor variable (default `after`). */
	afterVariable?: string;
	/** Name of the page-size variable (default `first`). */
	firstVariable?: string;
}

const NAME = 'graphqlCursor';

/**
 * GraphQL cursor paging. The base request's body must be `{ query, variables? }`; the query must
 * declare the cursor and size variables (`query($first: Int!, $after: String) { products(first:
 * $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`).
 */
export function graphqlCursor<T = unknown>(
	options: GraphqlCursorOptions<T>,
): PaginationStrategy<T> {
	const after = options.afterVariable ?? 'after';
	const first = options.firstVariable ?? 'first';
	const pageInfoPath = options.pageInfo ?? `${options.connection}.pageInfo`;
	const shape = options.shape ?? 'auto';
	return {
		name: NAME,
		start(base, context) {
			const { system } = context;
			const body = graphqlBody(base, system);
			const withSize = (
				request: PageRequest,
				variables: Record<string, unknown>,
				remaining: number | undefined,
			): PageRequest => {
				const vars = { ...variables };
				if (options.pageSize !== undefined) {
					vars[first] = Math.min(options.pageSize, remaining ?? Number.POSITIVE_INFINITY);
				}
				return { ...request, body: { ...(request.body as object), variables: vars } };
			};
			return {
				first: withSize(base, body.variables ?? {}, context.limit),
				items(response: PageResponse): T[] {
					const connection = readConnection(response, options.connection, system);
					const raw = connectionNodes(connection, shape, options.connection, system);
					const map = options.map;
					return map ? raw.map((node, index) => map(node, index)) : (raw as T[]);
				},
				next(response: PageResponse, _items, step: StepContext): PageStep {
					const info = readPath(response.body, pageInfoPath);
					const hasNext = (info as { hasNextPage?: unknown } | undefined)?.hasNextPage;
					if (info === null || typeof info !== 'object' || typeof hasNext !== 'boolean') {
						throw paginationError(
							system,
							'PAGINATION_BAD_RESPONSE',
							`GraphQL paging found no pageInfo.hasNextPage at "${pageInfoPath}"`,
							'Select pageInfo { hasNextPage endCursor } on the connection in the query.',
						);
					}
					if (!hasNext) return { kind: 'done' };
					const cursor = (info as { endCursor?: unknown }).endCursor;
					if (typeof cursor !== 'string' || cursor === '') {
						throw paginationError(
							system,
							'PAGINATION_BAD_RESPONSE',
							`GraphQL paging: hasNextPage is true at "${pageInfoPath}" but endCursor is ${typeof cursor === 'string' ? 'empty' : describeType(cursor)}`,
							'Select endCursor in pageInfo.',
						);
					}
					const variables = (step.request.body as { variables?: Record<string, unknown> })
						.variables;
					return {
						kind: 'next',
						request: withSize(step.request, { ...variables, [after]: cursor }, step.remaining),
						token: cursor,
					};
				},
			};
		},
	};
}

function graphqlBody(
	base: PageRequest,
	system: string,
): { query: string; variables?: Record<string, unknown> } {
	const body = base.body as { query?: unknown; variables?: unknown } | undefined;
	const variables = body?.variables;
	if (
		body === null ||
		typeof body !== 'object' ||
		typeof body.query !== 'string' ||
		(variables !== undefined &&
			(variables === null || typeof variables !== 'object' || Array.isArray(variables)))
	) {
		throw paginationConfigError(
			system,
			'GraphQL cursor paging needs a request body { query: string, variables?: object }',
			'Build the body as an object with the query text and its variables.',
		);
	}
	return body as { query: string; variables?: Record<string, unknown> };
}

function readConnection(
	response: PageResponse,
	path: string,
	system: string,
): Record<string, unknown> {
	const connection = readPath(response.body, path);
	if (connection !== null && typeof connection === 'object' && !Array.isArray(connection)) {
		return connection as Record<string, unknown>;
	}
	const errors = (response.body as { errors?: unknown } | null)?.errors;
	const first = Array.isArray(errors)
		? (errors[0] as { message?: unknown } | undefined)?.message
		: undefined;
	throw paginationError(
		system,
		'PAGINATION_BAD_RESPONSE',
		`GraphQL paging found no connection object at "${path}" (got ${describeType(connection)})` +
			(typeof first === 'string' ? `; the response has errors: ${first.slice(0, 200)}` : ''),
		'Check the connection path against the query, and the query against the API version.',
	);
}

function connectionNodes(
	connection: Record<string, unknown>,
	shape: 'auto' | 'nodes' | 'edges',
	path: string,
	system: string,
): unknown[] {
	const nodes = connection.nodes;
	if (shape === 'nodes' || (shape === 'auto' && Array.isArray(nodes))) {
		if (!Array.isArray(nodes)) throw missingList(system, `${path}.nodes`, nodes);
		return nodes;
	}
	const edges = connection.edges;
	if (!Array.isArray(edges)) throw missingList(system, `${path}.edges`, edges);
	return edges.map((edge, index) => {
		const node = (edge as { node?: unknown } | null)?.node;
		if (node === undefined) {
			throw paginationError(
				system,
				'PAGINATION_BAD_RESPONSE',
				`GraphQL paging: edge ${index} at "${path}.edges" has no node`,
				'Select edges { node { ... } } in the query, or select nodes { ... } instead.',
			);
		}
		return node;
	});
}

function missingList(system: string, path: string, found: unknown) {
	return paginationError(
		system,
		'PAGINATION_BAD_RESPONSE',
		`GraphQL paging expected an array at "${path}" but found ${describeType(found)}`,
		'Select nodes { ... } or edges { node { ... } } on the connection.',
	);
}

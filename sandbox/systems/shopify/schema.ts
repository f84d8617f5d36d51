/**
 * The Admin GraphQL schema per API version, built once per process from the real 2025-01
 * introspection (../shared/specs/shopify/admin_schema_2025-01.json.gz, or
 * `$COMMERCE_SYNC_SPECS_DIR/shopify/...`) and adjusted for the documented differences
 * (reference/commerce-apis.md §1.3, §1.5):
 *  - 2025-10: the 2025-01 schema as published (no `changeFromQuantity`, no `@idempotent`);
 *  - 2026-01: plus `directive @idempotent(key: String!) on FIELD` and `changeFromQuantity: Int`
 *    on `InventoryQuantityInput` and `InventoryChangeInput`, and the userError codes that go with
 *    it (`CHANGE_FROM_QUANTITY_STALE`; `CHANGE_FROM_QUANTITY_REQUIRED` is this sandbox's name for
 *    the documented 2026-04 "key omitted" error, whose real code is not published);
 *  - 2026-04: as 2026-01 without `compareQuantity` / `ignoreCompareQuantity`.
 * Building takes about half a second per version, so each is built on first use and cached.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, extendSchema, parse, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

/** API versions the stand-in serves; any other version in the URL answers 404 as Shopify does. */
export const API_VERSIONS = ['2025-10', '2026-01', '2026-04'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export function isApiVersion(v: string): v is ApiVersion {
	return (API_VERSIONS as readonly string[]).includes(v);
}

/** `changeFromQuantity` and `@idempotent` exist (2026-01+). */
export function hasChangeFrom(v: ApiVersion): boolean {
	return v >= '2026-01';
}

/** `compareQuantity` / `ignoreCompareQuantity` were removed (2026-04+). */
export function compareRemoved(v: ApiVersion): boolean {
	return v >= '2026-04';
}

const ADDITIONS_2026_01 = `
	directive @idempotent(key: String!) on FIELD
	extend input InventoryQuantityInput { changeFromQuantity: Int }
	extend input InventoryChangeInput { changeFromQuantity: Int }
	extend enum InventorySetQuantitiesUserErrorCode { CHANGE_FROM_QUANTITY_STALE CHANGE_FROM_QUANTITY_REQUIRED }
	extend enum InventoryAdjustQuantitiesUserErrorCode { CHANGE_FROM_QUANTITY_STALE }
`;

/** Where the vendor specs live: `$COMMERCE_SYNC_SPECS_DIR`, else `<repo>/../shared/specs`. */
export function specsDir(): string {
	return process.env.COMMERCE_SYNC_SPECS_DIR ?? resolve(__dirname, '../../..', '../shared/specs');
}

let introspection: IntrospectionQuery | undefined;
const schemas = new Map<ApiVersion, GraphQLSchema>();

function loadIntrospection(): IntrospectionQuery {
	if (introspection) return introspection;
	const file = join(specsDir(), 'shopify/admin_schema_2025-01.json.gz');
	let raw: Buffer;
	try {
		raw = readFileSync(file);
	} catch (error) {
		throw new Error(
			`Shopify sandbox: cannot read the Admin GraphQL introspection at ${file} (${error instanceof Error ? error.message : String(error)}); ` +
				'set COMMERCE_SYNC_SPECS_DIR to the folder that holds shopify/admin_schema_2025-01.json.gz',
		);
	}
	const parsed = JSON.parse(gunzipSync(raw).toString('utf8')) as { data?: IntrospectionQuery } & IntrospectionQuery;
	introspection = parsed.data ?? parsed;
	return introspection;
}

/** The introspection with some input fields removed (2026-04), sharing everything else. */
function withoutInputFields(base: IntrospectionQuery, drop: Record<string, string[]>): IntrospectionQuery {
	return {
		...base,
		__schema: {
			...base.__schema,
			types: base.__schema.types.map((t) => {
				const fields = drop[t.name];
				if (!fields || t.kind !== 'INPUT_OBJECT') return t;
				return { ...t, inputFields: t.inputFields.filter((f) => !fields.includes(f.name)) };
			}),
		},
	};
}

/** The schema of one API version (built on first use, then cached for the process). */
export function schemaFor(version: ApiVersion): GraphQLSchema {
	const cached = schemas.get(version);
	if (cached) return cached;
	const base = loadIntrospection();
	let schema: GraphQLSchema;
	if (version === '2025-10') schema = buildClientSchema(base);
	else if (version === '2026-01') schema = extendSchema(buildClientSchema(base), parse(ADDITIONS_2026_01));
	else {
		const trimmed = withoutInputFields(base, {
			InventoryQuantityInput: ['compareQuantity'],
			InventorySetQuantitiesInput: ['ignoreCompareQuantity'],
		});
		schema = extendSchema(buildClientSchema(trimmed), parse(ADDITIONS_2026_01));
	}
	schemas.set(version, schema);
	return schema;
}

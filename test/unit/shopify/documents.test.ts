/**
 * Validates every GraphQL document the Shopify node can send against the real Admin schema
 * (2025-01 introspection from ../shared/specs), extended only by the documented 2026 additions:
 * `changeFromQuantity` on the quantity/change inputs and the `@idempotent(key:)` directive.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { buildClientSchema, extendSchema, parse, validate, type GraphQLSchema } from 'graphql';

import { ALL_DOCUMENTS, BULK_EXPORTS } from '../../../nodes/Shopify/graphql/documents';

const SPECS = process.env.COMMERCE_SYNC_SPECS_DIR ?? join(__dirname, '../../../../shared/specs');

let schema: GraphQLSchema;

beforeAll(() => {
	const introspection = JSON.parse(
		gunzipSync(readFileSync(join(SPECS, 'shopify/admin_schema_2025-01.json.gz'))).toString('utf8'),
	) as { data: Parameters<typeof buildClientSchema>[0] };
	const base = buildClientSchema(introspection.data);
	schema = extendSchema(
		base,
		parse(`
			directive @idempotent(key: String!) on FIELD
			extend input InventoryQuantityInput { changeFromQuantity: Int }
			extend input InventoryChangeInput { changeFromQuantity: Int }
		`),
	);
});

describe('Shopify GraphQL documents', () => {
	it.each(Object.entries(ALL_DOCUMENTS))('%s is valid against the Admin schema', (_name, document) => {
		const errors = validate(schema, parse(document));
		expect(errors.map((e) => e.message)).toEqual([]);
	});

	it.each(Object.entries(BULK_EXPORTS))('bulk export "%s" is a valid query', (_name, document) => {
		expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
	});

	it('catches a document that uses a field the schema lacks (the check is real)', () => {
		const errors = validate(schema, parse('query { shop { name notAField } }'));
		expect(errors.length).toBeGreaterThan(0);
	});

	it('the 2025-01 schema alone rejects the 2026 additions we rely on', () => {
		const introspection = JSON.parse(
			gunzipSync(readFileSync(join(SPECS, 'shopify/admin_schema_2025-01.json.gz'))).toString('utf8'),
		) as { data: Parameters<typeof buildClientSchema>[0] };
		const base = buildClientSchema(introspection.data);
		expect(validate(base, parse(ALL_DOCUMENTS.INVENTORY_SET_QUANTITIES_IDEMPOTENT)).length).toBeGreaterThan(0);
	});
});

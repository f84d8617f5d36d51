import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadSpecFile, specsDir } from '../../sandbox/spec/load';
import { SpecValidator, SpecViolation } from '../../sandbox/spec/validate';

describe('spec conformance helper', () => {
	const shipbob = SpecValidator.load('shipbob/openapi-2026-01.json');

	it('finds the shared specs beside the repository, or where COMMERCE_SYNC_SPECS_DIR says', () => {
		expect(specsDir({})).toMatch(/shared[/\\]specs$/);
		expect(specsDir({ COMMERCE_SYNC_SPECS_DIR: '/tmp/specs' })).toBe('/tmp/specs');
		expect(() => loadSpecFile('nope/missing.json')).toThrow(
			/Spec file not found: .*missing\.json.*COMMERCE_SYNC_SPECS_DIR/,
		);
	});

	it('ShipBob 2026-01: a hand-written inventory-levels page conforms', () => {
		const page = {
			first: null,
			prev: null,
			next: 'https://api.shipbob.com/2026-01/inventory-level?Cursor=abc',
			last: null,
			items: [
				{
					inventory_id: 1234,
					name: 'Classic Black Tee (M)',
					sku: 'TEE-BLA-M-00001',
					total_on_hand_quantity: 40,
					total_committed_quantity: 5,
					total_fulfillable_quantity: 35,
					total_sellable_quantity: 47,
					total_awaiting_quantity: 12,
					total_backordered_quantity: 0,
					total_exception_quantity: 1,
					total_internal_transfer_quantity: 0,
				},
				{ inventory_id: 99, name: null, sku: null, total_on_hand_quantity: 0 },
			],
		};
		expect(shipbob.validateResponse('GET', '/2026-01/inventory-level', 200, page)).toEqual({
			valid: true,
			errors: [],
			operation: 'GET /2026-01/inventory-level',
			schemaFound: true,
		});
		expect(() =>
			shipbob.assertResponse('GET', '/2026-01/inventory-level?PageSize=50', 200, page),
		).not.toThrow();
	});

	it('ShipBob 2026-01: a non-conforming page is refused with every problem named', () => {
		const bad = {
			items: [{ inventory_id: '1234', sku: 42, total_on_hand_quantity: 1.5, onHand: 3 }],
			next: 7,
		};
		const result = shipbob.validateResponse('GET', '/2026-01/inventory-level', 200, bad);
		expect(result.valid).toBe(false);
		expect(result.errors).toEqual(
			expect.arrayContaining([
				'/items/0/inventory_id must be integer',
				'/items/0/sku must be string',
				'/items/0/total_on_hand_quantity must be integer',
				'/items/0 has unexpected property "onHand"',
				'/next must be string',
			]),
		);
		expect(() => shipbob.assertResponse('GET', '/2026-01/inventory-level', 200, bad)).toThrow(
			SpecViolation,
		);
		expect(() => shipbob.assertResponse('GET', '/2026-01/inventory-level', 200, bad)).toThrow(
			'does not match the spec for GET /2026-01/inventory-level',
		);
	});

	it('matches concrete paths to templates and reports undocumented statuses and operations', () => {
		expect(
			shipbob.validateResponse('GET', '/2026-01/inventory-level/123', 200, {
				inventory_id: 123,
				sku: 'A',
			}).operation,
		).toBe('GET /2026-01/inventory-level/{inventoryId}');
		const undocumented = shipbob.validateResponse('GET', '/2026-01/inventory-level', 418, {});
		expect(undocumented.valid).toBe(false);
		expect(undocumented.errors[0]).toContain('status 418 is not documented');
		expect(() => shipbob.validateResponse('GET', '/2026-01/inventory-levels-x', 200, {})).toThrow(
			'has no operation GET /2026-01/inventory-levels-x',
		);
	});

	it('eBay (OAS 3): strips the server base path, validates responses and request bodies', () => {
		const ebay = SpecValidator.load('ebay/sell_inventory_v1_oas3.json');
		expect(ebay.basePath).toBe('/sell/inventory/v1');
		const item = {
			sku: 'TEE-1',
			locale: 'en_US',
			availability: { shipToLocationAvailability: { quantity: 12 } },
			product: { title: 'Tee' },
			condition: 'NEW',
		};
		expect(
			ebay.validateResponse('GET', '/sell/inventory/v1/inventory_item/TEE-1', 200, item).valid,
		).toBe(true);
		const wrong = ebay.validateResponse('GET', '/inventory_item/TEE-1', 200, {
			...item,
			availability: { shipToLocationAvailability: { quantity: '12' } },
		});
		expect(wrong.errors).toEqual([
			'/availability/shipToLocationAvailability/quantity must be integer',
		]);
		expect(
			ebay.validateRequest('POST', '/bulk_update_price_quantity', {
				requests: [{ sku: 'A', shipToLocationAvailability: { quantity: 3 } }],
			}).valid,
		).toBe(true);
		expect(
			ebay.validateRequest('POST', '/bulk_update_price_quantity', { requests: 'A' }).errors,
		).toEqual(['/requests must be array']);
	});

	it('Swagger 2 (gzipped Akeneo): x-nullable, body parameters and $ref responses', () => {
		const dir = mkdtempSync(join(tmpdir(), 'specs-'));
		const doc = {
			swagger: '2.0',
			basePath: '/api/rest/v1',
			paths: {
				'/products/{code}': {
					patch: {
						parameters: [{ $ref: '#/parameters/body' }],
						responses: {
							'200': { $ref: '#/responses/Product' },
							'204': { description: 'no content' },
						},
					},
				},
			},
			parameters: { body: { name: 'body', in: 'body', schema: { $ref: '#/definitions/Product' } } },
			responses: { Product: { description: 'ok', schema: { $ref: '#/definitions/Product' } } },
			definitions: {
				Product: {
					type: 'object',
					required: ['identifier'],
					properties: {
						identifier: { type: 'string' },
						family: { type: 'string', 'x-nullable': true },
						weight: { type: 'number', minimum: 0, exclusiveMinimum: true },
					},
				},
			},
		};
		writeFileSync(join(dir, 'mini.json.gz'), gzipSync(JSON.stringify(doc)));
		const v = new SpecValidator(
			loadSpecFile('mini.json.gz', { COMMERCE_SYNC_SPECS_DIR: dir }),
			'mini',
		);
		expect(v.kind).toBe('swagger2');
		expect(
			v.validateResponse('PATCH', '/api/rest/v1/products/A', 200, { identifier: 'A', family: null })
				.valid,
		).toBe(true);
		expect(v.validateResponse('PATCH', '/products/A', 200, { family: 3 }).errors).toEqual([
			'(root) lacks required property "identifier"',
			'/family must be string',
		]);
		expect(
			v.validateResponse('PATCH', '/products/A', 200, { identifier: 'A', weight: 0 }).errors,
		).toEqual(['/weight must be > 0']);
		expect(v.validateResponse('PATCH', '/products/A', 204, undefined)).toMatchObject({
			valid: true,
			schemaFound: false,
		});
		expect(v.validateRequest('PATCH', '/products/A', { identifier: 7 }).errors).toEqual([
			'/identifier must be string',
		]);

		const akeneo = SpecValidator.load('akeneo/akeneo-web-api.json.gz');
		expect(akeneo.kind).toBe('swagger2');
	});
});

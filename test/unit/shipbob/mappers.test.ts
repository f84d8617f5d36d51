import { isDuplicateReference, shipBobErrorMessage } from '../../../nodes/ShipBob/mappers/errors';
import {
	orderBody,
	orderFromShipBob,
	productFromShipBob,
	stockRowsFromInventoryLevel,
} from '../../../nodes/ShipBob/mappers';
import { reconcile } from '../../../nodes/shared/core/reconcile';
import { shipBobBaseUrl, shipBobProfile, shipBobRateLimit } from '../../../nodes/ShipBob/transport';

const creds = {
	accessToken: 't',
	apiVersion: '2026-01',
	environment: 'production',
	channelId: '',
	baseUrl: '',
};

describe('ShipBob mappers', () => {
	it('turns inventory per fulfilment centre into one stock row per centre', () => {
		const rows = stockRowsFromInventoryLevel(
			{
				inventory_id: 101,
				sku: 'TEE-1',
				name: 'Tee',
				locations: [
					{
						location_id: 7,
						name: 'Cicero (IL)',
						on_hand_quantity: 10,
						committed_quantity: 3,
						fulfillable_quantity: 7,
						awaiting_quantity: 5,
						internal_transfer_quantity: 1,
					},
					{
						location_id: 8,
						on_hand_quantity: 0,
						committed_quantity: 0,
						fulfillable_quantity: 0,
						awaiting_quantity: 0,
					},
				],
			},
			'2026-01-15T00:00:00.000Z',
		);
		expect(rows).toHaveLength(2);
		expect(rows[0]).toEqual({
			sku: 'TEE-1',
			locationId: '7',
			locationName: 'Cicero (IL)',
			quantities: { onHand: 10, available: 7, committed: 3, reserved: 0, incoming: 5 },
			internalTransfer: 1,
			source: 'shipbob',
			asOf: '2026-01-15T00:00:00.000Z',
			inventoryId: '101',
			name: 'Tee',
		});
		expect(
			stockRowsFromInventoryLevel(
				{ inventory_id: 1, sku: null, locations: [{ location_id: 1 }] },
				'x',
			),
		).toEqual([]);
	});

	it('passes a negative level on instead of failing the whole read, and the reconcile names it', () => {
		// Found by the stock bad-input sweep: one centre counted below zero made every ShipBob poll
		// of the real-time template fail, so no other SKU's change reached the channels.
		const read = () =>
			stockRowsFromInventoryLevel(
				{
					inventory_id: 101,
					sku: 'TEE-1',
					locations: [
						{ location_id: 7, on_hand_quantity: -4, committed_quantity: 0, fulfillable_quantity: -4 },
						{ location_id: 8, on_hand_quantity: 6, committed_quantity: 1, fulfillable_quantity: 5 },
					],
				},
				'2026-01-15T00:00:00.000Z',
			);
		expect(read).not.toThrow();
		const rows = read();
		expect(rows.map((r) => [r.locationId, r.quantities.onHand, r.quantities.available])).toEqual([
			['7', -4, -4],
			['8', 6, 5],
		]);
		const plan = reconcile(
			rows.map((r, index) => ({ index, sku: r.sku, locationId: r.locationId, onHand: r.quantities.onHand, committed: r.quantities.committed, reserved: 0, asOf: r.asOf })),
			[{ index: 0, channel: 'ebay', sku: 'TEE-1', locationId: 'default', current: 9 }],
			{ now: Date.parse('2026-01-15T00:01:00.000Z') },
		);
		expect(plan.exceptions).toEqual([
			expect.objectContaining({ kind: 'badQuantity', sku: 'TEE-1', locationId: '7', field: 'onHand', message: expect.stringMatching(/must not be negative, got -4: check the source system's count/) }),
		]);
		// The other centre's stock still reaches the channel.
		expect(plan.adjustments.map((a) => [a.sku, a.target])).toEqual([['TEE-1', 5]]);
	});

	it('refuses a quantity that is not a whole number, naming the SKU, centre and field', () => {
		expect(() =>
			stockRowsFromInventoryLevel(
				{ inventory_id: 101, sku: 'TEE-1', locations: [{ location_id: 7, on_hand_quantity: 2.5 }] },
				'x',
			),
		).toThrow(/^ShipBob inventory TEE-1 \(inventory_id 101\) at center 7: "on_hand_quantity" must be a whole number, got 2.5/);
	});

	it('builds an order body keyed by reference_id, with the correlation id as a tag', () => {
		const body = orderBody({
			referenceId: 'SHOP-1001',
			shippingMethod: 'Standard',
			recipient: {
				name: 'Ada',
				address: { address1: '1 Main St', city: 'Reno', country: 'US', zip: '89501' },
			},
			products: [{ sku: 'TEE-1', quantity: '2' }],
			correlationId: 'corr-1',
		});
		expect(body).toEqual({
			reference_id: 'SHOP-1001',
			shipping_method: 'Standard',
			type: 'DTC',
			recipient: {
				name: 'Ada',
				address: { address1: '1 Main St', city: 'Reno', country: 'US', zip_code: '89501' },
			},
			products: [{ reference_id: 'TEE-1', sku: 'TEE-1', name: 'TEE-1', quantity: 2 }],
			tags: [{ name: 'correlation_id', value: 'corr-1' }],
		});
	});

	it('names the field and the fix for bad order input', () => {
		const base = {
			referenceId: 'R',
			shippingMethod: 'Standard',
			recipient: { name: 'A', address: { address1: 'x', city: 'y', country: 'US' } },
			products: [{ sku: 'S', quantity: 1 }],
		};
		expect(() => orderBody({ ...base, referenceId: '' })).toThrow(/"referenceId" is required/);
		expect(() => orderBody({ ...base, products: [{ sku: 'S', quantity: 1.5 }] })).toThrow(
			/products\[0\]\.quantity/,
		);
		expect(() =>
			orderBody({ ...base, recipient: { name: 'A', address: { city: 'y', country: 'US' } } }),
		).toThrow(/recipient\.address\.address1/);
		expect(() => orderBody({ ...base, type: 'Retail' })).toThrow(/"type" must be one of/);
		expect(() => orderBody({ ...base, products: '[{bad' })).toThrow(/not valid JSON/);
	});

	it('maps orders, shipments and products with string ids', () => {
		const order = orderFromShipBob({
			id: 5001,
			reference_id: 'SHOP-1',
			status: 'Processing',
			channel: { id: 9, name: 'x' },
			tags: [{ name: 'correlation_id', value: 'c-1' }],
			shipments: [
				{
					id: 77,
					order_id: 5001,
					status: 'Completed',
					location: { id: 7, name: 'Cicero' },
					tracking: { carrier: 'USPS', tracking_number: '9400' },
				},
			],
		});
		expect(order).toMatchObject({
			id: '5001',
			channelId: '9',
			correlationId: 'c-1',
			shipments: [{ id: '77', orderId: '5001', locationId: '7', trackingNumber: '9400' }],
		});
		expect(
			productFromShipBob({
				id: 3,
				name: 'Tee',
				variants: [{ id: 4, sku: 'TEE-1', inventory: { inventory_id: 101, on_hand_qty: 5 } }],
			}),
		).toMatchObject({
			id: '3',
			variants: [{ id: '4', sku: 'TEE-1', inventoryId: '101', onHand: 5 }],
		});
	});
});

describe('ShipBob errors and profile', () => {
	it('reads ProblemDetails, validation objects and the 429 body', () => {
		expect(
			shipBobErrorMessage({ title: 'Bad Request', detail: 'PageSize too large', status: 400 }),
		).toBe('Bad Request: PageSize too large');
		expect(shipBobErrorMessage({ 'recipient.address.city': ['The City field is required.'] })).toBe(
			'recipient.address.city: The City field is required.',
		);
		expect(
			shipBobErrorMessage({
				statusCode: 429,
				message: 'Rate limit is exceeded. Try again in 25 seconds.',
			}),
		).toMatch(/Rate limit/);
		expect(
			isDuplicateReference(422, { errors: ["An order with reference_id 'X' already exists."] }),
		).toBe(true);
		expect(isDuplicateReference(422, { errors: ['Shipping method is invalid'] })).toBe(false);
	});

	it('puts the version in the base URL and honours the override and ShipBob sandbox', () => {
		expect(shipBobBaseUrl(creds)).toBe('https://api.shipbob.com/2026-01');
		expect(shipBobBaseUrl({ ...creds, environment: 'sandbox', apiVersion: '2025-07' })).toBe(
			'https://sandbox-api.shipbob.com/2025-07',
		);
		expect(shipBobBaseUrl({ ...creds, baseUrl: 'http://127.0.0.1:8787/shipbob/' })).toBe(
			'http://127.0.0.1:8787/shipbob/2026-01',
		);
		expect(() => shipBobBaseUrl({ ...creds, apiVersion: '1.0' })).toThrow(/not supported/);
		expect(shipBobProfile({ ...creds, channelId: '42' }).defaultHeaders).toMatchObject({
			shipbob_channel_id: '42',
		});
		expect(shipBobRateLimit()).toMatchObject({
			kind: 'rollingWindow',
			limit: 150,
			remainingHeader: 'x-remaining-calls',
		});
	});
});

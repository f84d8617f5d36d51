import { bulkPriceQuantityBody, bulkResults, stockRowFromInventoryItem, toPriceQuantityChange } from '../../../nodes/Ebay/mappers';
import { classifyEbayBody } from '../../../nodes/Ebay/transport';
import { SpecValidator } from '../../../sandbox/spec';

const spec = SpecValidator.load('ebay/sell_inventory_v1_oas3.json');

describe('ebay mappers', () => {
	it('builds a bulk body that matches the spec, with absolute values', () => {
		const changes = [toPriceQuantityChange({ sku: 'A', quantity: '3', price: 9.5, currency: 'usd', offerId: '11, 12' }), toPriceQuantityChange({ sku: 'B', quantity: 0 })];
		const body = bulkPriceQuantityBody(changes);
		expect(body).toEqual({
			requests: [
				{ sku: 'A', shipToLocationAvailability: { quantity: 3 }, offers: [{ offerId: '11', availableQuantity: 3, price: { value: '9.50', currency: 'USD' } }, { offerId: '12', availableQuantity: 3, price: { value: '9.50', currency: 'USD' } }] },
				{ sku: 'B', shipToLocationAvailability: { quantity: 0 } },
			],
		});
		expect(spec.validateRequest('POST', '/bulk_update_price_quantity', body).valid).toBe(true);
	});

	it('rejects bad input naming the field', () => {
		expect(() => toPriceQuantityChange({ sku: ' ', quantity: 1 })).toThrow(expect.objectContaining({ field: 'sku' }));
		expect(() => toPriceQuantityChange({ sku: 'A', quantity: 'x' })).toThrow(/quantity/);
		expect(() => toPriceQuantityChange({ sku: 'A', price: -1, currency: 'USD' })).toThrow(expect.objectContaining({ field: 'price' }));
		expect(() => toPriceQuantityChange({ sku: 'A'.repeat(51), quantity: 1 })).toThrow(/50 characters/);
	});

	it('gives each SKU its own outcome from per-offer responses', () => {
		const changes = [toPriceQuantityChange({ sku: 'A', quantity: 1, offerId: '1,2' }), toPriceQuantityChange({ sku: 'B', quantity: 1 }), toPriceQuantityChange({ sku: 'C', quantity: 1 })];
		const results = bulkResults(
			{
				responses: [
					{ statusCode: 200, sku: 'A', offerId: '1' },
					{ statusCode: 400, sku: 'A', offerId: '2', errors: [{ errorId: 25020, message: 'Invalid price' }] },
					{ statusCode: 200, sku: 'B' },
				],
			},
			changes,
		);
		expect(results.map((r) => [r.sku, r.ok, r.errors.length])).toEqual([
			['A', false, 1],
			['B', true, 0],
			['C', false, 1],
		]);
	});

	it('reads an inventory item into a stock row', () => {
		expect(stockRowFromInventoryItem({ sku: 'A', availability: { shipToLocationAvailability: { quantity: 5 } }, product: { title: 'T' } }, 'now')).toMatchObject({ sku: 'A', locationId: 'SHIP_TO', quantities: { available: 5, onHand: 5 }, source: 'ebay', title: 'T' });
	});

	it('treats errorId 2001 without Retry-After as the daily quota, not a short wait', () => {
		const body = { errors: [{ errorId: 2001, message: 'Too many requests' }] };
		expect(classifyEbayBody({ status: 429, headers: {}, body })).toMatchObject({ kind: 'rateLimited', action: 'fail' });
		expect(classifyEbayBody({ status: 429, headers: { 'retry-after': '2' }, body })).toBeUndefined();
	});
});

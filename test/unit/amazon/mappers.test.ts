import Ajv from 'ajv';

import { listingsFeed, patchesFor, reportResults, stockRowsFromListing, toListingChange } from '../../../nodes/AmazonSellingPartner/mappers';
import { classifyAmazonBody } from '../../../nodes/AmazonSellingPartner/transport';
import { loadSpecFile } from '../../../sandbox/spec';

const ajv = new Ajv({ strict: false, allErrors: true });
const feedSchema = ajv.compile(loadSpecFile('amazon/listings-feed-schema-v2.json') as object);
const reportSchema = ajv.compile(loadSpecFile('amazon/listings-feed-processing-report-schema-v2.json') as object);
const M = 'ATVPDKIKX0DER';

describe('amazon mappers', () => {
	it('builds quantity and price patches that set absolute values', () => {
		const change = toListingChange({ sku: ' A-1 ', productType: 'product', marketplaceId: M, quantity: '7', price: '19.999', currency: 'usd' });
		expect(change).toEqual({ sku: 'A-1', productType: 'PRODUCT', marketplaceId: M, quantity: 7, price: 20, currency: 'USD' });
		expect(patchesFor(change)).toEqual([
			{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }] },
			{ op: 'replace', path: '/attributes/purchasable_offer', value: [{ marketplace_id: M, currency: 'USD', our_price: [{ schedule: [{ value_with_tax: 20 }] }] }] },
		]);
	});

	it('rejects bad input naming the field', () => {
		expect(() => toListingChange({ sku: '', productType: 'P', marketplaceId: M, quantity: 1 })).toThrow(expect.objectContaining({ field: 'sku' }));
		expect(() => toListingChange({ sku: 'A', productType: 'P', marketplaceId: M, quantity: -1 })).toThrow(/quantity/);
		expect(() => toListingChange({ sku: 'A', productType: 'P', marketplaceId: M, price: 'abc', currency: 'USD' })).toThrow(expect.objectContaining({ field: 'price' }));
		expect(() => toListingChange({ sku: 'A', productType: 'P', marketplaceId: M, price: '3', currency: 'dollars' })).toThrow(expect.objectContaining({ field: 'currency' }));
		expect(() => toListingChange({ sku: 'A', productType: 'P', marketplaceId: M })).toThrow(/neither a quantity nor a price/);
	});

	it('writes a feed that conforms to listings-feed-schema-v2', () => {
		const changes = [1, 2, 3].map((n) => toListingChange({ sku: `S-${n}`, productType: 'PRODUCT', marketplaceId: M, quantity: n }));
		const feed = listingsFeed('SELLER', changes);
		expect(feedSchema(feed)).toBe(true);
		expect((feed.messages as Array<{ messageId: number }>).map((m) => m.messageId)).toEqual([1, 2, 3]);
		// The schema itself catches a broken message, so the check above can fail.
		expect(feedSchema({ ...feed, messages: [{ messageId: 0, sku: '', operationType: 'NOPE' }] })).toBe(false);
	});

	it('turns a processing report into one result per message with its own errors', () => {
		const changes = ['A', 'B', 'C'].map((sku) => toListingChange({ sku, productType: 'PRODUCT', marketplaceId: M, quantity: 1 }));
		const feed = listingsFeed('SELLER', changes);
		const report = {
			header: { sellerId: 'SELLER', version: '2.0', feedId: '1' },
			issues: [
				{ messageId: 2, sku: 'B', code: '4000003', severity: 'ERROR', message: 'not found' },
				{ messageId: 3, sku: 'C', code: '18448', severity: 'WARNING', message: 'incomplete' },
			],
			summary: { errors: 1, warnings: 1, messagesProcessed: 3, messagesAccepted: 2, messagesInvalid: 1 },
		};
		expect(reportSchema(report)).toBe(true);
		const results = reportResults(report, feed);
		expect(results.map((r) => [r.sku, r.status, r.errors.length, r.warnings.length])).toEqual([
			['A', 'ACCEPTED', 0, 0],
			['B', 'INVALID', 1, 0],
			['C', 'ACCEPTED', 0, 1],
		]);
	});

	it('reads a listing into stock rows with ids as strings', () => {
		const rows = stockRowsFromListing(
			{ sku: 'A', summaries: [{ marketplaceId: M, asin: 'B0X', productType: 'PRODUCT', status: ['BUYABLE'] }], offers: [{ marketplaceId: M, offerType: 'B2C', price: { amount: '9.50', currencyCode: 'USD' } }], fulfillmentAvailability: [{ fulfillmentChannelCode: 'DEFAULT', quantity: 4 }] },
			M,
			'2026-01-01T00:00:00.000Z',
		);
		expect(rows).toEqual([expect.objectContaining({ sku: 'A', locationId: 'DEFAULT', asin: 'B0X', price: '9.50', quantities: { onHand: 4, available: 4, committed: 0, reserved: 0, incoming: 0 }, source: 'amazon' })]);
	});

	it('asks for a token refresh only for an expired-token 403', () => {
		const expired = { status: 403, headers: {}, body: { errors: [{ code: 'Unauthorized', message: 'Access denied', details: '' }] } };
		expect(classifyAmazonBody(expired)).toBeUndefined();
		const body = { errors: [{ code: 'Unauthorized', message: 'The access token you provided has expired.' }] };
		expect(classifyAmazonBody({ status: 403, headers: {}, body })).toMatchObject({ action: 'refreshAuth' });
	});
});

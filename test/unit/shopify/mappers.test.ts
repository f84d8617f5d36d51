import { groupJsonl } from '../../../nodes/Shopify/actions/bulk/runQuery.operation';
import { searchValue } from '../../../nodes/Shopify/actions/common';
import { cost, largestPage } from '../../../nodes/Shopify/graphql/cost';
import { levelToRow, toGid } from '../../../nodes/Shopify/mappers/inventory';
import { orderToRow } from '../../../nodes/Shopify/mappers/order';
import { MAX_QUERY_COST, shopifyApiBase, supportsChangeFrom } from '../../../nodes/Shopify/transport';

describe('Shopify ids', () => {
	it('accepts GIDs of the right type and bare numbers', () => {
		expect(toGid('Location', 'gid://shopify/Location/7', 'locationId')).toBe('gid://shopify/Location/7');
		expect(toGid('Location', 7, 'locationId')).toBe('gid://shopify/Location/7');
		expect(toGid('Location', ' 12 ', 'locationId')).toBe('gid://shopify/Location/12');
	});

	it('refuses a GID of another type and junk, naming the field', () => {
		expect(() => toGid('Location', 'gid://shopify/InventoryItem/7', 'locationId')).toThrow(/"locationId" is a InventoryItem id/);
		expect(() => toGid('Location', 'warehouse-1', 'locationId')).toThrow(/"locationId" must be a Shopify Location id/);
	});
});

describe('cost estimates', () => {
	it('follow the published rules: connection 2 + first × node, mutation 10', () => {
		// locations: 2 (connection) + 1 (pageInfo) + first × (location 1 + address 1)
		expect(cost.locations(100)).toBe(203);
		// 25 items × (item 1 + levels connection 2 + 5 levels × (level 1 + location 1 + 5 names))
		expect(cost.levelsBySku(25, 5, 5)).toBe(3 + 25 * (3 + 5 * 7));
		expect(cost.mutation()).toBe(10);
	});

	it('finds the largest page that fits the 1,000-point ceiling', () => {
		const estimate = (n: number) => cost.levelsBySku(n, 10, 5);
		const first = largestPage(estimate);
		expect(estimate(first)).toBeLessThanOrEqual(MAX_QUERY_COST);
		expect(estimate(first + 1)).toBeGreaterThan(MAX_QUERY_COST);
		expect(largestPage(cost.locations)).toBe(250);
		expect(() => largestPage(() => 5000)).toThrow(/Even a page of one/);
	});
});

describe('levelToRow', () => {
	it('maps Shopify quantity names to ours, keeps ids as strings and the latest update time', () => {
		const row = levelToRow(
			{ id: 'gid://shopify/InventoryItem/1', sku: 'TEE-S', tracked: true },
			{
				id: 'gid://shopify/InventoryLevel/9',
				location: { id: 'gid://shopify/Location/2', name: 'Main' },
				quantities: [
					{ name: 'available', quantity: 4, updatedAt: '2026-11-01T10:00:00Z' },
					{ name: 'on_hand', quantity: 6, updatedAt: '2026-11-02T10:00:00Z' },
					{ name: 'damaged', quantity: 1 },
				],
			},
			Date.UTC(2026, 10, 27),
		);
		expect(row).toMatchObject({
			channel: 'shopify',
			sku: 'TEE-S',
			locationId: 'gid://shopify/Location/2',
			inventoryItemId: 'gid://shopify/InventoryItem/1',
			quantities: { available: 4, onHand: 6 },
			updatedAt: '2026-11-02T10:00:00Z',
			asOf: '2026-11-27T00:00:00.000Z',
		});
		expect(row.quantities).not.toHaveProperty('damaged');
	});
});

describe('helpers', () => {
	it('quotes search values so spaces, colons and quotes stay literal', () => {
		expect(searchValue('A "B":C\\D')).toBe('"A \\"B\\":C\\\\D"');
	});

	it('builds the API base from the shop or the override and knows the 2026-01 features', () => {
		expect(shopifyApiBase({ shopDomain: 'https://x.myshopify.com/', apiVersion: '2026-01' } as never)).toBe('https://x.myshopify.com/admin/api/2026-01');
		expect(shopifyApiBase({ shopDomain: 'x', baseUrl: 'http://127.0.0.1:8787/shopify/', apiVersion: '2025-10' } as never)).toBe('http://127.0.0.1:8787/shopify/admin/api/2025-10');
		expect(supportsChangeFrom('2025-10')).toBe(false);
		expect(supportsChangeFrom('2026-01')).toBe(true);
	});

	it('regroups bulk JSONL children under their parents', () => {
		const text = [
			'{"id":"gid://shopify/InventoryItem/1","sku":"A"}',
			'{"id":"gid://shopify/InventoryLevel/1?inventory_item_id=1","__parentId":"gid://shopify/InventoryItem/1"}',
			'{"id":"gid://shopify/InventoryItem/2","sku":"B"}',
			'',
		].join('\n');
		const rows = groupJsonl(text);
		expect(rows).toHaveLength(2);
		expect(rows[0].inventoryLevels).toHaveLength(1);
		expect(rows[1].inventoryLevels).toBeUndefined();
		expect(() => groupJsonl('{oops')).toThrow(/Line 1 of the bulk result is not JSON/);
	});

	it('maps orders to channel-neutral rows with decimal strings', () => {
		const row = orderToRow({
			id: 'gid://shopify/Order/1',
			name: '#1001',
			createdAt: 't',
			updatedAt: 't',
			totalPriceSet: { shopMoney: { amount: '20.00', currencyCode: 'EUR' } },
			lineItems: { nodes: [{ id: 'li', sku: 'A', name: 'A', quantity: 2, originalUnitPriceSet: { shopMoney: { amount: '10.00', currencyCode: 'EUR' } } }] },
		});
		expect(row).toMatchObject({ orderId: 'gid://shopify/Order/1', total: '20.00', currency: 'EUR', lineItems: [{ sku: 'A', quantity: 2, unitPrice: '10.00' }] });
	});
});

describe('classifyShopifyBody', () => {
	const { classifyShopifyBody } = jest.requireActual('../../../nodes/Shopify/transport') as typeof import('../../../nodes/Shopify/transport');
	const throttled = {
		errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
		extensions: { cost: { requestedQueryCost: 300, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 100 } } },
	};

	it('reads THROTTLED in a 200 as rate limited, waiting for the missing points to restore', () => {
		expect(classifyShopifyBody({ status: 200, headers: {}, body: throttled })).toMatchObject({ action: 'rateLimited', code: 'THROTTLED', retryAfterMs: 2000 });
	});

	it('lets the HTTP status decide for other failures, whatever the body says', () => {
		const internal = { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
		expect(classifyShopifyBody({ status: 403, headers: {}, body: internal })).toBeUndefined();
		expect(classifyShopifyBody({ status: 200, headers: {}, body: internal })).toMatchObject({ action: 'retry' });
		expect(classifyShopifyBody({ status: 200, headers: {}, body: { errors: [{ extensions: { code: 'MAX_COST_EXCEEDED' } }] } })).toMatchObject({ action: 'fail', kind: 'validation' });
		expect(classifyShopifyBody({ status: 200, headers: {}, body: { data: {} } })).toBeUndefined();
	});
});

import { InputError } from '../../../nodes/shared/n8n/errors';
import {
	classifyNetSuiteBody,
	netSuiteBaseUrl,
	netSuiteRateLimit,
} from '../../../nodes/NetSuite/transport';
import { netSuiteErrorMessage } from '../../../nodes/NetSuite/mappers/errors';
import {
	adjustmentBody,
	checkExternalId,
	idFromLocation,
	itemBody,
	orderLines,
	orderStatusFromRecord,
	salesOrderBody,
} from '../../../nodes/NetSuite/mappers/records';
import { stockRowFromSuiteql } from '../../../nodes/NetSuite/mappers/stock';
import {
	CHANGE_FEEDS,
	changesQuery,
	keysetWrap,
	sqlString,
	stockAtLocationQuery,
} from '../../../nodes/NetSuite/mappers/suiteql';

describe('NetSuite SuiteQL text', () => {
	it('escapes string literals and refuses non-digit ids', () => {
		expect(sqlString("O'Brien")).toBe("'O''Brien'");
		expect(() => stockAtLocationQuery('12 OR 1=1', [])).toThrow(InputError);
	});

	it('builds the per-location stock query with a keyset condition', () => {
		const q = stockAtLocationQuery('7', ['3', '4']);
		expect(q(undefined)).toBe(
			'SELECT item AS id, item, location, quantityonhand, quantityavailable, quantitycommitted, quantityonorder, quantitybackordered FROM inventoryitemlocations WHERE location = 7 AND item IN (3, 4) ORDER BY item',
		);
		expect(q('55')).toContain('AND item > 55 ORDER BY item');
	});

	it('wraps a user query for keyset paging, keeping OR conditions together', () => {
		const q = keysetWrap(
			"SELECT id, itemid FROM item WHERE itemid = 'where x' OR isinactive = 'T';",
			'id',
		);
		expect(q(undefined)).toBe(
			"SELECT id, itemid FROM item WHERE (itemid = 'where x' OR isinactive = 'T') ORDER BY id",
		);
		expect(q('900')).toBe(
			"SELECT id, itemid FROM item WHERE (itemid = 'where x' OR isinactive = 'T') AND id > 900 ORDER BY id",
		);
		expect(keysetWrap('SELECT id FROM item', 'id')('1')).toBe(
			'SELECT id FROM item WHERE id > 1 ORDER BY id',
		);
		expect(() => keysetWrap('SELECT id FROM item ORDER BY id', 'id')).toThrow(/ORDER BY/);
		expect(() => keysetWrap('DELETE FROM item', 'id')).toThrow(/SELECT/);
	});

	it('reads changes oldest first from a server timestamp, or the newest one to start from', () => {
		expect(changesQuery(CHANGE_FEEDS.orders, '2026-01-15 10:00:00')).toBe(
			"SELECT id, tranid, externalid, status, entity, memo, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS changedat FROM transaction WHERE type = 'SalesOrd' AND lastmodifieddate >= TO_TIMESTAMP('2026-01-15 10:00:00', 'YYYY-MM-DD HH24:MI:SS') ORDER BY lastmodifieddate, id",
		);
		expect(changesQuery(CHANGE_FEEDS.items, undefined)).toMatch(
			/ORDER BY lastmodifieddate DESC, id DESC$/,
		);
		expect(() => changesQuery(CHANGE_FEEDS.items, "2026' OR 1=1")).toThrow(InputError);
	});
});

describe('NetSuite stock rows', () => {
	const skus = new Map([['42', 'TEE-BLK-M-00001']]);
	it('maps string quantities, blank as zero, negatives kept for on hand', () => {
		const row = stockRowFromSuiteql(
			{
				id: '42',
				item: '42',
				location: '3',
				quantityonhand: '-2',
				quantityavailable: '-2',
				quantityonorder: '10',
			},
			skus,
			'2026-01-15T10:00:00.000Z',
			'Reno',
		);
		expect(row).toEqual({
			sku: 'TEE-BLK-M-00001',
			locationId: '3',
			locationName: 'Reno',
			quantities: { onHand: -2, available: -2, committed: 0, reserved: 0, incoming: 10 },
			backOrdered: 0,
			source: 'netsuite',
			asOf: '2026-01-15T10:00:00.000Z',
			itemId: '42',
		});
	});

	it('skips items without a SKU and rejects fractional quantities', () => {
		expect(stockRowFromSuiteql({ item: '99', location: '3' }, skus, 'x')).toBeUndefined();
		expect(() =>
			stockRowFromSuiteql({ item: '42', location: '3', quantityonhand: '1.5' }, skus, 'x'),
		).toThrow(/quantityonhand/);
	});
});

describe('NetSuite record bodies', () => {
	it('builds a sales order with references and positive whole quantities', () => {
		expect(
			salesOrderBody({
				externalId: 'SHOP-1001',
				customerId: '123',
				subsidiaryId: 1,
				tranDate: '2026-01-15',
				lines: [{ itemId: '42', quantity: '2', rate: '19.99' }],
			}),
		).toEqual({
			entity: { id: '123' },
			subsidiary: { id: '1' },
			tranDate: '2026-01-15',
			item: { items: [{ item: { id: '42' }, quantity: 2, rate: 19.99 }] },
		});
	});

	it('names the field and the fix for bad order input', () => {
		const bad =
			(lines: unknown, customerId: unknown = '1') =>
			() =>
				salesOrderBody({ externalId: 'X', customerId, lines });
		expect(bad([])).toThrow(/"lines" must be a non-empty list/);
		expect(bad([{ itemId: '42', quantity: 0 }])).toThrow(/lines\[0\]\.quantity/);
		expect(bad([{ itemId: 'abc', quantity: 1 }])).toThrow(/lines\[0\]\.itemId/);
		expect(bad([{ itemId: '42', quantity: 1 }], 'ACME')).toThrow(/customerId/);
		try {
			bad([{ itemId: '42', quantity: -1 }])();
		} catch (error) {
			expect((error as Error).message).toMatch(/lines\[0\]\.quantity.*negative/);
		}
	});

	it('names a line that names no item by its SKU field, not as a bad internal ID', () => {
		// A Shopify custom line arrives with sku null; the order must say which line and what to add.
		const lines = [
			{ sku: 'SKU-1', quantity: 1 },
			{ sku: null, quantity: 1, rate: '5.00' },
		];
		expect(() => orderLines(lines)).toThrow(InputError);
		expect(() => orderLines(lines)).toThrow(/"lines\[1\]" names no item: it has no sku and no itemId/);
		let thrown: unknown;
		try {
			orderLines([{ itemId: '', sku: ' ', quantity: 1 }]);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toMatchObject({ field: 'lines[0].sku', hint: expect.stringMatching(/SKU of a NetSuite item/) });
		expect(orderLines([{ sku: 'SKU-1', quantity: 1 }, { itemId: '42', quantity: 2 }])).toHaveLength(2);
	});

	it('checks external ids', () => {
		expect(checkExternalId(' SHOP-1 ')).toBe('SHOP-1');
		expect(() => checkExternalId('a/b')).toThrow(InputError);
		expect(() => checkExternalId(undefined)).toThrow(/externalId/);
	});

	it('builds items and adjustments', () => {
		expect(itemBody({ sku: 'TEE-1', displayName: 'Tee', isInactive: false })).toEqual({
			itemId: 'TEE-1',
			displayName: 'Tee',
			isInactive: false,
		});
		expect(() => itemBody({ sku: '' })).toThrow(/"sku" is required/);
		expect(
			adjustmentBody({
				subsidiaryId: '1',
				accountId: '200',
				locationId: '3',
				lines: [{ itemId: '42', adjustQtyBy: -4 }],
			}),
		).toEqual({
			subsidiary: { id: '1' },
			account: { id: '200' },
			adjLocation: { id: '3' },
			inventory: { items: [{ item: { id: '42' }, location: { id: '3' }, adjustQtyBy: -4 }] },
		});
		expect(() =>
			adjustmentBody({
				subsidiaryId: '1',
				accountId: '2',
				lines: [{ itemId: '4', locationId: '3', adjustQtyBy: 0 }],
			}),
		).toThrow(/must not be 0/);
	});

	it('reads ids from Location headers and order status from records', () => {
		expect(
			idFromLocation(
				'https://x.suitetalk.api.netsuite.com/services/rest/record/v1/salesOrder/8812',
			),
		).toBe('8812');
		expect(
			orderStatusFromRecord({
				id: 5,
				tranId: 'SO5',
				status: { id: 'B', refName: 'Pending Fulfillment' },
				entity: { id: '9' },
			}),
		).toMatchObject({
			id: '5',
			status: 'Pending Fulfillment',
			statusCode: 'B',
			customerId: '9',
		});
	});
});

describe('NetSuite errors and profile', () => {
	const concurrency = {
		type: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
		title: 'Too Many Requests',
		status: 429,
		'o:errorDetails': [
			{
				detail: 'Concurrent request limit exceeded. Request blocked.',
				'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
			},
		],
	};

	it('treats CONCURRENCY_LIMIT_EXCEEDED as a rate limit, also on older 400 answers', () => {
		for (const status of [429, 400]) {
			expect(
				classifyNetSuiteBody({ status, headers: {}, body: { ...concurrency, status } }),
			).toMatchObject({
				kind: 'rateLimited',
				action: 'rateLimited',
				code: 'CONCURRENCY_LIMIT_EXCEEDED',
			});
		}
	});

	it('makes field errors readable and a 401 final', () => {
		const body = {
			status: 400,
			'o:errorDetails': [
				{
					detail: 'Invalid value for the resource or sub-resource field item.',
					'o:errorCode': 'INVALID_KEY_OR_REF',
					'o:errorPath': 'item.items[0].item',
				},
			],
		};
		expect(netSuiteErrorMessage(body)).toBe(
			'Invalid value for the resource or sub-resource field item. (field "item.items[0].item", code INVALID_KEY_OR_REF)',
		);
		expect(classifyNetSuiteBody({ status: 400, headers: {}, body })).toMatchObject({
			kind: 'validation',
			action: 'fail',
			code: 'INVALID_KEY_OR_REF',
		});
		const login = {
			status: 401,
			'o:errorDetails': [{ detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN' }],
		};
		expect(classifyNetSuiteBody({ status: 401, headers: {}, body: login })).toMatchObject({
			kind: 'auth',
			action: 'fail',
		});
	});

	it('derives the host from the account id and the slots from the credential', () => {
		expect(netSuiteBaseUrl({ accountId: '1234567_SB1', baseUrl: '' })).toBe(
			'https://1234567-sb1.suitetalk.api.netsuite.com',
		);
		expect(netSuiteBaseUrl({ accountId: 'x', baseUrl: 'http://127.0.0.1:8787/netsuite/' })).toBe(
			'http://127.0.0.1:8787/netsuite',
		);
		expect(() => netSuiteBaseUrl({ accountId: 'bad id', baseUrl: '' })).toThrow(/account ID/);
		const creds = {
			accountId: '1',
			consumerKey: '',
			consumerSecret: '',
			tokenId: '',
			tokenSecret: '',
			baseUrl: '',
		};
		expect(netSuiteRateLimit({ ...creds, concurrency: 15 })).toEqual({
			kind: 'concurrency',
			slots: 15,
		});
		expect(() => netSuiteRateLimit({ ...creds, concurrency: 0 })).toThrow(/Concurrency Slots/);
	});
});

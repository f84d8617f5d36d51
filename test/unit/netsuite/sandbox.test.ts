import { createHmac } from 'node:crypto';

import { startSandbox, type Sandbox } from '../../../sandbox';
import { NETSUITE_SANDBOX_ACCOUNT } from '../../../sandbox/systems/netsuite';
import { sendHttp } from '../../helpers/n8nHttp';
import { netSuiteClient, RECORD, SUITEQL } from './sandboxClient';

let sandbox: Sandbox;
let ns: ReturnType<typeof netSuiteClient>;
let base: string;

beforeAll(async () => {
	sandbox = await startSandbox({
		port: 0,
		systems: ['netsuite'],
		seed: { seed: 'ns-test', skus: 30, locations: 3 },
	});
	base = sandbox.urlFor('netsuite');
	ns = netSuiteClient(base);
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.reset());

const q = (text: string, qs: Record<string, number> = { limit: 1000 }) =>
	ns('POST', SUITEQL, { qs, body: { q: text }, headers: { Prefer: 'transient' } });

function enc(s: string) {
	return encodeURIComponent(s).replace(
		/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
	);
}

/** A hand-made header, to send what the node never would (SHA1, wrong realm, reused nonce). */
function header(
	method: string,
	url: string,
	over: Record<string, string> = {},
	key = `${enc(NETSUITE_SANDBOX_ACCOUNT.consumerSecret)}&${enc(NETSUITE_SANDBOX_ACCOUNT.tokenSecret)}`,
) {
	const oauth: Record<string, string> = {
		oauth_consumer_key: NETSUITE_SANDBOX_ACCOUNT.consumerKey,
		oauth_token: NETSUITE_SANDBOX_ACCOUNT.tokenId,
		oauth_signature_method: 'HMAC-SHA256',
		oauth_timestamp: String(Math.floor(Date.now() / 1000)),
		oauth_nonce: 'fixed-nonce-1',
		oauth_version: '1.0',
		...over,
	};
	const realm = over.realm ?? '1234567_SB1';
	delete oauth.realm;
	const u = new URL(url);
	const params = [...Object.entries(oauth), ...u.searchParams]
		.map(([k, v]) => `${enc(k)}=${enc(v)}`)
		.sort();
	const baseString = `${method}&${enc(`${u.origin}${u.pathname}`)}&${enc(params.join('&'))}`;
	const sig = createHmac(oauth.oauth_signature_method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
		.update(baseString)
		.digest('base64');
	return `OAuth realm="${realm}", ${Object.entries(oauth)
		.map(([k, v]) => `${k}="${enc(v)}"`)
		.join(', ')}, oauth_signature="${enc(sig)}"`;
}

const raw = (method: 'GET' | 'POST', url: string, authorization: string) =>
	sendHttp({
		method,
		url,
		headers: { Authorization: authorization },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	}) as Promise<{
		statusCode: number;
		body: any;
	}>;

describe('NetSuite sandbox: Token-Based Authentication', () => {
	it('accepts requests our credential signs, query parameters included', async () => {
		const res = await ns('GET', `${RECORD}/inventoryItem`, { qs: { limit: 5, offset: 5 } });
		expect(res.statusCode).toBe(200);
		expect(res.body).toMatchObject({ count: 5, offset: 5, hasMore: true, totalResults: 30 });
	});

	it('answers a bad signature, realm, method or nonce with 401 INVALID_LOGIN and records why', async () => {
		const url = `${base}${RECORD}/inventoryItem?limit=1`;
		expect((await raw('GET', url, header('GET', url, { oauth_nonce: 'n-1' }))).statusCode).toBe(
			200,
		);
		const cases: Array<[string, string]> = [
			['bad signature', header('GET', url, { oauth_nonce: 'n-2' }, 'wrong&key')],
			['wrong realm', header('GET', url, { oauth_nonce: 'n-3', realm: '1234567-sb1' })],
			[
				'unsupported signature method',
				header('GET', url, { oauth_nonce: 'n-4', oauth_signature_method: 'HMAC-SHA1' }),
			],
			['reused nonce', header('GET', url, { oauth_nonce: 'n-1' })],
			[
				'stale timestamp',
				header('GET', url, {
					oauth_nonce: 'n-5',
					oauth_timestamp: String(Math.floor(Date.now() / 1000) - 3600),
				}),
			],
			[
				'bad signature',
				header('GET', `${base}${RECORD}/inventoryItem?limit=2`, { oauth_nonce: 'n-6' }),
			],
		];
		for (const [, auth] of cases) {
			const res = await raw('GET', url, auth);
			expect(res.statusCode).toBe(401);
			expect(res.body['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_LOGIN');
		}
		const audit = (
			sandbox.state('netsuite') as { loginAudit: Array<{ reason: string }> }
		).loginAudit.map((a) => a.reason);
		expect(audit).toEqual(cases.map(([reason]) => reason));
	});

	it('refuses wrong secrets configured in the credential', async () => {
		const wrong = netSuiteClient(base, { tokenSecret: 'not-it' });
		const res = await wrong('GET', `${RECORD}/inventoryItem`);
		expect(res.statusCode).toBe(401);
	});
});

describe('NetSuite sandbox: SuiteQL', () => {
	it('needs Prefer: transient, pages with limit/offset and returns strings in lower-case columns', async () => {
		expect((await ns('POST', SUITEQL, { body: { q: 'SELECT id FROM item' } })).statusCode).toBe(
			400,
		);
		const res = await q(
			"SELECT id, itemid, isinactive FROM item WHERE isinactive = 'F' ORDER BY id",
			{ limit: 10, offset: 10 },
		);
		expect(res.statusCode).toBe(200);
		expect(res.body).toMatchObject({ count: 10, offset: 10, hasMore: true, totalResults: 30 });
		expect(typeof res.body.items[0].id).toBe('string');
		expect(res.body.items[0]).toHaveProperty('itemid');
		expect(res.body.links.find((l: { rel: string }) => l.rel === 'next').href).toBe(
			`${base}${SUITEQL}?limit=10&offset=20`,
		);
	});

	it('supports WHERE with AND / OR / IN / comparisons, TO_CHAR / TO_TIMESTAMP and ORDER BY DESC', async () => {
		const all = (await q('SELECT id FROM item ORDER BY id')).body.items.map(
			(r: { id: string }) => r.id,
		);
		const [a, b, c] = all;
		const res = await q(
			`SELECT id FROM item WHERE (id IN (${a}, ${c}) OR id = ${b}) AND id > ${a} ORDER BY id DESC`,
		);
		expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([c, b]);
		const ts = await q(
			"SELECT id, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS changed FROM item WHERE lastmodifieddate >= TO_TIMESTAMP('2000-01-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS') ORDER BY lastmodifieddate DESC, id DESC",
		);
		expect(ts.body.items[0].changed).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect(ts.body.totalResults).toBe(30);
	});

	it('answers unknown tables and columns, limit over 1,000 and the 100,000-row reach with 400s', async () => {
		const bad = await q('SELECT nope FROM item');
		expect(bad.statusCode).toBe(400);
		expect(bad.body['o:errorDetails'][0]).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER' });
		expect(bad.body['o:errorDetails'][0].detail).toMatch(/Field 'nope'/);
		expect((await q('SELECT id FROM item', { limit: 1001 })).statusCode).toBe(400);
		expect((await q('SELECT id FROM item', { limit: 1000, offset: 100_000 })).statusCode).toBe(400);
		expect((await q('SELECT id FROM item', { limit: 1000, offset: 99_000 })).statusCode).toBe(200);
	});

	it('holds stock per item and location with available = on hand − committed', async () => {
		const res = await q(
			'SELECT item, location, quantityonhand, quantityavailable, quantitycommitted FROM inventoryitemlocations ORDER BY item',
		);
		expect(res.body.totalResults).toBe(90);
		for (const row of res.body.items) {
			expect(Number(row.quantityavailable)).toBe(
				Number(row.quantityonhand ?? 0) - Number(row.quantitycommitted ?? 0),
			);
		}
	});
});

describe('NetSuite sandbox: records', () => {
	async function firstItem() {
		return (await q('SELECT id, itemid FROM item ORDER BY id', { limit: 1 })).body.items[0] as {
			id: string;
			itemid: string;
		};
	}

	it('upserts by external id: 204 + Location, the same id on the second PUT', async () => {
		const body = { itemId: 'NEW-SKU-1', displayName: 'New' };
		const one = await ns('PUT', `${RECORD}/inventoryItem/eid:EXT-1`, { body });
		const two = await ns('PUT', `${RECORD}/inventoryItem/eid:EXT-1`, {
			body: { ...body, displayName: 'Renamed' },
		});
		expect(one.statusCode).toBe(204);
		expect(two.headers.location).toBe(one.headers.location);
		const got = await ns('GET', `${RECORD}/inventoryItem/eid:EXT-1`);
		expect(got.body).toMatchObject({
			itemId: 'NEW-SKU-1',
			displayName: 'Renamed',
			externalId: 'EXT-1',
		});
		expect((await ns('PUT', `${RECORD}/inventoryItem/123`, { body })).statusCode).toBe(405);
	});

	it('commits stock for a sales order, and an identical upsert changes nothing', async () => {
		const item = await firstItem();
		const loc = (sandbox.state('netsuite') as { locations: Array<{ id: number }> }).locations[0].id;
		const stockOf = async () =>
			(
				await q(
					`SELECT quantitycommitted, quantityavailable FROM inventoryitemlocations WHERE item = ${item.id} AND location = ${loc}`,
				)
			).body.items[0];
		const before = await stockOf();
		const order = {
			entity: { id: '501' },
			location: { id: String(loc) },
			item: { items: [{ item: { id: item.id }, quantity: 1, rate: 9.5 }] },
		};
		const put = () => ns('PUT', `${RECORD}/salesOrder/eid:SHOP-1`, { body: order });
		expect((await put()).statusCode).toBe(204);
		expect((await put()).statusCode).toBe(204);
		const after = await stockOf();
		const committedNow = Number(after.quantitycommitted ?? 0);
		expect(committedNow - Number(before.quantitycommitted ?? 0)).toBe(
			Number(before.quantityavailable) > 0 ? 1 : 0,
		);
		const orders = await q(
			"SELECT id, externalid, status FROM transaction WHERE type = 'SalesOrd'",
		);
		expect(orders.body.items).toEqual([
			{ links: [], id: expect.any(String), externalid: 'SHOP-1', status: 'B' },
		]);
	});

	it('rejects bad references with NetSuite’s error format naming the field', async () => {
		const res = await ns('POST', `${RECORD}/salesOrder`, {
			body: { entity: { id: '999' }, item: { items: [{ item: { id: '1' }, quantity: 1 }] } },
		});
		expect(res.statusCode).toBe(400);
		expect(res.body['o:errorDetails'][0]).toMatchObject({
			'o:errorCode': 'INVALID_KEY_OR_REF',
			'o:errorPath': 'entity',
		});
	});

	it('applies an inventory adjustment once per external id, and fulfils orders by transform', async () => {
		const item = await firstItem();
		const loc = (sandbox.state('netsuite') as { locations: Array<{ id: number }> }).locations[1].id;
		const onHand = async () =>
			Number(
				(
					await q(
						`SELECT quantityonhand FROM inventoryitemlocations WHERE item = ${item.id} AND location = ${loc}`,
					)
				).body.items[0]?.quantityonhand ?? 0,
			);
		const before = await onHand();
		const adj = {
			subsidiary: { id: '1' },
			account: { id: '120' },
			adjLocation: { id: String(loc) },
			inventory: {
				items: [{ item: { id: item.id }, location: { id: String(loc) }, adjustQtyBy: 7 }],
			},
		};
		await ns('PUT', `${RECORD}/inventoryAdjustment/eid:ADJ-1`, { body: adj });
		await ns('PUT', `${RECORD}/inventoryAdjustment/eid:ADJ-1`, { body: adj });
		expect(await onHand()).toBe(before + 7);
		const order = {
			entity: { id: '502' },
			location: { id: String(loc) },
			item: { items: [{ item: { id: item.id }, quantity: 2 }] },
		};
		const created = await ns('POST', `${RECORD}/salesOrder`, { body: order });
		const id = created.headers.location.split('/').pop() as string;
		const shipped = await ns('POST', `${RECORD}/salesOrder/${id}/!transform/itemFulfillment`, {
			body: {},
		});
		expect(shipped.statusCode).toBe(204);
		expect(await onHand()).toBe(before + 5);
		const status = await ns('GET', `${RECORD}/salesOrder/${id}`);
		expect(status.body.status).toEqual({ id: 'F', refName: 'Pending Billing' });
		const ful = await q(
			`SELECT id, status FROM transaction WHERE type = 'ItemShip' AND createdfrom = ${id}`,
		);
		expect(ful.body.items).toHaveLength(1);
	});
});

describe('NetSuite sandbox: concurrency cap', () => {
	it('answers 429 CONCURRENCY_LIMIT_EXCEEDED without Retry-After beyond the cap', async () => {
		sandbox.configureLimit('netsuite', 'concurrency', { max: 2 });
		sandbox.setFaults('netsuite', { latency: { fixedMs: 150 } });
		try {
			const results = await Promise.all(
				Array.from({ length: 5 }, () => ns('GET', `${RECORD}/inventoryItem`, { qs: { limit: 1 } })),
			);
			const limited = results.filter((r) => r.statusCode === 429);
			expect(results.filter((r) => r.statusCode === 200)).toHaveLength(2);
			expect(limited).toHaveLength(3);
			expect(limited[0].body['o:errorDetails'][0]['o:errorCode']).toBe(
				'CONCURRENCY_LIMIT_EXCEEDED',
			);
			expect(limited[0].headers['retry-after']).toBeUndefined();
		} finally {
			sandbox.clearFaults('netsuite');
			sandbox.configureLimit('netsuite', 'concurrency', { max: 15 });
		}
	});
});

import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ManualClock, startSandbox, type Sandbox } from '../../../sandbox';
import { HUBSPOT_SANDBOX_CLIENT_SECRET, HUBSPOT_SANDBOX_TOKEN } from '../../../sandbox/systems/hubspot';

let sandbox: Sandbox;
let base: string;
const clock = new ManualClock();
const auth = { authorization: `Bearer ${HUBSPOT_SANDBOX_TOKEN}`, 'content-type': 'application/json' };

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = auth) {
	const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, systems: ['hubspot'], seed: { seed: 'hs-test', skus: 12, locations: 1 }, clock });
	base = sandbox.urlFor('hubspot');
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset('hubspot'));

describe('HubSpot sandbox', () => {
	it('refuses a missing or wrong token with HubSpot’s error body', async () => {
		const res = await call('GET', '/crm/v3/objects/contacts', undefined, { authorization: 'Bearer wrong' });
		expect(res.status).toBe(401);
		expect(res.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: expect.any(String) });
	});

	it('lists with an after cursor and a next link, and reads by unique property', async () => {
		const first = await call('GET', '/crm/v3/objects/contacts?limit=5');
		expect(first.body.results).toHaveLength(5);
		expect(first.body.paging.next).toEqual({ after: '5', link: expect.stringContaining('after=5') });
		expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('99');
		const email = first.body.results[0].properties.email as string;
		const byEmail = await call('GET', `/crm/v3/objects/contacts/${encodeURIComponent(email.toUpperCase())}?idProperty=email`);
		expect(byEmail.body.id).toBe(first.body.results[0].id);
		expect((await call('GET', '/crm/v3/objects/contacts/999999')).body).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
		expect((await call('GET', '/crm/v3/objects/contacts?limit=101')).status).toBe(400);
	});

	it('upserts by unique property: new vs existing, 207 with per-record errors, limits on the batch', async () => {
		const existing = (await call('GET', '/crm/v3/objects/contacts?limit=1')).body.results[0].properties.email as string;
		const res = await call('POST', '/crm/v3/objects/contacts/batch/upsert', {
			inputs: [
				{ id: 'new@example.com', idProperty: 'email', properties: { firstname: 'New' }, objectWriteTraceId: 't1' },
				{ id: existing.toUpperCase(), idProperty: 'email', properties: { firstname: 'Changed' } },
				{ id: 'broken', idProperty: 'email', properties: {}, objectWriteTraceId: 't3' },
			],
		});
		expect(res.status).toBe(207);
		expect(res.body.results.map((r: { new: boolean; properties: { email: string } }) => [r.properties.email, r.new])).toEqual([
			['new@example.com', true],
			[existing, false],
		]);
		expect(res.body).toMatchObject({ numErrors: 1, errors: [{ category: 'VALIDATION_ERROR', context: { ids: ['broken'] }, objectWriteTraceId: 't3' }] });
		const again = await call('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [{ id: 'new@example.com', idProperty: 'email', properties: { firstname: 'New' } }] });
		expect(again.status).toBe(200);
		expect(again.body.results[0].new).toBe(false);
		const tooMany = Array.from({ length: 101 }, (_, i) => ({ id: `p${i}@x.io`, idProperty: 'email', properties: {} }));
		expect((await call('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: tooMany })).status).toBe(400);
		const dup = await call('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [{ id: 'a@x.io', idProperty: 'email' }, { id: 'A@x.io', idProperty: 'email' }] });
		expect(dup.body.message).toMatch(/Duplicate IDs/);
		expect((await call('POST', '/crm/v3/objects/deals/batch/upsert', { inputs: [{ id: 'x', idProperty: 'dealname', properties: {} }] })).body.errors[0].message).toMatch(/not a unique identifier/);
	});

	it('searches with filter groups, sorts, pages by after and enforces its caps', async () => {
		const res = await call('POST', '/crm/v3/objects/deals/search', {
			filterGroups: [{ filters: [{ propertyName: 'order_id', operator: 'IN', values: ['SO-1000', 'SO-1002'] }] }, { filters: [{ propertyName: 'order_id', operator: 'EQ', value: 'SO-1004' }] }],
			sorts: [{ propertyName: 'order_id', direction: 'DESCENDING' }],
			properties: ['order_id'],
			limit: 2,
		});
		expect(res.body.total).toBe(3);
		expect(res.body.results.map((r: { properties: { order_id: string } }) => r.properties.order_id)).toEqual(['SO-1004', 'SO-1002']);
		expect(res.body.paging.next.after).toBe('2');
		expect((await call('POST', '/crm/v3/objects/deals/search', { limit: 201 })).status).toBe(400);
		expect((await call('POST', '/crm/v3/objects/deals/search', { limit: 100, after: 9950 })).body.message).toMatch(/10000/);
		const six = Array.from({ length: 6 }, () => ({ filters: [{ propertyName: 'a', operator: 'EQ', value: '1' }] }));
		expect((await call('POST', '/crm/v3/objects/deals/search', { filterGroups: six })).status).toBe(400);
	});

	it('associates deal ↔ contact ↔ company both ways and shows them on the record', async () => {
		const deal = (await call('GET', '/crm/v3/objects/deals?limit=1')).body.results[0].id;
		const contact = (await call('GET', '/crm/v3/objects/contacts?limit=1')).body.results[0].id;
		const res = await call('PUT', `/crm/v4/objects/deals/${deal}/associations/default/contacts/${contact}`);
		expect(res.body.results[0]).toMatchObject({ from: { id: deal }, to: { id: contact }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 } });
		const seen = await call('GET', `/crm/v3/objects/contacts/${contact}?associations=deals`);
		expect(seen.body.associations.deals.results).toEqual([{ id: deal, type: 'contact_to_deal' }]);
		expect((await call('PUT', `/crm/v4/objects/deals/${deal}/associations/default/contacts/424242`)).status).toBe(404);
	});

	it('answers the rolling ten-second limit with policyName and frees it as the window rolls', async () => {
		sandbox.configureLimit('hubspot', 'hubspot', { windows: { TEN_SECONDLY_ROLLING: { max: 2 } } });
		await call('GET', '/crm/v3/objects/contacts?limit=1');
		await call('GET', '/crm/v3/objects/contacts?limit=1');
		const refused = await call('GET', '/crm/v3/objects/contacts?limit=1');
		expect(refused.status).toBe(429);
		expect(refused.body).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
		await clock.advance(10_001);
		expect((await call('GET', '/crm/v3/objects/contacts?limit=1')).status).toBe(200);
		sandbox.configureLimit('hubspot', 'hubspot', { windows: { TEN_SECONDLY_ROLLING: { max: 100 }, DAILY: { max: 1 } } });
		expect((await call('GET', '/crm/v3/objects/contacts?limit=1')).body).toMatchObject({ policyName: 'DAILY' });
	});

	it('delivers v3-signed webhook batches for creations and property changes', async () => {
		const received: Array<{ headers: IncomingMessage['headers']; body: string; url: string }> = [];
		const server: Server = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				received.push({ headers: req.headers, body, url: req.url ?? '' });
				res.end('ok');
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`;
		try {
			sandbox.webhooks.subscribe('hubspot', { topic: '*', address });
			await call('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [{ id: 'hook@example.com', idProperty: 'email', properties: { firstname: 'Hook' } }] });
			await sandbox.webhooks.whenIdle();
			expect(received).toHaveLength(1);
			const [event] = JSON.parse(received[0].body);
			expect(event).toMatchObject({ subscriptionType: 'contact.creation', objectId: expect.any(Number), portalId: expect.any(Number) });
			const ts = String(received[0].headers['x-hubspot-request-timestamp']);
			// Computed here from HubSpot's documented recipe, not with the sandbox's signer.
			const expected = createHmac('sha256', HUBSPOT_SANDBOX_CLIENT_SECRET).update(`POST${address}${received[0].body}${ts}`).digest('base64');
			expect(received[0].headers['x-hubspot-signature-v3']).toBe(expected);
		} finally {
			server.close();
		}
	});
});

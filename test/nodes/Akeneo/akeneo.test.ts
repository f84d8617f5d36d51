import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { AkeneoPim } from '../../../nodes/Akeneo/AkeneoPim.node';
import { uuidForSku } from '../../../nodes/Akeneo/mappers/products';
import { resetSessions } from '../../../nodes/shared/n8n/session';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { ManualClock, startSandbox, type Sandbox } from '../../../sandbox';
import { AKENEO_SANDBOX_CONNECTION } from '../../../sandbox/systems/akeneo';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { credentialTypes, n8nHttpHelpers, sendHttp } from '../../helpers/n8nHttp';

let sandbox: Sandbox;
const clock = new ManualClock(Date.now());
const node = new AkeneoPim();

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, systems: ['akeneo'], seed: { seed: 'ak-node', skus: 120, locations: 1 }, clock });
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
	resetSessions();
});

/**
 * n8n's side of `preAuthentication` when the node forces a renewal (credential data passed with
 * the expirable field blanked): the exchange runs, its output is merged into that data and
 * persisted into the stored credential, as n8n's CredentialsHelper does.
 */
function n8nLike(creds: Record<string, IDataObject>) {
	const http = n8nHttpHelpers(creds);
	return {
		...http,
		async httpRequestWithAuthentication(this: unknown, type: string, options: IHttpRequestOptions, extra?: { credentialsDecrypted?: { data: IDataObject } }) {
			const forced = extra?.credentialsDecrypted?.data;
			if (forced && !forced.sessionToken) {
				const fresh = (await credentialTypes().get(type)!.preAuthentication!.call({ helpers: { httpRequest: sendHttp } } as never, forced as never)) as IDataObject;
				Object.assign(forced, fresh);
				Object.assign(creds[type], fresh);
				http.forgetSessions();
			}
			return await http.httpRequestWithAuthentication.call(this, type, options);
		},
	};
}

async function run(params: Record<string, ParamValue>, inputs: IDataObject[] = [{}], options: { continueOnFail?: boolean; credentials?: IDataObject; credentialId?: string } = {}) {
	const creds = { akeneoApi: { ...AKENEO_SANDBOX_CONNECTION, host: sandbox.urlFor('akeneo'), ...options.credentials } };
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs: inputs.map((json) => ({ json })),
		params: { correlationId: '', dryRun: false, ...params },
		continueOnFail: options.continueOnFail,
		credentials: creds,
		helpers: n8nLike(creds) as never,
		node: { credentials: { akeneoApi: { id: options.credentialId ?? `ak-${Math.random()}`, name: 'ak' } } },
	});
	return (await node.execute.call(ctx))[0];
}

type State = { products: Array<{ uuid: string; sku: string; updated: number; values: Record<string, Array<{ locale: string | null; data: unknown }>> }>; issued: number };
const state = () => sandbox.state('akeneo') as State;
const getMany = (extra: Record<string, ParamValue> = {}) => ({ resource: 'product', operation: 'getMany', updatedSince: '', enabled: 'any', families: '', categories: '', returnAll: true, ...extra });

describe('Akeneo PIM node', () => {
	it('exchanges the password grant once and pages every product by search_after links', async () => {
		const rows = await run(getMany());
		expect(rows).toHaveLength(120);
		expect(new Set(rows.map((r) => r.json.uuid)).size).toBe(120);
		expect(rows[0].json).toMatchObject({ uuid: expect.any(String), sku: expect.any(String), values: expect.any(Object) });
		const log = sandbox.requests({ system: 'akeneo' });
		expect(log.map((r) => r.operation)).toEqual(['post_token', 'get_products_uuid', 'get_products_uuid']);
		expect(log[1].query).toMatchObject({ pagination_type: 'search_after', limit: '100' });
	});

	it('reads only products updated since a cursor', async () => {
		const since = new Date(clock.now() - 10.5 * 3_600_000).toISOString();
		const rows = await run(getMany({ updatedSince: since }));
		expect(rows).toHaveLength(10);
		const cut = Date.parse(since);
		expect(rows.every((r) => Date.parse(String(r.json.updated)) > cut)).toBe(true);
		const [bad] = await run(getMany({ updatedSince: 'last tuesday' }), [{}], { continueOnFail: true });
		expect(bad.json.error).toMatchObject({ field: 'updatedSince' });
	});

	it('renews an expired token once and carries on', async () => {
		const id = 'ak-expiry';
		await run(getMany({ returnAll: false, limit: 1 }), [{}], { credentialId: id });
		await clock.advance(3_600_000);
		const rows = await run(getMany({ returnAll: false, limit: 1 }), [{}], { credentialId: id });
		expect(rows).toHaveLength(1);
		expect(state().issued).toBeGreaterThanOrEqual(2);
	});

	it('turns a refused password into an auth error without retrying', async () => {
		const [denied] = await run(getMany({ returnAll: false, limit: 1 }), [{}], { continueOnFail: true, credentials: { password: 'wrong-password' } });
		expect(denied.json.error).toMatchObject({ kind: 'auth', status: 422, retryable: false, system: 'akeneo' });
		expect(JSON.stringify(denied.json)).not.toContain('wrong-password');
		expect(sandbox.requests({ system: 'akeneo' })).toHaveLength(1);
	});

	it('upserts 150 products in two PATCH calls, each line’s status becoming its item’s result', async () => {
		const existing = state().products[0];
		const items: IDataObject[] = Array.from({ length: 150 }, (_, i) => ({ sku: `NEW-${i}`, family: 'clothing', values: { name: [{ locale: 'en_US', scope: null, data: `New ${i}` }] } }));
		items[0] = { uuid: existing.uuid, values: { name: [{ locale: 'en_US', scope: null, data: 'Renamed' }] } };
		items[1] = { sku: 'BAD-1', family: 'no_such_family' };
		const out = await run({ resource: 'product', operation: 'upsert', product: (i: number) => items[i], correlationId: (i: number) => `c-${i}` }, items, { continueOnFail: true });
		expect(out).toHaveLength(150);
		expect(out[0].json).toMatchObject({ uuid: existing.uuid, status: 'updated', statusCode: 204, correlationId: 'c-0' });
		expect(out[1].json.error).toMatchObject({ kind: 'validation', status: 422, message: expect.stringMatching(/BAD-1.*family/) });
		expect(out[2].json).toMatchObject({ uuid: uuidForSku('NEW-2'), sku: 'NEW-2', status: 'created' });
		expect(sandbox.requests({ system: 'akeneo' }).filter((r) => r.operation === 'patch_products_uuid')).toHaveLength(2);
		const again = await run({ resource: 'product', operation: 'upsert', product: (i: number) => items[i + 2] }, items.slice(2, 4));
		expect(again.map((o) => o.json.status)).toEqual(['updated', 'updated']);
	});

	it('dry run outputs the exact PATCH and sends nothing', async () => {
		const out = await run({ resource: 'product', operation: 'upsert', product: { sku: 'DRY-1', values: {} }, dryRun: true });
		expect(out[0].json).toMatchObject({ status: 'dryRun', request: { method: 'PATCH', path: '/api/rest/v1/products-uuid', headers: { 'Content-Type': 'application/vnd.akeneo.collection+json' } } });
		expect(JSON.parse((out[0].json.request as { body: string }).body)).toEqual({ uuid: uuidForSku('DRY-1'), values: { sku: [{ locale: null, scope: null, data: 'DRY-1' }] } });
		expect(sandbox.requests({ system: 'akeneo' })).toHaveLength(0);
	});

	it('maps products read from the PIM into Shopify-ready channel products', async () => {
		const rows = await run(getMany({ returnAll: false, limit: 3 }));
		const mapped = await run(
			{ resource: 'product', operation: 'map', product: (_i: number, item: { json: IDataObject }) => item.json, locale: 'en_US', channel: 'ecommerce', fallbackLocale: '', titleAttribute: 'name', descriptionAttribute: 'description', priceAttribute: 'price', currencies: 'USD,EUR', imageAttributes: 'image', attributeMode: 'all', include: '' },
			rows.map((r) => r.json),
		);
		expect(mapped).toHaveLength(3);
		const first = mapped[0].json;
		expect(first).toMatchObject({ sku: rows[0].json.sku, handle: String(rows[0].json.sku).toLowerCase(), currency: 'USD', variants: [{ sku: rows[0].json.sku, price: expect.stringMatching(/^\d+\.\d\d$/) }] });
		expect(first.description).toMatch(/made to last/);
		expect((first.images as string[])[0]).toMatch(/\/api\/rest\/v1\/media-files\/.+\/download$/);
	});

	it('lists families, attributes and categories', async () => {
		for (const resource of ['family', 'attribute', 'category']) {
			const rows = await run({ resource, operation: 'getMany', returnAll: true });
			expect(rows.length).toBeGreaterThan(1);
			expect(rows[0].json).toHaveProperty('code');
			expect(rows[0].json).not.toHaveProperty('_links');
		}
	});

	it('waits for Retry-After on a 429, with the connection, instance and per-second limits in place', async () => {
		sandbox.configureLimit('akeneo', 'concurrency', { max: 4 });
		sandbox.setFaults('akeneo', { match: { path: '/products-uuid' }, burst429: { length: 1, retryAfterSeconds: 1, start: true } });
		const rows = await run(getMany({ returnAll: false, limit: 2 }));
		expect(rows).toHaveLength(2);
		const pages = sandbox.requests({ system: 'akeneo' }).filter((r) => r.operation === 'get_products_uuid');
		expect(pages.map((r) => r.status)).toEqual([429, 200]);
		const limits = sandbox.limits('akeneo').map((p) => p.name);
		expect(limits).toEqual(['concurrency', 'instance-concurrency', 'per-second']);
		// Six more calls back to back stay within every limit: no further 429.
		const many = await run(getMany({ returnAll: false, limit: 1 }), [{}, {}, {}, {}, {}, {}]);
		expect(many).toHaveLength(6);
		expect(sandbox.requests({ system: 'akeneo' }).filter((r) => r.status === 429)).toHaveLength(1);
	});
});

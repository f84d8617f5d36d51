import { ManualClock, startSandbox, type Sandbox } from '../../../sandbox';
import { SpecValidator } from '../../../sandbox/spec';
import { AKENEO_SANDBOX_ACCESS_TOKEN, AKENEO_SANDBOX_CONNECTION } from '../../../sandbox/systems/akeneo';

let sandbox: Sandbox;
let base: string;
const clock = new ManualClock();
const spec = SpecValidator.load('akeneo/akeneo-web-api.json.gz');
const bearer = { authorization: `Bearer ${AKENEO_SANDBOX_ACCESS_TOKEN}` };
const basic = (id: string = AKENEO_SANDBOX_CONNECTION.clientId, secret: string = AKENEO_SANDBOX_CONNECTION.clientSecret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function call(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
	const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, { method, headers: { ...bearer, ...init.headers }, body: init.body });
	const text = await res.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		/* NDJSON stays text */
	}
	return { status: res.status, headers: res.headers, body: body as Record<string, any>, text };
}

/**
 * Swagger 2 has no `nullable`, and the Akeneo spec types `locale`, `scope`, `parent` (and the
 * token's `scope`) as strings and every value's `data` as an object, while its own examples carry
 * `null` for them (319 `"scope": null` alone) and strings, arrays or numbers as `data`, depending
 * on the attribute type. Those findings are set aside; every other type, field and shape is
 * checked.
 */
const ARTEFACT = /\/(locale|scope|parent) must be string$|\/data must be object$/;

function conforms(method: string, path: string, status: number, body: unknown): void {
	const check = spec.validateResponse(method, path, status, body);
	const real = check.errors.filter((e) => !ARTEFACT.test(e));
	expect({ schemaFound: check.schemaFound, errors: real }).toEqual({ schemaFound: true, errors: [] });
}

const tokenRequest = (body: unknown, auth = basic()) =>
	call('POST', '/api/oauth/v1/token', { headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, systems: ['akeneo'], seed: { seed: 'ak-test', skus: 25, locations: 1 }, clock });
	base = sandbox.urlFor('akeneo');
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset('akeneo'));

describe('Akeneo sandbox', () => {
	it('exchanges the password grant, refreshes, and lets the token expire after expires_in', async () => {
		const { username, password } = AKENEO_SANDBOX_CONNECTION;
		const granted = await tokenRequest({ grant_type: 'password', username, password });
		expect(granted.status).toBe(200);
		conforms('POST', '/api/oauth/v1/token', 200, granted.body);
		expect(granted.body).toMatchObject({ expires_in: 3600, token_type: 'bearer', scope: null });
		const auth = { authorization: `Bearer ${granted.body.access_token}` };
		expect((await call('GET', '/api/rest/v1/families', { headers: auth })).status).toBe(200);
		await clock.advance(3_600_000);
		const expired = await call('GET', '/api/rest/v1/families', { headers: auth });
		expect(expired).toMatchObject({ status: 401, body: { code: 401, message: 'The access token provided has expired.' } });
		const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: granted.body.refresh_token });
		expect(refreshed.status).toBe(200);
		expect((await call('GET', '/api/rest/v1/families', { headers: { authorization: `Bearer ${refreshed.body.access_token}` } })).status).toBe(200);
		// A refresh token works once.
		expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: granted.body.refresh_token })).status).toBe(422);
	});

	it('refuses a wrong client (401), wrong user (422) and the wrong content type (415)', async () => {
		const { username, password } = AKENEO_SANDBOX_CONNECTION;
		expect((await tokenRequest({ grant_type: 'password', username, password }, basic('1_sandbox-client', 'nope'))).status).toBe(401);
		const wrongUser = await tokenRequest({ grant_type: 'password', username, password: 'nope' });
		expect(wrongUser.status).toBe(422);
		conforms('POST', '/api/oauth/v1/token', 422, wrongUser.body);
		const form = await call('POST', '/api/oauth/v1/token', { headers: { authorization: basic(), 'content-type': 'text/plain' }, body: 'x' });
		expect(form.status).toBe(415);
		expect((await call('GET', '/api/rest/v1/families', { headers: { authorization: 'Bearer made-up' } })).status).toBe(401);
	});

	it('pages products by search_after with _links.next to the end, conforming to the spec', async () => {
		let url: string | undefined = '/api/rest/v1/products-uuid?pagination_type=search_after&limit=10';
		const seen: string[] = [];
		let pages = 0;
		while (url) {
			const page = await call('GET', url);
			conforms('GET', '/api/rest/v1/products-uuid', 200, page.body);
			seen.push(...page.body._embedded.items.map((p: { uuid: string }) => p.uuid));
			url = page.body._links.next?.href;
			pages++;
		}
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(25);
		expect((await call('GET', '/api/rest/v1/products-uuid?limit=101')).body).toMatchObject({ code: 422, message: 'You cannot request more than 100 items.' });
	});

	it('filters on updated since, family and enabled, and checks the date format', async () => {
		const since = new Date(clock.now() - 5.5 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
		const search = encodeURIComponent(JSON.stringify({ updated: [{ operator: '>', value: since }] }));
		const recent = await call('GET', `/api/rest/v1/products-uuid?search=${search}&limit=100`);
		expect(recent.body._embedded.items).toHaveLength(5);
		const family = encodeURIComponent(JSON.stringify({ family: [{ operator: 'IN', value: ['accessories'] }] }));
		const accessories = await call('GET', `/api/rest/v1/products-uuid?search=${family}&limit=100`);
		expect(accessories.body._embedded.items.every((p: { family: string }) => p.family === 'accessories')).toBe(true);
		const bad = encodeURIComponent(JSON.stringify({ updated: [{ operator: '>', value: '2026-01-01T00:00:00Z' }] }));
		expect((await call('GET', `/api/rest/v1/products-uuid?search=${bad}`)).status).toBe(422);
	});

	it('applies a line-by-line PATCH with a status per line and checks size and content type', async () => {
		const list = await call('GET', '/api/rest/v1/products-uuid?limit=1');
		const existing = list.body._embedded.items[0];
		const lines = [
			{ uuid: existing.uuid, values: { name: [{ locale: 'en_US', scope: null, data: 'Renamed' }] } },
			{ uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6', family: 'clothing', values: { sku: [{ locale: null, scope: null, data: 'NEW-1' }], price: [{ locale: null, scope: null, data: [{ amount: '9.99', currency: 'EUR' }] }] } },
			{ uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa7', group: 'x' },
			{ uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa8', values: { name: [{ locale: null, scope: null, data: 'No locale' }] } },
		];
		const res = await call('PATCH', '/api/rest/v1/products-uuid', { headers: { 'content-type': 'application/vnd.akeneo.collection+json' }, body: lines.map((l) => JSON.stringify(l)).join('\n') });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('application/vnd.akeneo.collection+json');
		const out = res.text.trim().split('\n').map((l) => JSON.parse(l));
		expect(out.map((o) => o.status_code)).toEqual([204, 201, 422, 422]);
		expect(out[2].message).toMatch(/Property "group" does not exist/);
		expect(out[3].errors[0]).toMatchObject({ attribute: 'name', property: 'values' });
		const after = await call('GET', `/api/rest/v1/products-uuid/${existing.uuid}`);
		conforms('GET', '/api/rest/v1/products-uuid/{uuid}', 200, after.body);
		expect(after.body.values.name.find((v: { locale: string }) => v.locale === 'en_US').data).toBe('Renamed');
		expect(after.body.values.name.find((v: { locale: string }) => v.locale === 'fr_FR')).toBeDefined();
		const json = await call('PATCH', '/api/rest/v1/products-uuid', { headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(json.status).toBe(415);
		const many = Array.from({ length: 101 }, () => '{}').join('\n');
		expect((await call('PATCH', '/api/rest/v1/products-uuid', { headers: { 'content-type': 'application/vnd.akeneo.collection+json' }, body: many })).body).toMatchObject({ code: 413 });
	});

	it('lists families, attributes and categories by page, conforming to the spec', async () => {
		for (const path of ['families', 'attributes', 'categories']) {
			const res = await call('GET', `/api/rest/v1/${path}?limit=2&with_count=true`);
			conforms('GET', `/api/rest/v1/${path}`, 200, res.body);
			expect(res.body.current_page).toBe(1);
			expect(res.body._embedded.items.length).toBeGreaterThan(0);
		}
	});

	it('answers over-use with 429 and Retry-After', async () => {
		sandbox.configureLimit('akeneo', 'per-second', { rate: 1, burst: 1 });
		expect((await call('GET', '/api/rest/v1/families')).status).toBe(200);
		const refused = await call('GET', '/api/rest/v1/families');
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('1');
		expect(refused.body).toEqual({ code: 429, message: 'You have exceeded the limit of API requests per second.' });
	});
});

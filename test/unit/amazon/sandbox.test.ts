import Ajv from 'ajv';

import { ManualClock, startSandbox, type Sandbox } from '../../../sandbox';
import { loadSpecFile, SpecValidator } from '../../../sandbox/spec';
import { AMAZON_SANDBOX_ACCESS_TOKEN, AMAZON_SANDBOX_SELLER } from '../../../sandbox/systems/amazon';

const listingsSpec = SpecValidator.load('amazon/listingsItems_2021-08-01.json');
const feedsSpec = SpecValidator.load('amazon/feeds_2021-06-30.json');
const reportSchema = new Ajv({ strict: false }).compile(loadSpecFile('amazon/listings-feed-processing-report-schema-v2.json') as object);
let sandbox: Sandbox;
const clock = new ManualClock(Date.parse('2026-11-27T00:00:00Z'));
const H = { 'x-amz-access-token': AMAZON_SANDBOX_ACCESS_TOKEN, 'content-type': 'application/json' };

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, systems: ['amazon'], clock, seed: { seed: 'amz-sb', skus: 12, locations: 2 } });
});
afterAll(async () => sandbox.close());

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = H) => {
	const res = await fetch(`${sandbox.urlFor('amazon')}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};

describe('amazon sandbox', () => {
	const listings = `/listings/2021-08-01/items/${AMAZON_SANDBOX_SELLER}`;
	const sku = () => (sandbox.state('amazon') as { listings: Array<{ sku: string }> }).listings[0].sku;

	it('answers listings calls in the model’s shapes and applies an ACCEPTED patch later', async () => {
		const search = await call('GET', `${listings}?marketplaceIds=ATVPDKIKX0DER&pageSize=5&includedData=summaries,offers,fulfillmentAvailability`);
		listingsSpec.assertResponse('GET', listings, 200, search.body);
		expect(search.headers.get('x-amzn-ratelimit-limit')).toBe('5');
		const one = await call('GET', `${listings}/${sku()}?marketplaceIds=ATVPDKIKX0DER&includedData=summaries,attributes,issues,offers,fulfillmentAvailability`);
		listingsSpec.assertResponse('GET', `${listings}/${sku()}`, 200, one.body);
		const body = { productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 77 }] }] };
		expect(listingsSpec.validateRequest('PATCH', `${listings}/${sku()}`, body).valid).toBe(true);
		const patched = await call('PATCH', `${listings}/${sku()}?marketplaceIds=ATVPDKIKX0DER`, body);
		listingsSpec.assertResponse('PATCH', `${listings}/${sku()}`, 200, patched.body);
		expect(patched.body?.status).toBe('ACCEPTED');
		const quantity = () => (sandbox.state('amazon') as { listings: Array<{ quantity: number }> }).listings[0].quantity;
		expect(quantity()).not.toBe(77);
		await clock.advance(1000);
		expect(quantity()).toBe(77);
	});

	it('answers 429 QuotaExceeded when an operation’s bucket is empty', async () => {
		sandbox.reset('amazon');
		const results = [];
		for (let i = 0; i < 6; i++) results.push(await call('GET', `${listings}?marketplaceIds=ATVPDKIKX0DER`));
		expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
		listingsSpec.assertResponse('GET', listings, 429, results[5].body);
		expect(results[5].body).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
	});

	it('runs a feed through IN_QUEUE → DONE on the clock with a report that matches its schema', async () => {
		sandbox.reset('amazon');
		const doc = await call('POST', '/feeds/2021-06-30/documents', { contentType: 'application/json; charset=UTF-8' });
		feedsSpec.assertResponse('POST', '/feeds/2021-06-30/documents', 201, doc.body);
		const feed = { header: { sellerId: AMAZON_SANDBOX_SELLER, version: '2.0' }, messages: [
			{ messageId: 1, sku: sku(), operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 5 }] }] },
			{ messageId: 2, sku: 'MISSING', operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 5 }] }] },
		] };
		const wrongType = await fetch(String(doc.body?.url), { method: 'PUT', body: JSON.stringify(feed), headers: { 'content-type': 'text/plain' } });
		expect(wrongType.status).toBe(403);
		const upload = await fetch(String(doc.body?.url), { method: 'PUT', body: JSON.stringify(feed), headers: { 'content-type': 'application/json; charset=UTF-8' } });
		expect(upload.status).toBe(200);
		const created = await call('POST', '/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: ['ATVPDKIKX0DER'], inputFeedDocumentId: doc.body?.feedDocumentId });
		feedsSpec.assertResponse('POST', '/feeds/2021-06-30/feeds', 202, created.body);
		const status = async () => (await call('GET', `/feeds/2021-06-30/feeds/${String(created.body?.feedId)}`)).body as Record<string, unknown>;
		const queued = await status();
		feedsSpec.assertResponse('GET', `/feeds/2021-06-30/feeds/${String(created.body?.feedId)}`, 200, queued);
		expect(queued.processingStatus).toBe('IN_QUEUE');
		await clock.advance(6000);
		const done = await status();
		expect(done.processingStatus).toBe('DONE');
		feedsSpec.assertResponse('GET', `/feeds/2021-06-30/feeds/${String(created.body?.feedId)}`, 200, done);
		const resultDoc = await call('GET', `/feeds/2021-06-30/documents/${String(done.resultFeedDocumentId)}`);
		feedsSpec.assertResponse('GET', `/feeds/2021-06-30/documents/${String(done.resultFeedDocumentId)}`, 200, resultDoc.body);
		const report = (await (await fetch(String(resultDoc.body?.url))).json()) as { summary: unknown; issues: unknown };
		expect(reportSchema(report)).toBe(true);
		expect(report.summary).toMatchObject({ messagesProcessed: 2, messagesAccepted: 1, messagesInvalid: 1 });
		expect(report.issues).toEqual([expect.objectContaining({ messageId: 2, sku: 'MISSING', severity: 'ERROR' })]);
		const tampered = String(resultDoc.body?.url).replace(/X-Amz-Signature=./, 'X-Amz-Signature=0');
		expect((await fetch(tampered)).status).toBe(403);
	});

	it('refuses an unknown token with 403 Unauthorized', async () => {
		const res = await call('GET', `${listings}?marketplaceIds=ATVPDKIKX0DER`, undefined, { 'x-amz-access-token': 'Atza|nope' });
		expect(res.status).toBe(403);
		expect(res.body).toMatchObject({ errors: [{ code: 'Unauthorized' }] });
	});
});

import { InputError } from '../../../nodes/shared/n8n/errors';
import {
	associationPath,
	matchUpsertResults,
	searchBody,
	toProperties,
	toUpsertInput,
	type UpsertInput,
} from '../../../nodes/HubSpot/mappers';
import { classifyHubSpotBody, hubspotRateLimit, planLimits } from '../../../nodes/HubSpot/transport';

describe('HubSpot upsert inputs', () => {
	it('normalises an email id and stringifies property values', () => {
		const input = toUpsertInput({ objectType: 'contacts', idProperty: 'email', idValue: ' Jo@Example.COM ', properties: { firstname: 'Jo', orders: 3, vip: true, fax: null }, traceId: 'c-1' });
		expect(input).toEqual({ id: 'jo@example.com', idProperty: 'email', properties: { firstname: 'Jo', orders: '3', vip: 'true', fax: '' }, objectWriteTraceId: 'c-1' });
	});

	it('keeps a numeric order id as a string', () => {
		expect(toUpsertInput({ objectType: 'deals', idProperty: 'order_id', idValue: 1001, properties: '{"amount": 12.5}' })).toEqual({ id: '1001', idProperty: 'order_id', properties: { amount: '12.5' } });
	});

	it.each([
		[{ idProperty: 'email', idValue: 'not-an-email' }, 'idValue', /not an email/],
		[{ idProperty: 'email', idValue: '' }, 'idValue', /empty/],
		[{ idProperty: 'email', idValue: undefined }, 'idValue', /missing/],
		[{ idProperty: '', idValue: 'x' }, 'idProperty', /No unique property/],
	])('refuses %j naming the field', (given, field, message) => {
		let error: unknown;
		try {
			toUpsertInput({ objectType: 'contacts', properties: {}, ...given });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(InputError);
		expect((error as InputError).field).toBe(field);
		expect((error as InputError).message).toMatch(message);
	});

	it('refuses nested property values and bad JSON', () => {
		expect(() => toProperties({ tags: ['a'] })).toThrow(/holds a list/);
		expect(() => toProperties('{nope')).toThrow(/not valid JSON/);
		expect(() => toProperties([1])).toThrow(/must be an object/);
	});
});

describe('HubSpot batch upsert results', () => {
	const inputs: UpsertInput[] = [
		{ id: 'a@x.io', idProperty: 'email', properties: {} },
		{ id: 'b@x.io', idProperty: 'email', properties: {} },
		{ id: 'c@x.io', idProperty: 'email', properties: {} },
		{ id: 'd@x.io', idProperty: 'email', properties: {} },
	];

	it('matches results out of order by unique value, errors by context ids, and reports unanswered inputs', () => {
		const body = {
			status: 'COMPLETE',
			results: [
				{ id: '202', new: false, properties: { email: 'B@x.io' }, updatedAt: '2026-01-01T00:00:00Z' },
				{ id: 101, new: true, properties: { email: 'a@x.io' } },
			],
			numErrors: 1,
			errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: 'Property "x" does not exist', context: { ids: ['c@x.io'] } }],
		};
		const out = matchUpsertResults(body, inputs);
		expect(out[0]).toMatchObject({ ok: true, id: '101', created: true });
		expect(out[1]).toMatchObject({ ok: true, id: '202', created: false, updatedAt: '2026-01-01T00:00:00Z' });
		expect(out[2]).toMatchObject({ ok: false, category: 'VALIDATION_ERROR', message: 'Property "x" does not exist' });
		expect(out[3]).toMatchObject({ ok: false, message: expect.stringMatching(/without a result/) });
	});

	it('matches an error by its trace id only when that id is unique in the batch', () => {
		const traced = [
			{ id: 'o-1', idProperty: 'order_id', properties: {}, objectWriteTraceId: 't1' },
			{ id: 'o-2', idProperty: 'order_id', properties: {}, objectWriteTraceId: 'shared' },
			{ id: 'o-3', idProperty: 'order_id', properties: {}, objectWriteTraceId: 'shared' },
		];
		const body = { results: [], errors: [{ message: 'bad 1', objectWriteTraceId: 't1' }, { message: 'bad shared', objectWriteTraceId: 'shared' }] };
		const out = matchUpsertResults(body, traced);
		expect(out[0]).toMatchObject({ ok: false, message: 'bad 1' });
		expect(out[1]).toMatchObject({ ok: false, message: expect.stringMatching(/without a result/) });
	});
});

describe('HubSpot search bodies', () => {
	it('builds one AND group with IN lists, BETWEEN bounds and a sort', () => {
		const body = searchBody({
			filters: [
				{ propertyName: 'lifecyclestage', operator: 'in', value: 'lead, customer' },
				{ propertyName: 'amount', operator: 'BETWEEN', value: '10', highValue: '20' },
				{ propertyName: 'phone', operator: 'HAS_PROPERTY', value: 'ignored' },
			],
			properties: ['email'],
			sortBy: 'lastmodifieddate',
			direction: 'ASCENDING',
		});
		expect(body).toEqual({
			filterGroups: [{ filters: [
				{ propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'customer'] },
				{ propertyName: 'amount', operator: 'BETWEEN', value: '10', highValue: '20' },
				{ propertyName: 'phone', operator: 'HAS_PROPERTY' },
			] }],
			properties: ['email'],
			sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
		});
	});

	it('refuses unknown operators and more than 10 filters', () => {
		expect(() => searchBody({ filters: [{ propertyName: 'a', operator: 'LIKE' }], properties: [] })).toThrow(/unknown operator "LIKE"/);
		const many = Array.from({ length: 11 }, () => ({ propertyName: 'a', operator: 'EQ', value: '1' }));
		expect(() => searchBody({ filters: many, properties: [] })).toThrow(/allows 10/);
	});

	it('encodes association paths', () => {
		expect(associationPath('deals', '12', 'contacts', 'a/b')).toBe('/crm/v4/objects/deals/12/associations/default/contacts/a%2Fb');
	});
});

describe('HubSpot limits and throttling', () => {
	it('takes the plan’s limits, or the custom numbers', () => {
		expect(planLimits({ plan: 'professional', perTenSeconds: 0, daily: 0 })).toEqual({ perTenSeconds: 190, daily: 625_000 });
		expect(planLimits({ plan: 'custom', perTenSeconds: 50, daily: 1000 })).toEqual({ perTenSeconds: 50, daily: 1000 });
		expect(planLimits({ plan: 'unknown', perTenSeconds: 0, daily: 0 })).toEqual({ perTenSeconds: 100, daily: 250_000 });
		const spec = hubspotRateLimit({ plan: 'enterprise', perTenSeconds: 0, daily: 0 });
		expect(spec).toMatchObject({ kind: 'composite', parts: [{ name: '10s', limit: 190 }, { name: 'daily', limit: 1_000_000 }, { kind: 'tokenBucket' }] });
	});

	it('does not retry the daily limit but waits out the ten-second one', () => {
		const daily = classifyHubSpotBody({ status: 429, headers: {}, body: { status: 'error', policyName: 'DAILY', message: 'You have reached your daily limit.' } });
		expect(daily).toMatchObject({ kind: 'rateLimited', action: 'fail', code: 'DAILY' });
		const ten = classifyHubSpotBody({ status: 429, headers: {}, body: { policyName: 'TEN_SECONDLY_ROLLING' } });
		expect(ten).toMatchObject({ action: 'rateLimited', code: 'TEN_SECONDLY_ROLLING', retryAfterMs: 1000 });
		expect(classifyHubSpotBody({ status: 429, headers: { 'retry-after': '3' }, body: {} })).toMatchObject({ retryAfterMs: 3000 });
		expect(classifyHubSpotBody({ status: 200, headers: {}, body: {} })).toBeUndefined();
	});
});

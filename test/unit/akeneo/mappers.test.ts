import { InputError } from '../../../nodes/shared/n8n/errors';
import { checkMappingOptions, pickValue, pricesOf, toNeutralProduct, type MappingOptions } from '../../../nodes/Akeneo/mappers/mapping';
import {
	collectionBody,
	parseCollectionResponse,
	productSearch,
	toAkeneoDate,
	toProductLine,
	uuidForSku,
	type AkeneoProduct,
} from '../../../nodes/Akeneo/mappers/products';
import { akeneoMessage, akeneoRateLimit } from '../../../nodes/Akeneo/transport';

describe('Akeneo list filters', () => {
	it('turns an ISO time into the UTC date format Akeneo filters on', () => {
		expect(toAkeneoDate('2026-01-31T08:00:00+02:00')).toBe('2026-01-31 06:00:00');
		expect(toAkeneoDate('2026-01-31 06:00:00')).toBe('2026-01-31 06:00:00');
		expect(toAkeneoDate(Date.UTC(2026, 0, 1))).toBe('2026-01-01 00:00:00');
		expect(() => toAkeneoDate('yesterday')).toThrow(InputError);
	});

	it('combines updated-since, enabled, family and category filters', () => {
		expect(JSON.parse(productSearch({ updatedSince: '2026-01-01T00:00:00Z', enabled: 'enabled', families: ['shoes'], categories: ['summer'] })!)).toEqual({
			updated: [{ operator: '>', value: '2026-01-01 00:00:00' }],
			enabled: [{ operator: '=', value: true }],
			family: [{ operator: 'IN', value: ['shoes'] }],
			categories: [{ operator: 'IN', value: ['summer'] }],
		});
		expect(productSearch({ updatedSince: '', enabled: 'any' })).toBeUndefined();
	});
});

describe('Akeneo upsert lines', () => {
	it('derives the same v5-style uuid from a SKU every time', () => {
		const a = uuidForSku('TEE-S');
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(uuidForSku('TEE-S')).toBe(a);
		expect(uuidForSku('TEE-M')).not.toBe(a);
	});

	it('moves a top-level sku into values and keeps a given uuid', () => {
		const line = toProductLine({ sku: 'TEE-S', family: 'clothing', values: { name: [{ locale: 'en_US', scope: null, data: 'Tee' }] } });
		expect(line.uuid).toBe(uuidForSku('TEE-S'));
		expect(line.values?.sku).toEqual([{ locale: null, scope: null, data: 'TEE-S' }]);
		expect(line).not.toHaveProperty('sku');
		const kept = toProductLine({ uuid: '3FA85F64-5717-4562-B3FC-2C963F66AFA6', values: {} });
		expect(kept.uuid).toBe('3fa85f64-5717-4562-b3fc-2c963f66afa6');
	});

	it.each([
		[{ values: {} }, 'product.sku'],
		[{ uuid: 'nope', sku: 'A' }, 'product.uuid'],
		[{ sku: 'A', values: { name: 'Tee' } }, 'product.values.name'],
		['{bad', 'product'],
	])('refuses %j naming %s', (input, field) => {
		try {
			toProductLine(input);
			throw new Error('accepted');
		} catch (e) {
			expect(e).toBeInstanceOf(InputError);
			expect((e as InputError).field).toBe(field);
		}
	});

	it('writes one JSON product per line and reads per-line answers', () => {
		const body = collectionBody([{ uuid: 'u1' }, { uuid: 'u2' }]);
		expect(body.split('\n').map((l) => JSON.parse(l))).toEqual([{ uuid: 'u1' }, { uuid: 'u2' }]);
		const text = '{"line":1,"uuid":"u1","status_code":201}\n{"line":2,"uuid":"u2","status_code":422,"message":"Property \\"group\\" does not exist."}\n';
		expect(parseCollectionResponse(text)).toEqual([
			{ line: 1, uuid: 'u1', status_code: 201 },
			{ line: 2, uuid: 'u2', status_code: 422, message: 'Property "group" does not exist.' },
		]);
		expect(parseCollectionResponse({ line: 1, status_code: 204 })).toEqual([{ line: 1, status_code: 204 }]);
	});
});

describe('Akeneo product mapping', () => {
	const product: AkeneoProduct = {
		uuid: 'u-1',
		enabled: true,
		family: 'clothing',
		categories: ['tshirts'],
		updated: '2026-02-01T10:00:00+00:00',
		values: {
			sku: [{ locale: null, scope: null, data: 'TEE-Blue-M' }],
			name: [
				{ locale: 'en_US', scope: null, data: 'Blue tee' },
				{ locale: 'fr_FR', scope: null, data: 'Tee bleu' },
			],
			description: [
				{ locale: 'en_US', scope: 'print', data: 'Print text' },
				{ locale: 'en_US', scope: 'ecommerce', data: '<p>Web text</p>' },
			],
			price: [{ locale: null, scope: null, data: [{ amount: '15.5', currency: 'EUR' }, { amount: '17', currency: 'USD' }, { amount: null, currency: 'GBP' }] }],
			image: [{ locale: null, scope: null, data: 'a/b/c/tee.jpg', _links: { download: { href: 'https://pim/api/rest/v1/media-files/a/b/c/tee.jpg/download' } } }],
			gallery: [{ locale: null, scope: 'ecommerce', data: 'd/e/f/back.jpg' }],
			weight: [{ locale: null, scope: null, data: { amount: '0.2', unit: 'KILOGRAM' } }],
			color: [{ locale: null, scope: null, data: 'blue' }],
			material: [{ locale: 'de_DE', scope: null, data: 'Baumwolle' }],
		},
	};
	const options: MappingOptions = {
		locale: 'en_US',
		channel: 'ecommerce',
		titleAttribute: 'name',
		descriptionAttribute: 'description',
		priceAttribute: 'price',
		imageAttributes: ['image', 'gallery'],
		currencies: ['USD', 'EUR'],
		attributes: 'all',
		host: 'https://pim',
	};

	it('reads the locale and channel, keeps chosen currencies and feeds a Shopify variant', () => {
		const out = toNeutralProduct(product, options);
		expect(out).toMatchObject({
			sku: 'TEE-Blue-M',
			handle: 'tee-blue-m',
			title: 'Blue tee',
			description: '<p>Web text</p>',
			prices: { USD: '17.00', EUR: '15.50' },
			price: '17.00',
			currency: 'USD',
			images: ['https://pim/api/rest/v1/media-files/a/b/c/tee.jpg/download', 'https://pim/api/rest/v1/media-files/d/e/f/back.jpg/download'],
			attributes: { weight: { amount: '0.2', unit: 'KILOGRAM' }, color: 'blue' },
			variants: [{ sku: 'TEE-Blue-M', price: '17.00' }],
			family: 'clothing',
			categories: ['tshirts'],
			enabled: true,
			source: 'akeneo',
		});
		expect(out.attributes).not.toHaveProperty('material');
	});

	it('falls back to another locale, and limits attributes to a list', () => {
		const fr = toNeutralProduct(product, { ...options, locale: 'fr_FR', attributes: 'include', include: ['material', 'color'], fallbackLocale: 'de_DE' });
		expect(fr.title).toBe('Tee bleu');
		expect(fr.description).toBe('');
		expect(fr.attributes).toEqual({ color: 'blue', material: 'Baumwolle' });
	});

	it('fails a product without a title in the locale, naming the fix', () => {
		expect(() => toNeutralProduct(product, { ...options, locale: 'es_ES' })).toThrow(/no name for locale es_ES and channel ecommerce/);
		expect(() => toNeutralProduct({ uuid: 'x', values: {} }, options)).toThrow(/has no SKU/);
		expect(() => checkMappingOptions({ ...options, channel: ' ' })).toThrow(/No channel/);
	});

	it('prefers the exact locale+scope value', () => {
		expect(pickValue(product.values!.description, 'en_US', 'print')?.data).toBe('Print text');
		expect(pricesOf('x', [])).toEqual({});
	});
});

describe('Akeneo transport', () => {
	it('caps the connection’s concurrency at the instance limit', () => {
		expect(akeneoRateLimit({ concurrency: 25, requestsPerSecond: 50 })).toEqual({
			kind: 'composite',
			parts: [{ kind: 'concurrency', slots: 10 }, { kind: 'tokenBucket', ratePerSec: 50, burst: 50 }],
		});
		expect(akeneoRateLimit({ concurrency: 0, requestsPerSecond: Number.NaN })).toMatchObject({ parts: [{ slots: 4 }, { ratePerSec: 100 }] });
	});

	it('names the property of a validation error', () => {
		expect(akeneoMessage({ code: 422, message: 'Validation failed.', errors: [{ property: 'values', attribute: 'name', message: 'too long' }] })).toBe('Validation failed. (name: too long)');
	});
});

import { generateCatalog } from '../../sandbox/catalog';
import { createRng } from '../../sandbox/rng';
import { compilePattern, Router } from '../../sandbox/router';

describe('seeded PRNG', () => {
	it('repeats for the same seed and label, differs otherwise, and forks independent streams', () => {
		const draw = (seed: number | string, label?: string) =>
			Array.from(
				{ length: 5 },
				(
					(r) => () =>
						r.next()
				)(createRng(seed, label)),
			);
		expect(draw(42)).toEqual(draw(42));
		expect(draw(42)).not.toEqual(draw(43));
		expect(draw(42, 'a')).not.toEqual(draw(42, 'b'));
		expect(draw('42')).toEqual(draw(42));
		const rng = createRng('x');
		const ints = Array.from({ length: 2000 }, () => rng.int(1, 6));
		expect(Math.min(...ints)).toBe(1);
		expect(Math.max(...ints)).toBe(6);
		expect(() => rng.int(3, 1)).toThrow('min <= max');
		expect(() => rng.pick([])).toThrow('non-empty');
	});
});

describe('generateCatalog', () => {
	it('is identical for the same seed and different for another seed', () => {
		const a = generateCatalog({ seed: 'demo', skus: 40, locations: 3 });
		expect(generateCatalog({ seed: 'demo', skus: 40, locations: 3 })).toEqual(a);
		const b = generateCatalog({ seed: 'demo-2', skus: 40, locations: 3 });
		expect(b.items.map((i) => i.price)).not.toEqual(a.items.map((i) => i.price));
		expect(b.locations.map((l) => l.id)).not.toEqual(a.locations.map((l) => l.id));
	});

	it('builds N SKUs x M locations with well-formed codes, prices and quantities', () => {
		const c = generateCatalog({ seed: 1, skus: 200, locations: 4 });
		expect(c.spec).toEqual({ seed: '1', skus: 200, locations: 4 });
		expect(c.locations).toHaveLength(4);
		expect(new Set(c.locations.map((l) => l.id)).size).toBe(4);
		for (const l of c.locations) {
			expect(l.id).toMatch(/^\d+$/);
			expect(l.code).toMatch(/^WH-\d{2}$/);
			expect(l.name).toContain('Warehouse');
		}
		expect(c.items).toHaveLength(200);
		expect(new Set(c.items.map((i) => i.sku)).size).toBe(200);
		let zeros = 0;
		for (const item of c.items) {
			expect(item.sku).toMatch(/^[A-Z]{3}-[A-Z]{3}-(XS|S|M|L|XL|OS)-\d{5}$/);
			expect(item.price).toMatch(/^\d+\.\d{2}$/);
			expect(item.cost).toMatch(/^\d+\.\d{2}$/);
			expect(Number(item.cost)).toBeLessThan(Number(item.price));
			if (item.compareAtPrice !== null)
				expect(Number(item.compareAtPrice)).toBeGreaterThan(Number(item.price));
			// GTIN-13 check digit.
			const digits = item.barcode.split('').map(Number);
			const sum = digits.slice(0, 12).reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
			expect(digits[12]).toBe((10 - (sum % 10)) % 10);
			expect(item.stock.map((s) => s.locationId)).toEqual(c.locations.map((l) => l.id));
			for (const s of item.stock) {
				for (const q of [s.onHand, s.committed, s.reserved, s.incoming, s.available]) {
					expect(Number.isInteger(q)).toBe(true);
					expect(q).toBeGreaterThanOrEqual(0);
				}
				expect(s.available).toBe(Math.max(0, s.onHand - s.committed - s.reserved));
				if (s.onHand === 0) zeros++;
			}
		}
		// Some sold-out locations, but not most.
		expect(zeros).toBeGreaterThan(40);
		expect(zeros).toBeLessThan(200);
	});

	it('is deterministic for small sizes too, and allows zero SKUs', () => {
		const small = generateCatalog({ seed: 9, skus: 5, locations: 2 });
		expect(generateCatalog({ seed: 9, skus: 5, locations: 2 })).toEqual(small);
		expect(generateCatalog({ seed: 9, skus: 0, locations: 1 }).items).toEqual([]);
	});

	it('rejects a bad spec naming the field and the fix', () => {
		expect(() => generateCatalog({ seed: 1, skus: 1.5, locations: 1 })).toThrow(
			'"skus" must be an integer from 0 to 100000, got 1.5',
		);
		expect(() => generateCatalog({ seed: 1, skus: 1, locations: 0 })).toThrow(
			'"locations" must be an integer from 1 to 100',
		);
		expect(() => generateCatalog({ seed: '', skus: 1, locations: 1 })).toThrow(
			'"seed" is required',
		);
	});
});

describe('router', () => {
	it('matches params, literal colons, a trailing wildcard and reports wrong methods', () => {
		const r = new Router<string>();
		r.add('GET', '/orders/:id', 'order');
		r.add('POST', '/inventory/history:query', 'history');
		r.add('GET', '/record/v1/inventoryItem/:key', 'item');
		r.add('*', '/files/*', 'files');
		expect(r.match('GET', '/orders/A%2FB')).toMatchObject({ kind: 'found', params: { id: 'A/B' } });
		expect(r.match('GET', '/orders/1/')).toMatchObject({ kind: 'found' });
		expect(r.match('POST', '/inventory/history:query')).toMatchObject({
			kind: 'found',
			route: { value: 'history' },
		});
		expect(r.match('GET', '/record/v1/inventoryItem/eid:SKU-1')).toMatchObject({
			params: { key: 'eid:SKU-1' },
		});
		expect(r.match('PUT', '/files/a/b')).toMatchObject({ params: { '*': 'a/b' } });
		expect(r.match('DELETE', '/orders/1')).toEqual({ kind: 'methodNotAllowed', allowed: ['GET'] });
		expect(r.match('GET', '/nothing')).toEqual({ kind: 'notFound' });
		expect(() => compilePattern('orders')).toThrow('must start with "/"');
	});
});

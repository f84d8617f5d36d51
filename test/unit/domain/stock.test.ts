import { QuantityError, describe as describeValue, levelKey, toId, toQuantity } from '../../../nodes/shared/core/domain/stock';

describe('toQuantity', () => {
	it.each([
		[5, 5],
		['12', 12],
		[' 7 ', 7],
		['3.0', 3],
		[0, 0],
		[-0, 0],
	])('accepts %p as %p', (input, expected) => {
		expect(Object.is(toQuantity(input, 'onHand'), expected)).toBe(true);
	});

	it.each([
		[1.5, /whole number.*1\.5.*round it first/],
		['2.5', /whole number/],
		['abc', /whole number, got "abc"/],
		[null, /got null/],
		[undefined, /got nothing/],
		[{}, /got an object/],
		[NaN, /whole number/],
		[Infinity, /whole number/],
		['', /whole number/],
	])('refuses %p naming the field and the fix', (input, message) => {
		expect(() => toQuantity(input, 'onHand')).toThrow(QuantityError);
		expect(() => toQuantity(input, 'onHand')).toThrow(message);
		try {
			toQuantity(input, 'onHand');
		} catch (error) {
			expect((error as QuantityError).field).toBe('onHand');
		}
	});

	it('refuses negatives unless the caller allows them', () => {
		expect(() => toQuantity(-3, 'available')).toThrow(/must not be negative, got -3/);
		expect(toQuantity(-3, 'onHand', true)).toBe(-3);
		expect(toQuantity('-4', 'onHand', true)).toBe(-4);
	});
});

describe('toId', () => {
	it('keeps strings (trimmed) and turns safe integers into strings', () => {
		expect(toId(' gid://shopify/Location/1 ', 'locationId')).toBe('gid://shopify/Location/1');
		expect(toId(42, 'id')).toBe('42');
		expect(toId(BigInt('12345678901234567890'), 'id')).toBe('12345678901234567890');
	});

	it('refuses numbers that already lost digits, and empties', () => {
		expect(() => toId(2 ** 60, 'inventoryItemId')).toThrow(/too large to be exact.*send ids as strings/);
		expect(() => toId('', 'id')).toThrow(/"id" must be a non-empty id/);
		expect(() => toId(undefined, 'sku')).toThrow(/got nothing/);
	});
});

describe('helpers', () => {
	it('describes values briefly', () => {
		expect(describeValue('x'.repeat(50))).toMatch(/…"$/);
		expect(describeValue([1])).toBe('a list');
	});

	it('keys levels without ambiguity between sku and location', () => {
		expect(levelKey('A', 'B1')).not.toBe(levelKey('AB', '1'));
	});
});

import { parseRetryAfter } from '../../../nodes/shared/core/resilience/retryAfter';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
	it('reads delta-seconds as seconds, not milliseconds', () => {
		expect(parseRetryAfter('60', NOW)).toBe(60_000);
		expect(parseRetryAfter('0', NOW)).toBe(0);
		expect(parseRetryAfter(' 2 ', NOW)).toBe(2_000);
	});

	it('reads fractional seconds and rounds up to a whole millisecond', () => {
		expect(parseRetryAfter('0.5', NOW)).toBe(500);
		expect(parseRetryAfter('1.0005', NOW)).toBe(1_001);
	});

	it('reads an HTTP date as the time left until it', () => {
		expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000);
		expect(parseRetryAfter('Sunday, 01-Mar-26 12:01:00 GMT', NOW)).toBe(60_000);
		expect(parseRetryAfter('Sun Mar  1 12:00:05 2026', NOW)).toBe(5_000);
	});

	it('turns a date in the past into no wait', () => {
		expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
	});

	it.each([
		['soon'],
		['-5'],
		['1e3'],
		['tomorrow'],
		[''],
		['  '],
		['12s'],
		['0x10'],
		['2026-03-01'],
	])('returns undefined for junk %p', (value) => {
		expect(parseRetryAfter(value, NOW)).toBeUndefined();
	});

	it('returns undefined for a missing header', () => {
		expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
		expect(parseRetryAfter(null, NOW)).toBeUndefined();
	});
});

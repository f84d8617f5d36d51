import { backoffCeiling, fullJitterBackoff } from '../../../nodes/shared/core/resilience/backoff';

describe('full jitter backoff', () => {
	const options = { baseMs: 100, capMs: 1_000 };

	it('doubles the ceiling per attempt up to the cap', () => {
		expect([1, 2, 3, 4, 5, 6].map((a) => backoffCeiling(a, options))).toEqual([
			100, 200, 400, 800, 1_000, 1_000,
		]);
		expect(backoffCeiling(10_000, options)).toBe(1_000);
	});

	it('stays within [0, ceiling] for the extremes of the random source', () => {
		for (const attempt of [1, 2, 3, 4, 5]) {
			expect(fullJitterBackoff(attempt, options, () => 0)).toBe(0);
			expect(fullJitterBackoff(attempt, options, () => 0.999_999)).toBe(
				backoffCeiling(attempt, options),
			);
		}
	});

	it('scales linearly with the random value', () => {
		expect(fullJitterBackoff(3, options, () => 0.5)).toBe(200);
		expect(fullJitterBackoff(1, options, () => 0.25)).toBe(25);
	});
});

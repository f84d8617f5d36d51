/**
 * Seeded pseudo-random numbers for the sandbox. Everything random in the sandbox (catalog data,
 * fault injection, jitter, generated ids) draws from one of these, never from Math.random, so a
 * run is reproducible from its seed: same seed, same catalog, same faults in the same order.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through xmur3 so a
 * seed can be any string or number and each `label` gives an independent stream.
 */

/** A seed as the operator gives it: a number or any string. */
export type Seed = number | string;

/** A deterministic random source. */
export interface Rng {
	/** Uniform float in [0, 1). */
	next(): number;
	/** Uniform integer in [min, max] (both inclusive). */
	int(min: number, max: number): number;
	/** True with probability `p` (always draws once, so the stream position never depends on p). */
	chance(p: number): boolean;
	/** One element of a non-empty list. */
	pick<T>(items: readonly T[]): T;
	/** A new independent stream derived from this one's seed and `label`. */
	fork(label: string): Rng;
}

function xmur3(text: string): () => number {
	let h = 1779033703 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
		h = (h << 13) | (h >>> 19);
	}
	return () => {
		h = Math.imul(h ^ (h >>> 16), 2246822507);
		h = Math.imul(h ^ (h >>> 13), 3266489909);
		h ^= h >>> 16;
		return h >>> 0;
	};
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
	return () => {
		a >>>= 0;
		b >>>= 0;
		c >>>= 0;
		d >>>= 0;
		let t = (a + b) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		d = (d + 1) | 0;
		t = (t + d) | 0;
		c = (c + t) | 0;
		return (t >>> 0) / 4294967296;
	};
}

/**
 * Creates a seeded generator. `label` separates streams that share a seed (for example one per
 * system), so adding draws to one stream never shifts another.
 */
export function createRng(seed: Seed, label = ''): Rng {
	const key = `${String(seed)}\u0000${label}`;
	const hash = xmur3(key);
	const raw = sfc32(hash(), hash(), hash(), hash());
	// The first outputs of sfc32 are weakly mixed; discard a few as its author recommends.
	for (let i = 0; i < 12; i++) raw();
	const rng: Rng = {
		next: raw,
		int(min, max) {
			if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
				throw new RangeError(`rng.int needs integers with min <= max, got ${min}..${max}`);
			}
			return min + Math.floor(raw() * (max - min + 1));
		},
		chance(p) {
			return raw() < p;
		},
		pick(items) {
			if (items.length === 0) throw new RangeError('rng.pick needs a non-empty list');
			return items[Math.floor(raw() * items.length)];
		},
		fork(child) {
			return createRng(seed, label ? `${label}/${child}` : child);
		},
	};
	return rng;
}

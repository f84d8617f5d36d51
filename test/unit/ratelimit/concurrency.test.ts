import { ConcurrencyLimiter } from '../../../nodes/shared/core/ratelimit/concurrency';
import { FakeClock } from '../../helpers/fakeClock';

const tick = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyLimiter', () => {
	it('never has more than N in flight under many parallel acquires, and finishes them all', async () => {
		const clock = new FakeClock();
		const limiter = new ConcurrencyLimiter({ clock, slots: 3 });
		let inFlight = 0;
		let peak = 0;
		const durations = Array.from({ length: 40 }, (_, i) => ((i * 37) % 11) * 10 + 5);
		const done = await Promise.all(
			durations.map(async (ms, i) => {
				const permit = await limiter.acquire({});
				try {
					inFlight++;
					peak = Math.max(peak, inFlight);
					await clock.sleep(ms);
					if (i % 7 === 0) throw new Error('request failed');
					return i;
				} catch {
					return i;
				} finally {
					inFlight--;
					permit.release();
				}
			}),
		);
		expect(done).toHaveLength(40);
		expect(peak).toBe(3);
		expect(limiter.inFlight).toBe(0);
		expect(limiter.queued).toBe(0);
	});

	it('grants slots in arrival order', async () => {
		const clock = new FakeClock();
		const limiter = new ConcurrencyLimiter({ clock, slots: 1 });
		const held = await limiter.acquire({});
		const order: string[] = [];
		const waiters = ['a', 'b', 'c'].map((name) =>
			limiter.acquire({}).then((permit) => {
				order.push(name);
				permit.release();
			}),
		);
		await tick();
		expect(limiter.queued).toBe(3);
		held.release();
		await Promise.all(waiters);
		expect(order).toEqual(['a', 'b', 'c']);
	});

	it('ignores a second release of the same permit', async () => {
		const clock = new FakeClock();
		const limiter = new ConcurrencyLimiter({ clock, slots: 2 });
		const a = await limiter.acquire({});
		await limiter.acquire({});
		a.release();
		a.release();
		expect(limiter.inFlight).toBe(1);
	});

	it('drops an aborted waiter and hands the slot to the next one', async () => {
		const clock = new FakeClock();
		const limiter = new ConcurrencyLimiter({ clock, slots: 1 });
		const held = await limiter.acquire({});
		const controller = new AbortController();
		const aborted = limiter.acquire({}, controller.signal);
		const next = limiter.acquire({});
		await tick();
		controller.abort();
		await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
		expect(limiter.queued).toBe(1);
		held.release();
		await expect(next).resolves.toBeDefined();
		expect(limiter.inFlight).toBe(1);
	});

	it('grants waiting requests when slots are raised and holds back when lowered', async () => {
		const clock = new FakeClock();
		const limiter = new ConcurrencyLimiter({ clock, slots: 1 });
		const a = await limiter.acquire({});
		const b = limiter.acquire({});
		await tick();
		limiter.setSlots(2);
		const bPermit = await b;
		expect(limiter.inFlight).toBe(2);
		limiter.setSlots(1);
		const c = limiter.acquire({});
		a.release();
		await tick();
		expect(limiter.queued).toBe(1);
		bPermit.release();
		await c;
		expect(limiter.inFlight).toBe(1);
	});

	it('pauses new acquires for a server wait', async () => {
		const clock = new FakeClock();
		const limiter = new ConcurrencyLimiter({ clock, slots: 5 });
		limiter.onRateLimited(2_500);
		await limiter.acquire({});
		expect(clock.now()).toBe(2_500);
	});

	it('rejects a slot count that is not a positive integer', () => {
		const clock = new FakeClock();
		expect(() => new ConcurrencyLimiter({ clock, slots: 0 })).toThrow(
			/slots must be an integer ≥ 1, got 0/,
		);
		expect(() => new ConcurrencyLimiter({ clock, slots: 2.5 })).toThrow(/got 2.5/);
	});
});

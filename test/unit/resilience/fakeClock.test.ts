import { FakeClock } from '../../helpers/fakeClock';

describe('FakeClock', () => {
	it('advances virtual time to each wake-up without real waiting', async () => {
		const clock = new FakeClock(1_000);
		const started = Date.now();
		await clock.sleep(60 * 60 * 1000);
		expect(clock.now()).toBe(1_000 + 3_600_000);
		expect(Date.now() - started).toBeLessThan(1_000);
	});

	it('wakes concurrent sleepers in time order, ties in call order', async () => {
		const clock = new FakeClock();
		const woke: string[] = [];
		const nap = (name: string, ms: number) =>
			clock.sleep(ms).then(() => woke.push(`${name}@${clock.now()}`));
		await Promise.all([nap('a', 300), nap('b', 100), nap('c', 200), nap('d', 100)]);
		expect(woke).toEqual(['b@100', 'd@100', 'c@200', 'a@300']);
	});

	it('lets code woken early schedule a sleep that ends before later sleepers', async () => {
		const clock = new FakeClock();
		const woke: string[] = [];
		const chained = clock
			.sleep(100)
			.then(() => clock.sleep(50))
			.then(() => woke.push(`chain@${clock.now()}`));
		const long = clock.sleep(200).then(() => woke.push(`long@${clock.now()}`));
		await Promise.all([chained, long]);
		expect(woke).toEqual(['chain@150', 'long@200']);
	});

	it('rejects an aborted sleep and does not move time for it', async () => {
		const clock = new FakeClock();
		const controller = new AbortController();
		const sleeping = clock.sleep(5_000, controller.signal);
		controller.abort();
		await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
		expect(clock.now()).toBe(0);
		expect(clock.pendingSleeps).toBe(0);
	});

	it('advance() jumps time and an overdue sleeper wakes at the new time', async () => {
		const clock = new FakeClock();
		const sleeping = clock.sleep(1_000).then(() => clock.now());
		clock.advance(5_000);
		expect(clock.now()).toBe(5_000);
		await expect(sleeping).resolves.toBe(5_000);
		expect(clock.sleeps).toEqual([1_000]);
	});

	it('resolves zero and negative sleeps at once without moving time', async () => {
		const clock = new FakeClock(10);
		await clock.sleep(0);
		await clock.sleep(-5);
		expect(clock.now()).toBe(10);
	});
});

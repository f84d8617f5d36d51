import { mkdtempSync, readFileSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { JournalStore } from '../../../nodes/shared/n8n/state/journalStore';
import { ManualClock, stateStoreContract } from './contract';

const dir = mkdtempSync(join(tmpdir(), 'cs-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

stateStoreContract('embedded journal (Node 20)', {
	open: (clock) => JournalStore.open(join(dir, 'contract.journal'), { clock }),
	reopen: async (store, clock) => {
		await store.close();
		return await JournalStore.open(join(dir, 'contract.journal'), { clock });
	},
});

stateStoreContract('embedded journal, compacting constantly', {
	open: (clock) => JournalStore.open(join(dir, 'compact.journal'), { clock, compactAfterLines: 5 }),
	reopen: async (store, clock) => {
		await store.close();
		return await JournalStore.open(join(dir, 'compact.journal'), { clock, compactAfterLines: 5 });
	},
});

describe('journal file', () => {
	it('drops a torn last line left by a crash and keeps everything before it', async () => {
		const file = join(dir, 'torn.journal');
		const clock = new ManualClock();
		const store = await JournalStore.open(file, { clock });
		await store.record('n', 'a', { ttlMs: 60_000 });
		await store.close();
		appendFileSync(file, '{"t":"k","n":"n","k":"b","s":"c","o":"","e":9');
		const reopened = await JournalStore.open(file, { clock });
		expect((await reopened.record('n', 'a', { ttlMs: 60_000 })).status).toBe('duplicate');
		expect((await reopened.record('n', 'b', { ttlMs: 60_000 })).status).toBe('acquired');
		await reopened.close();
		expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
	});

	it('refuses a journal damaged in the middle, naming the file and line', async () => {
		const file = join(dir, 'damaged.journal');
		writeFileSync(file, '{"t":"kc","n":"x"}\nnot json\n{"t":"kc","n":"y"}\n');
		await expect(JournalStore.open(file)).rejects.toThrow(/damaged\.journal is damaged at line 2/);
	});

	it('compaction drops expired keys and shrinks the file', async () => {
		const file = join(dir, 'shrink.journal');
		const clock = new ManualClock();
		const store = await JournalStore.open(file, { clock, compactAfterLines: 100 });
		for (let i = 0; i < 90; i++) await store.record('n', `old-${i}`, { ttlMs: 1000 });
		clock.advance(1000);
		for (let i = 0; i < 20; i++) await store.record('n', `new-${i}`, { ttlMs: 1000 });
		const lines = readFileSync(file, 'utf8').trim().split('\n');
		expect(lines.length).toBeLessThan(40);
		expect(store.recordCount).toBe(20);
		await store.close();
	});

	it('will not open the same file twice in one process', async () => {
		const file = join(dir, 'twice.journal');
		const store = await JournalStore.open(file);
		await expect(JournalStore.open(file)).rejects.toThrow(/already open/);
		await store.close();
	});

	it('refuses a file another live process holds', async () => {
		const file = join(dir, 'locked.journal');
		// pid 1 is always alive; it stands for another n8n process holding the lock.
		writeFileSync(`${file}.lock`, '1');
		await expect(JournalStore.open(file)).rejects.toThrow(/in use by another process \(pid 1\).*Postgres or Redis/);
		rmSync(`${file}.lock`);
	});
});

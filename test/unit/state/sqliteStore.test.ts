import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteStore, loadSqlite } from '../../../nodes/shared/n8n/state/sqliteStore';
import { stateStoreContract } from './contract';

// node:sqlite exists unflagged from Node 22.13; on Node 20 (this repo's default test runtime) the
// journal store is the embedded backend and this suite is skipped. Run it with Node 24:
//   <node24> node_modules/.bin/jest test/unit/state/sqliteStore.test.ts
const available = loadSqlite() !== undefined;
if (!available) console.warn(`node:sqlite is not available on Node ${process.version}: SQLite store suite skipped`);

const dir = mkdtempSync(join(tmpdir(), 'cs-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

(available ? describe : describe.skip)('embedded SQLite store', () => {
	stateStoreContract('embedded SQLite (Node ≥ 22.13)', {
		open: async (clock) => SqliteStore.open(join(dir, 'state.sqlite'), { clock }),
		reopen: async (store, clock) => {
			await store.close();
			return SqliteStore.open(join(dir, 'state.sqlite'), { clock });
		},
	});
});

describe('node:sqlite detection', () => {
	it('matches what this Node version offers', () => {
		const [major, minor] = process.versions.node.split('.').map(Number);
		const expected = major > 22 || (major === 22 && minor >= 13);
		expect(available).toBe(expected);
	});
});

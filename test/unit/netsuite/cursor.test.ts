import {
	advance,
	readCursor,
	readFrom,
	shiftStamp,
	type ChangeRow,
} from '../../../nodes/NetSuite/trigger/cursor';

const row = (id: string, changedAt: string): ChangeRow => ({ id, changedAt });

describe('NetSuite change cursor', () => {
	const start = { since: '2026-01-15 10:00:00', seen: ['1@2026-01-15 10:00:00'] };

	it('reads from the overlap window before the newest emitted stamp', () => {
		expect(readFrom(start, 120)).toBe('2026-01-15 09:58:00');
		expect(shiftStamp('2026-01-01 00:00:30', -60)).toBe('2025-12-31 23:59:30');
	});

	it('skips rows already emitted, and emits a row again when it changed again', () => {
		const { emit, cursor } = advance(
			start,
			[
				row('1', '2026-01-15 10:00:00'),
				row('2', '2026-01-15 10:00:00'),
				row('1', '2026-01-15 10:00:05'),
			],
			100,
			120,
		);
		expect(emit.map((r) => `${r.id}@${r.changedAt}`)).toEqual([
			'2@2026-01-15 10:00:00',
			'1@2026-01-15 10:00:05',
		]);
		expect(cursor.since).toBe('2026-01-15 10:00:05');
		expect(cursor.seen.sort()).toEqual([
			'1@2026-01-15 10:00:00',
			'1@2026-01-15 10:00:05',
			'2@2026-01-15 10:00:00',
		]);
	});

	it('catches a change committed late with an older stamp, inside the overlap', () => {
		const after = advance(start, [row('5', '2026-01-15 10:01:00')], 100, 120).cursor;
		// Row 6 was saved at 10:00:30 but became visible only after the poll that emitted row 5.
		const next = advance(
			after,
			[row('5', '2026-01-15 10:01:00'), row('6', '2026-01-15 10:00:30')].sort((a, b) =>
				a.changedAt.localeCompare(b.changedAt),
			),
			100,
			120,
		);
		expect(next.emit.map((r) => r.id)).toEqual(['6']);
		expect(next.cursor.since).toBe('2026-01-15 10:01:00');
	});

	it('never moves past rows left for the next poll, and forgets keys older than the window', () => {
		const rows = [
			row('7', '2026-01-15 10:05:00'),
			row('8', '2026-01-15 10:05:00'),
			row('9', '2026-01-15 10:06:00'),
		];
		const first = advance(start, rows, 1, 120);
		expect(first.emit.map((r) => r.id)).toEqual(['7']);
		expect(first.cursor.since).toBe('2026-01-15 10:05:00');
		expect(first.cursor.seen).toEqual(['7@2026-01-15 10:05:00']);
		const second = advance(first.cursor, rows, 10, 120);
		expect(second.emit.map((r) => r.id)).toEqual(['8', '9']);
	});

	it('reads cursors back defensively', () => {
		expect(readCursor({ since: 'x', seen: [] })).toBeUndefined();
		expect(readCursor(start)).toEqual(start);
		expect(readCursor(undefined)).toBeUndefined();
	});
});

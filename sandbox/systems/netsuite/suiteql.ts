/**
 * A SuiteQL subset, enough for what the Commerce Sync nodes send: `SELECT cols FROM table
 * [WHERE …] [ORDER BY col [ASC|DESC], …]` over one table, with AND / OR / NOT, parentheses,
 * = <> != < <= > >=, IN (…), IS [NOT] NULL, string and number literals, TO_CHAR(col, fmt) in the
 * select list and TO_TIMESTAMP('…', fmt) in conditions. Column names come back lower-cased and
 * values as strings; NULLs are left out of rows, as NetSuite does.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156257770590.html
 */

/** A stored value: strings, numbers, timestamps (ms, as `{ ts }`) or null. */
export type Cell = string | number | { ts: number } | null;

/** A table: its columns and how to list its rows. */
export interface Table {
	columns: ReadonlySet<string>;
	rows(): Iterable<Record<string, Cell>>;
	/** Rows whose `column` equals `value`, for a WHERE that pins that column (an index). */
	index?: { column: string; rows(value: number | string): Iterable<Record<string, Cell>> };
}

/** A parse or name error, answered as NetSuite's 400 INVALID_PARAMETER. */
export class SuiteqlError extends Error {}

type Token = { kind: 'word' | 'number' | 'string' | 'op' | 'punct'; value: string };

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === "'") {
			let value = '';
			i++;
			for (;;) {
				if (i >= text.length) throw new SuiteqlError('Unterminated string literal');
				if (text[i] === "'" && text[i + 1] === "'") {
					value += "'";
					i += 2;
				} else if (text[i] === "'") {
					i++;
					break;
				} else value += text[i++];
			}
			tokens.push({ kind: 'string', value });
		} else if (
			/[0-9]/.test(c) ||
			(c === '-' && /[0-9]/.test(text[i + 1] ?? '') && isOperandStart(tokens))
		) {
			const m = /^-?\d+(\.\d+)?/.exec(text.slice(i)) as RegExpExecArray;
			tokens.push({ kind: 'number', value: m[0] });
			i += m[0].length;
		} else if (/[A-Za-z_]/.test(c)) {
			const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i)) as RegExpExecArray;
			tokens.push({ kind: 'word', value: m[0] });
			i += m[0].length;
		} else {
			const two = text.slice(i, i + 2);
			if (['<>', '!=', '<=', '>='].includes(two)) {
				tokens.push({ kind: 'op', value: two });
				i += 2;
			} else if ('=<>'.includes(c)) {
				tokens.push({ kind: 'op', value: c });
				i++;
			} else if ('(),*'.includes(c)) {
				tokens.push({ kind: 'punct', value: c });
				i++;
			} else {
				throw new SuiteqlError(`Unexpected character '${c}'`);
			}
		}
	}
	return tokens;
}

function isOperandStart(tokens: Token[]): boolean {
	const last = tokens[tokens.length - 1];
	return (
		!last ||
		last.kind === 'op' ||
		(last.kind === 'punct' && last.value !== ')') ||
		(last.kind === 'word' && /^(and|or|not|in|select|where)$/i.test(last.value))
	);
}

type Value = string | number | null;
type Operand =
	| { kind: 'column'; name: string }
	| { kind: 'literal'; value: Value }
	| { kind: 'timestamp'; ms: number }
	| { kind: 'toChar'; column: string; format: string };
type Condition =
	| { kind: 'and' | 'or'; left: Condition; right: Condition }
	| { kind: 'not'; inner: Condition }
	| { kind: 'cmp'; op: string; left: Operand; right: Operand }
	| { kind: 'in'; operand: Operand; values: Operand[]; negated: boolean }
	| { kind: 'null'; operand: Operand; negated: boolean };

/** A parsed query. */
export interface Query {
	table: string;
	select: Array<{ operand: Operand; name: string }> | '*';
	where?: Condition;
	orderBy: Array<{ column: string; desc: boolean }>;
}

class Parser {
	private pos = 0;
	constructor(private readonly tokens: Token[]) {}

	peek(offset = 0): Token | undefined {
		return this.tokens[this.pos + offset];
	}
	isWord(word: string, offset = 0): boolean {
		const t = this.peek(offset);
		return t?.kind === 'word' && t.value.toLowerCase() === word;
	}
	expectWord(word: string): void {
		if (!this.isWord(word))
			throw new SuiteqlError(
				`Expected ${word.toUpperCase()} near '${this.peek()?.value ?? 'end of query'}'`,
			);
		this.pos++;
	}
	expectPunct(p: string): void {
		const t = this.peek();
		if (t?.kind !== 'punct' || t.value !== p)
			throw new SuiteqlError(`Expected '${p}' near '${t?.value ?? 'end of query'}'`);
		this.pos++;
	}
	punct(p: string): boolean {
		const t = this.peek();
		if (t?.kind === 'punct' && t.value === p) {
			this.pos++;
			return true;
		}
		return false;
	}

	query(): Query {
		this.expectWord('select');
		let select: Query['select'];
		if (this.punct('*')) select = '*';
		else {
			select = [];
			do {
				const operand = this.operand();
				let name =
					operand.kind === 'column'
						? operand.name
						: operand.kind === 'toChar'
							? operand.column
							: 'expr';
				if (this.isWord('as')) {
					this.pos++;
					name = this.word();
				}
				select.push({ operand, name: name.toLowerCase() });
			} while (this.punct(','));
		}
		this.expectWord('from');
		const table = this.word().toLowerCase();
		let where: Condition | undefined;
		if (this.isWord('where')) {
			this.pos++;
			where = this.or();
		}
		const orderBy: Query['orderBy'] = [];
		if (this.isWord('order')) {
			this.pos++;
			this.expectWord('by');
			do {
				const column = this.word().toLowerCase();
				let desc = false;
				if (this.isWord('asc')) this.pos++;
				else if (this.isWord('desc')) {
					this.pos++;
					desc = true;
				}
				orderBy.push({ column, desc });
			} while (this.punct(','));
		}
		if (this.pos < this.tokens.length) throw new SuiteqlError(`Unexpected '${this.peek()?.value}'`);
		return { table, select, where, orderBy };
	}

	word(): string {
		const t = this.peek();
		if (t?.kind !== 'word')
			throw new SuiteqlError(`Expected a name near '${t?.value ?? 'end of query'}'`);
		this.pos++;
		return t.value;
	}

	or(): Condition {
		let left = this.and();
		while (this.isWord('or')) {
			this.pos++;
			left = { kind: 'or', left, right: this.and() };
		}
		return left;
	}
	and(): Condition {
		let left = this.not();
		while (this.isWord('and')) {
			this.pos++;
			left = { kind: 'and', left, right: this.not() };
		}
		return left;
	}
	not(): Condition {
		if (this.isWord('not')) {
			this.pos++;
			return { kind: 'not', inner: this.not() };
		}
		return this.primary();
	}
	primary(): Condition {
		if (this.punct('(')) {
			const inner = this.or();
			this.expectPunct(')');
			return inner;
		}
		const left = this.operand();
		if (this.isWord('is')) {
			this.pos++;
			const negated = this.isWord('not');
			if (negated) this.pos++;
			this.expectWord('null');
			return { kind: 'null', operand: left, negated };
		}
		const negatedIn = this.isWord('not') && this.isWord('in', 1);
		if (negatedIn) this.pos++;
		if (this.isWord('in')) {
			this.pos++;
			this.expectPunct('(');
			const values: Operand[] = [];
			do values.push(this.operand());
			while (this.punct(','));
			this.expectPunct(')');
			return { kind: 'in', operand: left, values, negated: negatedIn };
		}
		const op = this.peek();
		if (op?.kind !== 'op')
			throw new SuiteqlError(`Expected a comparison near '${op?.value ?? 'end of query'}'`);
		this.pos++;
		return { kind: 'cmp', op: op.value, left, right: this.operand() };
	}

	operand(): Operand {
		const t = this.peek();
		if (!t) throw new SuiteqlError('Unexpected end of query');
		if (t.kind === 'string') {
			this.pos++;
			return { kind: 'literal', value: t.value };
		}
		if (t.kind === 'number') {
			this.pos++;
			return { kind: 'literal', value: Number(t.value) };
		}
		if (t.kind === 'word') {
			const fn = t.value.toLowerCase();
			if ((fn === 'to_char' || fn === 'to_timestamp') && this.peek(1)?.value === '(') {
				this.pos += 2;
				const first = this.operand();
				this.expectPunct(',');
				const format = this.operand();
				this.expectPunct(')');
				if (format.kind !== 'literal' || typeof format.value !== 'string')
					throw new SuiteqlError(`${fn.toUpperCase()} needs a format string`);
				checkFormat(format.value);
				if (fn === 'to_char') {
					if (first.kind !== 'column') throw new SuiteqlError('TO_CHAR needs a column');
					return { kind: 'toChar', column: first.name, format: format.value };
				}
				if (first.kind !== 'literal' || typeof first.value !== 'string')
					throw new SuiteqlError('TO_TIMESTAMP needs a string');
				return { kind: 'timestamp', ms: parseTimestamp(first.value) };
			}
			if (fn === 'null') {
				this.pos++;
				return { kind: 'literal', value: null };
			}
			this.pos++;
			return { kind: 'column', name: t.value.toLowerCase() };
		}
		throw new SuiteqlError(`Unexpected '${t.value}'`);
	}
}

const FORMAT = 'YYYY-MM-DD HH24:MI:SS';

function checkFormat(format: string): void {
	if (format.toUpperCase() !== FORMAT)
		throw new SuiteqlError(`This sandbox only supports the date format '${FORMAT}'`);
}

function parseTimestamp(text: string): number {
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
	if (!m) throw new SuiteqlError(`Invalid timestamp '${text}' for format ${FORMAT}`);
	return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** A timestamp as TO_CHAR renders it (the sandbox account's time zone is UTC). */
export function formatTimestamp(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses a query (throws SuiteqlError). */
export function parseQuery(text: string): Query {
	if (typeof text !== 'string' || text.trim() === '') throw new SuiteqlError('The query is empty');
	return new Parser(tokenize(text.trim().replace(/;\s*$/, ''))).query();
}

function cellValue(cell: Cell | undefined): Value {
	if (cell === undefined || cell === null) return null;
	if (typeof cell === 'object') return Math.floor(cell.ts / 1000) * 1000;
	return cell;
}

function evaluate(operand: Operand, row: Record<string, Cell>): Value {
	switch (operand.kind) {
		case 'literal':
			return operand.value;
		case 'timestamp':
			return operand.ms;
		case 'column':
			return cellValue(row[operand.name]);
		case 'toChar': {
			const cell = row[operand.column];
			return cell && typeof cell === 'object'
				? formatTimestamp(cell.ts)
				: cell === undefined
					? null
					: cell;
		}
	}
}

function compare(a: Value, b: Value): number | undefined {
	if (a === null || b === null) return undefined;
	const na = typeof a === 'number' ? a : /^-?\d+(\.\d+)?$/.test(a) ? Number(a) : NaN;
	const nb = typeof b === 'number' ? b : /^-?\d+(\.\d+)?$/.test(b) ? Number(b) : NaN;
	if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
	const sa = String(a);
	const sb = String(b);
	return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function test(condition: Condition, row: Record<string, Cell>): boolean {
	switch (condition.kind) {
		case 'and':
			return test(condition.left, row) && test(condition.right, row);
		case 'or':
			return test(condition.left, row) || test(condition.right, row);
		case 'not':
			return !test(condition.inner, row);
		case 'null': {
			const isNull = evaluate(condition.operand, row) === null;
			return condition.negated ? !isNull : isNull;
		}
		case 'in': {
			const value = evaluate(condition.operand, row);
			const found = condition.values.some((v) => compare(value, evaluate(v, row)) === 0);
			return value !== null && (condition.negated ? !found : found);
		}
		case 'cmp': {
			const order = compare(evaluate(condition.left, row), evaluate(condition.right, row));
			if (order === undefined) return false;
			switch (condition.op) {
				case '=':
					return order === 0;
				case '<>':
				case '!=':
					return order !== 0;
				case '<':
					return order < 0;
				case '<=':
					return order <= 0;
				case '>':
					return order > 0;
				default:
					return order >= 0;
			}
		}
	}
}

function columnsOf(condition: Condition | undefined, out: string[] = []): string[] {
	if (!condition) return out;
	const operand = (o: Operand) => {
		if (o.kind === 'column') out.push(o.name);
		if (o.kind === 'toChar') out.push(o.column);
	};
	switch (condition.kind) {
		case 'and':
		case 'or':
			columnsOf(condition.left, out);
			columnsOf(condition.right, out);
			break;
		case 'not':
			columnsOf(condition.inner, out);
			break;
		case 'cmp':
			operand(condition.left);
			operand(condition.right);
			break;
		case 'in':
			operand(condition.operand);
			condition.values.forEach(operand);
			break;
		case 'null':
			operand(condition.operand);
	}
	return out;
}

/** The literal a top-level AND chain pins `column` to (`column = 5 AND …`), if any. */
function pinnedValue(
	condition: Condition | undefined,
	column: string,
): number | string | undefined {
	if (!condition) return undefined;
	if (condition.kind === 'and')
		return pinnedValue(condition.left, column) ?? pinnedValue(condition.right, column);
	if (
		condition.kind === 'cmp' &&
		condition.op === '=' &&
		condition.left.kind === 'column' &&
		condition.left.name === column &&
		condition.right.kind === 'literal' &&
		condition.right.value !== null
	) {
		return condition.right.value;
	}
	return undefined;
}

/** Runs a parsed query against the tables; rows come back as NetSuite's string-valued objects. */
export function runQuery(
	query: Query,
	tables: Readonly<Record<string, Table>>,
): Array<Record<string, string>> {
	const table = tables[query.table];
	if (!table) throw new SuiteqlError(`Record '${query.table}' was not found.`);
	const known = (name: string) => {
		if (!table.columns.has(name))
			throw new SuiteqlError(`Field '${name}' for record '${query.table}' was not found.`);
	};
	const selected =
		query.select === '*'
			? [...table.columns].map((name) => ({ operand: { kind: 'column', name } as Operand, name }))
			: query.select;
	for (const s of selected)
		if (s.operand.kind === 'column') known(s.operand.name);
		else if (s.operand.kind === 'toChar') known(s.operand.column);
	columnsOf(query.where).forEach(known);
	const aliases = new Set(selected.map((s) => s.name));
	for (const o of query.orderBy) if (!aliases.has(o.column)) known(o.column);

	const matched: Array<Record<string, Cell>> = [];
	const pinned = table.index ? pinnedValue(query.where, table.index.column) : undefined;
	const source = pinned !== undefined && table.index ? table.index.rows(pinned) : table.rows();
	for (const row of source) if (!query.where || test(query.where, row)) matched.push(row);
	if (query.orderBy.length) {
		const keyOf = (row: Record<string, Cell>, column: string): Value => {
			const alias = selected.find((s) => s.name === column);
			return alias && !table.columns.has(column)
				? evaluate(alias.operand, row)
				: cellValue(row[column]);
		};
		matched.sort((a, b) => {
			for (const o of query.orderBy) {
				const va = keyOf(a, o.column);
				const vb = keyOf(b, o.column);
				// NetSuite (Oracle) sorts NULLs last ascending and first descending.
				const order =
					va === null ? (vb === null ? 0 : 1) : vb === null ? -1 : (compare(va, vb) as number);
				if (order !== 0) return o.desc ? -order : order;
			}
			return 0;
		});
	}
	return matched.map((row) => {
		const out: Record<string, string> = {};
		for (const s of selected) {
			const value = evaluate(s.operand, row);
			if (value === null) continue;
			out[s.name] =
				s.operand.kind === 'column' && typeof row[s.operand.name] === 'object'
					? formatDisplayDate(value as number)
					: String(value);
		}
		return out;
	});
}

/** How SuiteQL shows a raw date column (user preference; the sandbox uses M/D/YYYY). */
function formatDisplayDate(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

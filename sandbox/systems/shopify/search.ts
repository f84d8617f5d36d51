/**
 * A subset of Shopify's search syntax for `query:` arguments
 * (https://shopify.dev/docs/api/usage/search-syntax):
 *  - terms `field:value`, `field:>value`, `field:>=value`, `field:<value`, `field:<=value`, and
 *    bare free-text words;
 *  - values bare, 'single-quoted' or "double-quoted"; a backslash escapes the next character
 *    (in bare values too, e.g. `sku:A\ B`);
 *  - `-field:value` or `NOT field:value` negates a term;
 *  - terms separated by spaces (or `AND`) must all match; `OR` separates alternatives
 *    (AND binds tighter). Parentheses are not supported and are refused with a clear error.
 * Unknown fields are ignored with a warning, as Shopify does (`extensions.search`).
 */

/** One parsed term. */
export interface SearchTerm {
	/** Lower-case field name; undefined for free text. */
	field?: string;
	op: ':' | '>' | '>=' | '<' | '<=';
	value: string;
	negated: boolean;
}

/** Alternatives (OR) of conjunctions (AND). */
export type SearchQuery = SearchTerm[][];

/** The query text is not in the supported subset. */
export class SearchSyntaxError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SearchSyntaxError';
	}
}

/** Parses a search string. An empty or blank string matches everything (`[[]]`). */
export function parseSearch(text: string): SearchQuery {
	const groups: SearchQuery = [[]];
	let i = 0;
	let negateNext = false;
	const n = text.length;
	const readValue = (): string => {
		const quote = text[i];
		let out = '';
		if (quote === '"' || quote === "'") {
			i++;
			while (i < n && text[i] !== quote) {
				if (text[i] === '\\' && i + 1 < n) i++;
				out += text[i++];
			}
			if (i >= n) throw new SearchSyntaxError(`Unterminated ${quote === '"' ? 'double' : 'single'} quote in search query ${JSON.stringify(text)}`);
			i++;
			return out;
		}
		while (i < n && !/\s/.test(text[i])) {
			if (text[i] === '(' || text[i] === ')') throw parens(text);
			if (text[i] === '\\' && i + 1 < n) i++;
			out += text[i++];
		}
		return out;
	};
	while (i < n) {
		if (/\s/.test(text[i])) {
			i++;
			continue;
		}
		if (text[i] === '(' || text[i] === ')') throw parens(text);
		const word = /^(OR|AND|NOT)(?=\s|$)/.exec(text.slice(i));
		if (word) {
			i += word[1].length;
			if (word[1] === 'OR') {
				if (groups[groups.length - 1].length === 0) throw new SearchSyntaxError(`"OR" needs a term on each side in search query ${JSON.stringify(text)}`);
				groups.push([]);
			} else if (word[1] === 'NOT') negateNext = true;
			continue;
		}
		let negated = negateNext;
		negateNext = false;
		if (text[i] === '-' && i + 1 < n && !/\s/.test(text[i + 1])) {
			negated = true;
			i++;
		}
		const field = /^([A-Za-z_][A-Za-z0-9_.]*):(>=|<=|>|<)?/.exec(text.slice(i));
		if (field) {
			i += field[0].length;
			const value = readValue();
			groups[groups.length - 1].push({ field: field[1].toLowerCase(), op: (field[2] as SearchTerm['op']) ?? ':', value, negated });
		} else {
			groups[groups.length - 1].push({ op: ':', value: readValue(), negated });
		}
	}
	if (groups.length > 1 && groups[groups.length - 1].length === 0) throw new SearchSyntaxError(`"OR" needs a term on each side in search query ${JSON.stringify(text)}`);
	return groups;
}

function parens(text: string): SearchSyntaxError {
	return new SearchSyntaxError(
		`The Shopify sandbox search supports field:value terms joined by spaces (AND) and OR, but not parentheses: ${JSON.stringify(text)}`,
	);
}

/** How one resource's fields match a term; undefined = unknown field. */
export type FieldMatcher<T> = (record: T, term: SearchTerm) => boolean;

/** Per-resource matchers; `default` handles free text. */
export type Matchers<T> = Record<string, FieldMatcher<T>> & { default: FieldMatcher<T> };

/**
 * Filters `records` by `query`. Returns the matches and the fields that were ignored as unknown
 * (Shopify's "Invalid search field for this query." warning).
 */
export function applySearch<T>(records: T[], query: string | null | undefined, matchers: Matchers<T>): { records: T[]; unknownFields: string[] } {
	if (query === undefined || query === null || query.trim() === '') return { records, unknownFields: [] };
	const parsed = parseSearch(query);
	const unknown = new Set<string>();
	const test = (record: T, term: SearchTerm): boolean => {
		const matcher = term.field === undefined ? matchers.default : matchers[term.field];
		if (!matcher) {
			unknown.add(term.field as string);
			return true;
		}
		const hit = matcher(record, term);
		return term.negated ? !hit : hit;
	};
	const out = records.filter((r) => parsed.some((group) => group.every((term) => test(r, term))));
	return { records: out, unknownFields: [...unknown] };
}

// --- value matchers -------------------------------------------------------------------------

/** Exact, case-sensitive; a trailing `*` makes it a prefix match (SKUs are case-sensitive in Shopify). */
export function exact(actual: string | null | undefined, term: SearchTerm): boolean {
	if (actual === null || actual === undefined) return false;
	if (term.value.endsWith('*')) return actual.startsWith(term.value.slice(0, -1));
	return actual === term.value;
}

/** Case-insensitive substring (names, titles, free text). */
export function contains(actual: string | null | undefined, term: SearchTerm): boolean {
	if (actual === null || actual === undefined) return false;
	const v = term.value.replace(/\*$/, '').toLowerCase();
	return actual.toLowerCase().includes(v);
}

/** Case-insensitive equality (statuses). */
export function equalsIgnoreCase(actual: string | null | undefined, term: SearchTerm): boolean {
	return actual !== null && actual !== undefined && actual.toLowerCase() === term.value.toLowerCase();
}

/** Date comparison; the value is an ISO date or date-time (`updated_at:>'2026-01-01T00:00:00Z'`). */
export function compareDate(actualMs: number, term: SearchTerm): boolean {
	const ms = Date.parse(term.value);
	if (Number.isNaN(ms)) throw new SearchSyntaxError(`"${term.field}" needs an ISO 8601 date, e.g. ${term.field}:>'2026-01-01T00:00:00Z'; got ${JSON.stringify(term.value)}`);
	// Shopify keeps seconds: compare at that precision, so `>` an ISO value it returned excludes that record.
	return compareNumbers(Math.floor(actualMs / 1000) * 1000, ms, term.op);
}

/** Numeric id comparison; accepts `123` or `gid://shopify/Type/123`. */
export function compareId(actualId: number, term: SearchTerm): boolean {
	const m = /(\d+)$/.exec(term.value);
	if (!m) return false;
	return compareNumbers(actualId, Number(m[1]), term.op);
}

function compareNumbers(a: number, b: number, op: SearchTerm['op']): boolean {
	switch (op) {
		case '>':
			return a > b;
		case '>=':
			return a >= b;
		case '<':
			return a < b;
		case '<=':
			return a <= b;
		default:
			return a === b;
	}
}

/**
 * RFC 8288 `Link` header parsing. Split-on-comma parsers break on real headers: commas inside
 * `<...>` URLs or quoted `title` params, `rel="next last"` lists, `rel=next` without quotes,
 * mixed case, and one header sent as several lines. This one walks the grammar instead.
 */

/** One link of a `Link` header. */
export interface LinkValue {
	/** The URI reference between `<` and `>`, as sent (may be relative). */
	url: string;
	/** Relation types, lower-cased (`rel="Next Last"` gives `['next', 'last']`). */
	rel: string[];
	/**
	 * All params by lower-cased name, unquoted; the first occurrence of a name wins (RFC 8288 §3.3).
	 */
	params: Record<string, string>;
}

const isSpace = (c: string | undefined): boolean =>
	c === ' ' || c === '\t' || c === '\r' || c === '\n';

/**
 * Parses one or more `Link` header values into links, in order. Malformed pieces are skipped
 * rather than guessed at; an absent header gives an empty list.
 */
export function parseLinkHeader(header: string | string[] | undefined): LinkValue[] {
	if (header === undefined) return [];
	const text = Array.isArray(header) ? header.join(', ') : header;
	const links: LinkValue[] = [];
	let i = 0;
	const skipSpace = () => {
		while (isSpace(text[i])) i++;
	};
	while (i < text.length) {
		skipSpace();
		if (text[i] === ',') {
			i++;
			continue;
		}
		if (text[i] !== '<') {
			// Not a link-value: skip to the next top-level comma.
			while (i < text.length && text[i] !== ',') i++;
			continue;
		}
		const close = text.indexOf('>', i);
		if (close < 0) break;
		const url = text.slice(i + 1, close).trim();
		i = close + 1;
		const params: Record<string, string> = {};
		for (;;) {
			skipSpace();
			if (text[i] !== ';') break;
			i++;
			skipSpace();
			let name = '';
			while (i < text.length && !/[=;,\s]/.test(text[i])) name += text[i++];
			skipSpace();
			let value = '';
			if (text[i] === '=') {
				i++;
				skipSpace();
				if (text[i] === '"') {
					i++;
					while (i < text.length && text[i] !== '"') {
						if (text[i] === '\\' && i + 1 < text.length) i++;
						value += text[i++];
					}
					i++;
				} else {
					while (i < text.length && !/[;,\s]/.test(text[i])) value += text[i++];
				}
			}
			const key = name.toLowerCase();
			if (key !== '' && !(key in params)) params[key] = value;
		}
		// Anything left before the next comma is junk after the params; drop it.
		while (i < text.length && text[i] !== ',') i++;
		const rel = (params.rel ?? '')
			.toLowerCase()
			.split(/\s+/)
			.filter((r) => r !== '');
		if (url !== '') links.push({ url, rel, params });
	}
	return links;
}

/** The URL of the first link whose relation types include `rel` (case-insensitive), if any. */
export function findLink(header: string | string[] | undefined, rel: string): string | undefined {
	const wanted = rel.toLowerCase();
	return parseLinkHeader(header).find((link) => link.rel.includes(wanted))?.url;
}

/**
 * Next-link paging: the server names the next page's URL, in a `Link` header (RFC 8288), a bare
 * URL header (ShipBob legacy `Next-Page`), a body field (Akeneo `_links.next.href`, HubSpot
 * `paging.next.link`, ShipBob and eBay `next`) or a links array (NetSuite `links[rel=next]`).
 * Two rules from the Microsoft Graph kernel in n8n: the link is followed as is, without sending
 * the original query again (it already holds it, and Shopify rejects extra params beside
 * `page_info`), and a link to another origin is refused so the credential never leaves the host.
 */
import { paginationError } from './errors';
import { describeType, readItems, readPath, type ItemOptions } from './items';
import { findLink } from './linkHeader';
import type { PageResponse, PageStep, PaginationStrategy, StepContext } from './types';
import { expectedOrigin, requestUrl, resolveNextLink } from './url';

/** Where the next page's URL is. */
export type NextLinkSource =
	/** A header: `format: 'link'` (default) is RFC 8288 `<url>; rel="next"`, `'url'` a bare URL. */
	| { header: string; format?: 'link' | 'url'; rel?: string }
	/** A dot path to a URL string in the body, e.g. `_links.next.href`. */
	| { body: string }
	/** A dot path to an array of `{ rel, href }` objects in the body, e.g. NetSuite's `links`. */
	| { bodyLinks: string; rel?: string }
	/** Anything else: return the next URL, or undefined on the last page. */
	| ((response: PageResponse) => string | undefined);

/** How to page by next links. */
export interface NextLinkOptions<T> extends ItemOptions<T> {
	/** Where the next link is. */
	next: NextLinkSource;
	/**
	 * Send the base request's body again with every next link (default true). SuiteQL needs it:
	 * its next link carries only `limit`/`offset`, the query text stays in the POST body.
	 */
	resendBody?: boolean;
}

const NAME = 'nextLink';

/** A link `rel` never followed: some APIs put `previous`/`prev` beside `next` in the same place. */
const DEFAULT_REL = 'next';

/**
 * Next-link paging. Needs the system's base URL (or an absolute base request URL) to resolve
 * relative links and to check their origin; the walk refuses to start without one.
 */
export function nextLink<T = unknown>(options: NextLinkOptions<T>): PaginationStrategy<T> {
	const resendBody = options.resendBody ?? true;
	return {
		name: NAME,
		start(base, context) {
			const { system } = context;
			const origin = expectedOrigin(base, context.baseUrl, system);
			return {
				first: base,
				items: (response) => readItems(response, options, system, NAME),
				next(response: PageResponse, _items, step: StepContext): PageStep {
					const link = readNextLink(response, options.next, system);
					if (link === undefined) return { kind: 'done' };
					const url = resolveNextLink(link, requestUrl(step.request, step.baseUrl), origin, system);
					return {
						kind: 'next',
						request: {
							method: base.method,
							url,
							headers: base.headers,
							...(resendBody && base.body !== undefined ? { body: base.body } : {}),
						},
						token: url,
					};
				},
			};
		},
	};
}

function readNextLink(
	response: PageResponse,
	source: NextLinkSource,
	system: string,
): string | undefined {
	let link: unknown;
	let where: string;
	if (typeof source === 'function') {
		link = source(response);
		where = 'the next-link function';
	} else if ('header' in source) {
		const values = headerValues(response.headers, source.header);
		link =
			source.format === 'url' ? values[0]?.trim() : findLink(values, source.rel ?? DEFAULT_REL);
		where = `the ${source.header} header`;
	} else if ('body' in source) {
		link = readPath(response.body, source.body);
		where = `"${source.body}"`;
	} else {
		const links = readPath(response.body, source.bodyLinks);
		where = `"${source.bodyLinks}"`;
		if (links !== undefined && links !== null && !Array.isArray(links)) {
			throw badLink(system, where, links);
		}
		const rel = (source.rel ?? DEFAULT_REL).toLowerCase();
		const list: unknown[] = Array.isArray(links) ? links : [];
		const found = list.find((entry) => {
			const value = (entry as { rel?: unknown } | null)?.rel;
			return typeof value === 'string' && value.toLowerCase().split(/\s+/).includes(rel);
		});
		link = (found as { href?: unknown } | undefined)?.href;
	}
	if (link === undefined || link === null || link === '') return undefined;
	if (typeof link !== 'string') throw badLink(system, where, link);
	return link;
}

function badLink(system: string, where: string, found: unknown) {
	return paginationError(
		system,
		'PAGINATION_BAD_RESPONSE',
		`next-link paging expected a URL string from ${where} but found ${describeType(found)}`,
		'Check the next-link location against the API response.',
	);
}

/** All values of a header, whatever its case and however many lines it came in. */
function headerValues(headers: PageResponse['headers'], name: string): string[] {
	const wanted = name.toLowerCase();
	const values: string[] = [];
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		values.push(...(Array.isArray(value) ? value : [value]));
	}
	return values;
}

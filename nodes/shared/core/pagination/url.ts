import { paginationConfigError, paginationError } from './errors';
import type { PageRequest } from './types';

/**
 * Joins a base URL and a relative path with exactly one slash between them, the way the HTTP
 * client does, so relative next links resolve against the URL that was really requested.
 */
export function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The absolute URL a page request goes to (without its query), if it can be known. */
export function requestUrl(request: PageRequest, baseUrl: string | undefined): string | undefined {
	if (request.url !== undefined) return request.url;
	if (request.path !== undefined && baseUrl !== undefined) return joinUrl(baseUrl, request.path);
	return undefined;
}

/** The origin (`https://host:port`) of an absolute http(s) URL, or undefined if it is not one. */
export function originOf(url: string): string | undefined {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Works out which origin next links must stay on: the base URL's, else the base request's
 * absolute URL's. Throws when neither is known, because an unchecked next link could send the
 * credential to any host the API (or someone who tampered with a response) names.
 */
export function expectedOrigin(
	base: PageRequest,
	baseUrl: string | undefined,
	system: string,
): string {
	const source = baseUrl ?? base.url;
	const origin = source === undefined ? undefined : originOf(source);
	if (origin === undefined) {
		throw paginationConfigError(
			system,
			source === undefined
				? 'next-link paging needs the base URL to check where next links point, but none was given'
				: `next-link paging needs an absolute http(s) base URL, got ${JSON.stringify(source)}`,
			"Pass baseUrl (the credential's API base URL) to paginate(), or start from an absolute url.",
		);
	}
	return origin;
}

/**
 * Resolves a next link (absolute, origin-relative like ShipBob's `/2026-01/channel?cursor=...`,
 * or relative) against the URL just requested and checks it stays on `origin`. Returns the
 * absolute URL to request as is.
 */
export function resolveNextLink(
	link: string,
	current: string | undefined,
	origin: string,
	system: string,
): string {
	let resolved: URL;
	try {
		resolved = new URL(link, current ?? origin);
	} catch {
		throw paginationError(
			system,
			'PAGINATION_BAD_RESPONSE',
			`the next-page link ${JSON.stringify(link.slice(0, 200))} is not a valid URL`,
		);
	}
	if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
		throw paginationError(
			system,
			'PAGINATION_FOREIGN_ORIGIN',
			`refused to follow a next-page link with scheme ${resolved.protocol}; only ${origin} is allowed`,
		);
	}
	if (resolved.origin !== origin) {
		throw paginationError(
			system,
			'PAGINATION_FOREIGN_ORIGIN',
			`refused to follow a next-page link to ${resolved.origin}: it leaves ${origin}, and the request would carry this system's credentials there`,
			'If the system really moved to another host, change the base URL in the credential.',
		);
	}
	return resolved.href;
}

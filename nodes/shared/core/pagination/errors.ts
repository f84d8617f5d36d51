import { CommerceError } from '../http/errors';

/**
 * Codes carried by paging faults, so callers and tests can tell them apart without parsing text.
 */
export type PaginationErrorCode =
	| 'PAGINATION_LOOP'
	| 'PAGINATION_FOREIGN_ORIGIN'
	| 'PAGINATION_MAX_PAGES'
	| 'PAGINATION_CEILING'
	| 'PAGINATION_BAD_RESPONSE'
	| 'PAGINATION_BAD_REQUEST'
	| 'PAGINATION_BAD_KEY';

/**
 * Builds the fatal CommerceError for a paging fault. Paging faults are never retryable: sending
 * the same page request again returns the same looping cursor or the same foreign link.
 */
export function paginationError(
	system: string,
	code: PaginationErrorCode,
	message: string,
	hint?: string,
): CommerceError {
	return new CommerceError({
		kind: 'fatal',
		system,
		code,
		message: `${system}: ${message}`,
		hint,
		retryable: false,
	});
}

/**
 * Builds the error for a paginator set up wrongly by its caller (a bug in an adapter or bad
 * node input, not a server fault), e.g. a limit of 0 or a GraphQL body without `query`.
 */
export function paginationConfigError(
	system: string,
	message: string,
	hint?: string,
): CommerceError {
	return new CommerceError({
		kind: 'validation',
		system,
		code: 'PAGINATION_BAD_REQUEST',
		message: `${system}: ${message}`,
		hint,
		retryable: false,
	});
}

/** Quotes a cursor, link or key for a message, cut short so a huge token cannot flood a log. */
export function describeToken(token: string): string {
	const text = token.length > 120 ? `${token.slice(0, 117)}...` : token;
	return JSON.stringify(text);
}

/**
 * NetSuite's REST error format (`o:errorDetails[]` with `detail`, `o:errorCode`, `o:errorPath`…)
 * turned into messages that say which field is wrong and what to do.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html
 */

/** One entry of `o:errorDetails`. */
export interface NetSuiteErrorDetail {
	detail?: string;
	code?: string;
	/** JSON path of the offending body field, when NetSuite names one. */
	path?: string;
	/** Query parameter NetSuite objected to. */
	queryParam?: string;
	header?: string;
}

/** The code NetSuite REST answers when the account's concurrency cap is full. */
export const CONCURRENCY_LIMIT_CODE = 'CONCURRENCY_LIMIT_EXCEEDED';

/** Reads `o:errorDetails` from an error body; empty when the body is not NetSuite's format. */
export function netSuiteErrorDetails(body: unknown): NetSuiteErrorDetail[] {
	if (!body || typeof body !== 'object') return [];
	const list = (body as Record<string, unknown>)['o:errorDetails'];
	if (!Array.isArray(list)) return [];
	return list
		.filter((entry): entry is Record<string, unknown> => !!entry && typeof entry === 'object')
		.map((entry) => ({
			detail: text(entry.detail),
			code: text(entry['o:errorCode']),
			path: text(entry['o:errorPath']),
			queryParam: text(entry['o:errorQueryParam']),
			header: text(entry['o:errorHeader']),
		}));
}

/** The first error code in a NetSuite error body. */
export function netSuiteErrorCode(body: unknown): string | undefined {
	return netSuiteErrorDetails(body).find((d) => d.code)?.code;
}

/** True when the body is NetSuite's concurrency-limit answer (429, or 400 on older accounts). */
export function isConcurrencyLimit(body: unknown): boolean {
	return netSuiteErrorDetails(body).some((d) => d.code === CONCURRENCY_LIMIT_CODE);
}

/**
 * A readable message: every detail with the field it concerns, e.g.
 * `Invalid value for field item.items[0].quantity: must be positive (field "item.items[0].quantity", code INVALID_FIELD_VALUE)`.
 */
export function netSuiteErrorMessage(body: unknown): string | undefined {
	const details = netSuiteErrorDetails(body);
	if (details.length === 0) {
		if (body && typeof body === 'object') {
			const b = body as Record<string, unknown>;
			return text(b.title) ?? text(b.message);
		}
		return typeof body === 'string' && body.trim() && !body.trim().startsWith('<')
			? body.trim().slice(0, 300)
			: undefined;
	}
	return details
		.map((d) => {
			const where = [
				d.path ? `field "${d.path}"` : undefined,
				d.queryParam ? `query parameter "${d.queryParam}"` : undefined,
				d.header ? `header "${d.header}"` : undefined,
			].filter(Boolean);
			const suffix = [...where, d.code ? `code ${d.code}` : undefined].filter(Boolean).join(', ');
			return `${d.detail ?? 'NetSuite error'}${suffix ? ` (${suffix})` : ''}`;
		})
		.join('; ');
}

/** What to do about the NetSuite error codes people actually meet. */
const HINTS: Record<string, string> = {
	INVALID_LOGIN:
		'NetSuite refused the TBA signature. Check the account ID (sandbox: 1234567_SB1), the consumer key/secret and token ID/secret, that the token belongs to this integration, and that this host’s clock is right. The Login Audit Trail in NetSuite shows the reason.',
	INVALID_LOGIN_ATTEMPT:
		'NetSuite refused the TBA signature. Check the account ID, the four TBA secrets and this host’s clock; the Login Audit Trail in NetSuite shows the reason.',
	INSUFFICIENT_PERMISSION:
		'The token’s role lacks a permission this operation needs (REST Web Services, SuiteAnalytics Workbook for SuiteQL, and the record’s own permission). Add it to the role.',
	[CONCURRENCY_LIMIT_CODE]:
		'Too many requests were in flight for this NetSuite account. Lower “Concurrency Slots” in the credential to the share allocated to this integration, or run fewer workflows against NetSuite at once.',
	INVALID_KEY_OR_REF:
		'A referenced record (item, customer, location, subsidiary, account) does not exist or is inactive. Check the internal IDs in the input item.',
	NONEXISTENT_ID:
		'No record has this ID in NetSuite. Check the internal or external ID in the input item.',
	USER_ERROR:
		'NetSuite rejected the record: a required field is missing or a value is not allowed. The message names the field; fix it in the input item.',
	INVALID_CONTENT:
		'The request body is not valid for this record type. Check the field names and types.',
	INVALID_PARAMETER: 'A query parameter or SuiteQL statement is not valid. Check the query text.',
};

/** The hint for a NetSuite error code, when there is one. */
export function netSuiteHint(code: string | undefined): string | undefined {
	return code ? HINTS[code] : undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

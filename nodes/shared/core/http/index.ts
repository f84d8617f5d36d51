/**
 * The kernel's HTTP layer: the client, system profiles, the transport seam and typed errors.
 */
export { createHttpClient } from './client';
export type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from './client';
export {
	DEFAULT_REQUEST_ID_HEADERS,
	DEFAULT_RETRY_AFTER_HEADERS,
	defaultMessageFromBody,
	defineProfile,
	isAbsoluteUrl,
	isSameOrigin,
	resolveRequestUrl,
} from './profile';
export type { BodyClassification, SystemProfile } from './profile';
export { headerValue } from './transport';
export type { HttpMethod, Transport, TransportRequest, TransportResponse } from './transport';
export {
	CommerceError,
	DEFAULT_STATUS_TABLE,
	TRANSIENT_NETWORK_CODES,
	cleanErrorBody,
	isCommerceError,
	ruleForStatus,
} from './errors';
export type {
	CommerceErrorDetails,
	ErrorAction,
	ErrorKind,
	StatusRule,
	StatusTableOverrides,
} from './errors';

/**
 * The NetSuite system definition: host from the account id (or the base-URL override), the
 * concurrency cap as the rate limit, and NetSuite's `o:errorDetails` format read into clear
 * errors. NetSuite sends no Retry-After, so a 429 is retried on the kernel's backoff.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1546938065.html
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { netSuiteHostId } from '../../shared/core/auth/oauth1';
import { ruleForStatus } from '../../shared/core/http/errors';
import {
	defineProfile,
	type BodyClassification,
	type SystemProfile,
} from '../../shared/core/http/profile';
import type { TransportResponse } from '../../shared/core/http/transport';
import type { RateLimitSpec } from '../../shared/core/ratelimit/factory';
import type { SystemDefinition } from '../../shared/n8n/system';
import { InputError } from '../../shared/n8n/errors';
import {
	CONCURRENCY_LIMIT_CODE,
	isConcurrencyLimit,
	netSuiteErrorCode,
	netSuiteErrorMessage,
	netSuiteHint,
} from '../mappers/errors';

/** The credential as the node reads it. */
export interface NetSuiteCredentials extends ICredentialDataDecryptedObject {
	accountId: string;
	consumerKey: string;
	consumerSecret: string;
	tokenId: string;
	tokenSecret: string;
	concurrency: number;
	baseUrl: string;
}

/** REST record API root, below the host. */
export const RECORD_PATH = '/services/rest/record/v1';
/** SuiteQL endpoint, below the host. */
export const SUITEQL_PATH = '/services/rest/query/v1/suiteql';

/** Default concurrency when the credential leaves it empty (a conservative share). */
export const DEFAULT_CONCURRENCY = 5;

/** `https://1234567-sb1.suitetalk.api.netsuite.com`, or the override without its trailing slash. */
export function netSuiteBaseUrl(
	credentials: Pick<NetSuiteCredentials, 'accountId' | 'baseUrl'>,
): string {
	const override = String(credentials.baseUrl ?? '').trim();
	if (override) return override.replace(/\/+$/, '');
	const account = String(credentials.accountId ?? '').trim();
	if (!/^[A-Za-z0-9]+([_-][A-Za-z0-9]+)*$/.test(account)) {
		throw new InputError(
			`The NetSuite account ID "${account}" is not valid`,
			'accountId',
			'Use the account ID from Setup → Company → Company Information, e.g. 1234567 or 1234567_SB1.',
		);
	}
	return `https://${netSuiteHostId(account)}.suitetalk.api.netsuite.com`;
}

/** Reads NetSuite error bodies: the concurrency cap is a rate limit whatever the status. */
export function classifyNetSuiteBody(response: TransportResponse): BodyClassification | undefined {
	if (response.status >= 200 && response.status < 300) return undefined;
	if (isConcurrencyLimit(response.body)) {
		return {
			kind: 'rateLimited',
			action: 'rateLimited',
			code: CONCURRENCY_LIMIT_CODE,
			message:
				'NetSuite’s concurrent request limit is full (Concurrent request limit exceeded. Request blocked.)',
			hint: netSuiteHint(CONCURRENCY_LIMIT_CODE),
		};
	}
	const code = netSuiteErrorCode(response.body);
	if (!code) return undefined;
	const rule = ruleForStatus(response.status);
	return {
		// A TBA failure cannot be fixed by a refresh: fail at once with the reason.
		...(response.status === 401 ? { kind: 'auth', action: 'fail' } : rule),
		code,
		message: netSuiteErrorMessage(response.body),
		hint: netSuiteHint(code),
	};
}

/** The profile for one credential. */
export function netSuiteProfile(credentials: NetSuiteCredentials): SystemProfile {
	return defineProfile({
		system: 'netsuite',
		baseUrl: netSuiteBaseUrl(credentials),
		defaultHeaders: { Accept: 'application/json' },
		classifyBody: classifyNetSuiteBody,
		messageFromBody: netSuiteErrorMessage,
		retryAfterHeaders: ['retry-after'],
		requestIdHeaders: ['x-netsuite-request-id', 'x-request-id'],
		hints: {
			auth: netSuiteHint('INVALID_LOGIN'),
		},
	});
}

/** Concurrency slots from the credential (account tier share). */
export function netSuiteRateLimit(credentials: NetSuiteCredentials): RateLimitSpec {
	const slots = Number(credentials.concurrency ?? DEFAULT_CONCURRENCY);
	if (!Number.isInteger(slots) || slots < 1) {
		throw new InputError(
			`NetSuite "Concurrency Slots" must be a whole number of 1 or more, got ${String(credentials.concurrency)}`,
			'concurrency',
			'Set it in the credential to the concurrency your account tier allows this integration.',
		);
	}
	return { kind: 'concurrency', slots };
}

/** How the NetSuite node plugs into the kernel. */
export const netSuiteDefinition: SystemDefinition<NetSuiteCredentials> = {
	system: 'netsuite',
	credentialType: 'netSuiteTbaApi',
	profile: netSuiteProfile,
	rateLimit: netSuiteRateLimit,
};

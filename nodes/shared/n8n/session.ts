import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { CommerceError } from '../core/http/errors';
import type { SystemProfile } from '../core/http/profile';
import type { Clock } from '../core/resilience/clock';
import type { SystemContext, SystemDefinition } from './system';

/**
 * Where a credential keeps its exchanged session token: the hidden `expirable` field n8n fills
 * through the credential's `preAuthentication`, and a hidden field with the expiry (ISO time).
 */
export interface SessionFields {
	/** The hidden expirable field (`typeOptions.expirable: true`). */
	token: string;
	/** The hidden field preAuthentication fills with the token's expiry, as an ISO time. */
	expiresAt: string;
	/** Renew this long before the expiry (default 5 minutes). */
	marginMs?: number;
}

// Expiry of the token last seen per credential, so a refresh forced by one execution is not
// forced again by the next before n8n has handed out the persisted token.
const known = new Map<string, number>();
// One exchange at a time per credential: requests that find the token stale while another is
// renewing it wait for that one instead of each exchanging their own.
const inFlight = new Map<string, Promise<unknown>>();

/** Forgets what is known about session tokens (tests). */
export function resetSessions(): void {
	known.clear();
	inFlight.clear();
}

/**
 * Wraps an execution context so that tokens exchanged by a credential's `preAuthentication`
 * are renewed before they expire and after the system refuses one.
 *
 * n8n runs preAuthentication only when the expirable field is empty (or after a 401 it sees
 * thrown, which never happens here: the kernel transport takes every status as data). So when
 * the token is missing, near its expiry or refused, the next request goes out with the
 * credential data passed explicitly and that field blanked; n8n then exchanges a new token,
 * stores it in the credential and sends the request with it.
 *
 * A failed exchange (bad client secret, revoked refresh token) surfaces as an `auth`
 * CommerceError carrying the token endpoint's status, never retried.
 */
export function withSession<C extends ICredentialDataDecryptedObject>(
	ctx: SystemContext,
	definition: SystemDefinition<C>,
	fields: SessionFields,
	clock: Clock,
): { ctx: SystemContext; definition: SystemDefinition<C> } {
	const margin = fields.marginMs ?? 5 * 60_000;
	const credentialRef = ctx.getNode().credentials?.[definition.credentialType];
	const key = `${definition.system}|${credentialRef?.id ?? 'inline'}`;
	let forced = false;

	const send = async (type: string, options: IHttpRequestOptions): Promise<unknown> => {
		const helpers = ctx.helpers as unknown as {
			httpRequestWithAuthentication(type: string, options: IHttpRequestOptions, extra?: IDataObject): Promise<unknown>;
		};
		const pending = inFlight.get(key);
		if (pending) await pending.catch(() => undefined);
		const data = (await ctx.getCredentials(type)) as IDataObject;
		const storedExpiry = Date.parse(String(data[fields.expiresAt] ?? ''));
		const renewedHere = known.get(key);
		const expiry = Math.max(Number.isFinite(storedExpiry) ? storedExpiry : 0, renewedHere ?? 0);
		const stale = (!data[fields.token] && renewedHere === undefined) || expiry - clock.now() < margin;
		try {
			if (!forced && !stale) return await helpers.httpRequestWithAuthentication.call(ctx, type, options);
			const other = inFlight.get(key);
			if (other && !forced) {
				// Another request is renewing the token right now: use the one it gets.
				await other.catch(() => undefined);
				return await helpers.httpRequestWithAuthentication.call(ctx, type, options);
			}
			forced = false;
			const fresh: IDataObject = { ...data, [fields.token]: '' };
			const exchange = helpers.httpRequestWithAuthentication.call(ctx, type, options, {
				credentialsDecrypted: { id: credentialRef?.id ?? 'inline', name: credentialRef?.name ?? '', type, data: fresh },
			});
			inFlight.set(key, exchange);
			try {
				const response = await exchange;
				const renewed = Date.parse(String(fresh[fields.expiresAt] ?? ''));
				if (Number.isFinite(renewed)) known.set(key, renewed);
				return response;
			} finally {
				if (inFlight.get(key) === exchange) inFlight.delete(key);
			}
		} catch (error) {
			throw exchangeFailure(error, definition.system);
		}
	};

	const wrapped = {
		...ctx,
		getNode: ctx.getNode.bind(ctx),
		getCredentials: ctx.getCredentials.bind(ctx),
		helpers: { ...ctx.helpers, httpRequestWithAuthentication: send },
	} as unknown as SystemContext;

	return {
		ctx: wrapped,
		definition: {
			...definition,
			profile: (credentials: C): SystemProfile => ({
				...definition.profile(credentials),
				refreshAuth: async () => {
					forced = true;
					known.delete(key);
				},
			}),
		},
	};
}

/**
 * The transport takes every HTTP status as data, so an error carrying a status can only come
 * from the token exchange n8n ran first. Network errors (with a code) pass through unchanged.
 */
function exchangeFailure(error: unknown, system: string): unknown {
	const e = error as {
		code?: unknown;
		httpCode?: unknown;
		status?: unknown;
		response?: { status?: unknown };
		message?: string;
		description?: string;
	};
	if (!e || typeof e !== 'object' || typeof e.code === 'string') return error;
	const status = Number(e.httpCode ?? e.response?.status ?? e.status);
	if (!Number.isInteger(status) || status < 400) return error;
	return new CommerceError({
		kind: 'auth',
		system,
		status,
		retryable: false,
		message: `The ${system} token exchange failed with status ${status}: ${e.message ?? 'refused'}`,
		hint: 'Check the client ID, client secret and refresh token in the credential (a refresh token can be revoked or expire), and the token URL override if one is set.',
	});
}

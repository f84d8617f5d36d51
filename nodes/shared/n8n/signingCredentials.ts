import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import type { VerifyResult } from '../core/webhooks/signatures';

/**
 * Verifies a webhook delivery against the secret in the trigger's credential without loading
 * the credential for every delivery.
 *
 * Loading a credential inside n8n 2.x's webhook handler costs about 60 ms (measured on a queue-
 * mode webhook processor: a plain Webhook node answers in 28 ms, our Shopify trigger in 80 ms,
 * nearly all of the difference in `getCredentials`). Shopify sends the echoes of one bulk stock
 * write together by the hundred and waits 5 s for each answer, so those milliseconds decide
 * whether a burst is answered in time or every delivery in it is retried.
 *
 * What is kept, per workflow, node and credential, for {@link SIGNING_CREDENTIALS_TTL_MS}: the
 * decrypted credential, in the memory of the process that already held it. A delivery that
 * does not verify against the kept copy is checked again with a freshly loaded one before it is
 * refused, so a rotated secret is used from its first delivery. A copy loaded less than
 * {@link SIGNING_CREDENTIALS_RELOAD_MS} ago is taken as fresh: a flood of forged deliveries
 * costs one load a second, not one each.
 */

/** How long a loaded credential verifies deliveries before it is loaded again. */
export const SIGNING_CREDENTIALS_TTL_MS = 60_000;

/** A failed check reloads the credential unless it was loaded this recently. */
export const SIGNING_CREDENTIALS_RELOAD_MS = 1_000;

const kept = new Map<string, { credentials: ICredentialDataDecryptedObject; loadedAt: number }>();

/** What the helper needs of n8n's webhook context (a subset, so tests can drive it). */
export type SigningContext = Pick<IWebhookFunctions, 'getCredentials' | 'getNode' | 'getWorkflow'>;

/**
 * Runs `verify` with the trigger's credential, loaded at most once a minute while deliveries
 * verify. Returns the verdict and the credential it was reached with.
 */
export async function verifyWithCredential<C extends object>(
	ctx: SigningContext,
	credentialType: string,
	verify: (credentials: C) => VerifyResult,
	now: () => number = Date.now,
): Promise<{ verdict: VerifyResult; credentials: C }> {
	const node = ctx.getNode();
	const key = JSON.stringify([ctx.getWorkflow().id ?? '', node.name, credentialType, node.credentials?.[credentialType]?.id ?? '']);
	const entry = kept.get(key);
	if (entry && now() - entry.loadedAt < SIGNING_CREDENTIALS_TTL_MS) {
		const credentials = entry.credentials as C;
		const verdict = verify(credentials);
		if (verdict.ok || now() - entry.loadedAt < SIGNING_CREDENTIALS_RELOAD_MS) return { verdict, credentials };
	}
	const credentials = await ctx.getCredentials(credentialType);
	kept.set(key, { credentials, loadedAt: now() });
	return { verdict: verify(credentials as C), credentials: credentials as C };
}

/** Forgets every kept credential (tests). */
export function forgetSigningCredentials(): void {
	kept.clear();
}

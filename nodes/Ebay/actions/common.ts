import type { IExecuteFunctions } from 'n8n-workflow';

import { n8nClock } from '../../shared/n8n/clock';
import { withSession } from '../../shared/n8n/session';
import { systemClient, type SystemClient } from '../../shared/n8n/system';
import { ebay, type EbayCredentials } from '../transport';

/** The eBay client for this execution: user token renewed before expiry, daily quota counted. */
export async function ebayClient(ctx: IExecuteFunctions): Promise<SystemClient<EbayCredentials>> {
	const session = withSession(ctx, ebay, { token: 'sessionToken', expiresAt: 'sessionExpiresAt' }, n8nClock);
	return await systemClient(session.ctx, session.definition);
}

/** Shared with every system: the Return All / Limit reader. */
export { readLimit } from '../../shared/n8n/descriptions';

/**
 * Revisions this process has made per listing (offer) today, US Pacific calendar day. eBay caps a
 * listing at 250 revisions a day and does not report the count, so it is kept here.
 */
const revisions = new Map<string, { day: number; count: number }>();

/** eBay's calendar day for `now` (US Pacific, a fixed −7 h). */
export function ebayDay(now: number): number {
	return Math.floor((now - 7 * 3_600_000) / 86_400_000);
}

/** Revisions counted today for `key` (offer id, or SKU when no offer is known). */
export function revisionsToday(key: string, now: number): number {
	const entry = revisions.get(key);
	return entry && entry.day === ebayDay(now) ? entry.count : 0;
}

/** Counts one revision of `key`; returns the count after it. */
export function countRevision(key: string, now: number): number {
	const count = revisionsToday(key, now) + 1;
	revisions.set(key, { day: ebayDay(now), count });
	return count;
}

/** Forgets the revision counts (tests). */
export function resetRevisionCounts(): void {
	revisions.clear();
}

import type { IExecuteFunctions } from 'n8n-workflow';

import { n8nClock } from '../../shared/n8n/clock';
import { withSession } from '../../shared/n8n/session';
import { systemClient, type SystemClient } from '../../shared/n8n/system';
import { InputError } from '../../shared/n8n/errors';
import { amazon, marketplaceIds, type AmazonCredentials } from '../transport';

/** The SP-API client for this execution: LWA token renewed before expiry, buckets per operation. */
export async function amazonClient(ctx: IExecuteFunctions): Promise<SystemClient<AmazonCredentials>> {
	const session = withSession(ctx, amazon, { token: 'sessionToken', expiresAt: 'sessionExpiresAt' }, n8nClock);
	return await systemClient(session.ctx, session.definition);
}

/** `/listings/2021-08-01/items/<sellerId>[/<sku>]`, both encoded. */
export function listingsPath(sellerId: string, sku?: string): string {
	const base = `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}`;
	return sku === undefined ? base : `${base}/${encodeURIComponent(sku)}`;
}

/** The seller id and the first marketplace of the credential (or the node's override). */
export function sellerAndMarketplace(ctx: IExecuteFunctions, credentials: AmazonCredentials, index: number): { sellerId: string; marketplaceId: string } {
	const sellerId = String(credentials.sellerId ?? '').trim();
	if (!sellerId) throw new InputError('The Amazon credential has no seller ID', 'sellerId', 'Set "Seller ID" (your merchant token) in the credential');
	const override = String(ctx.getNodeParameter('marketplaceId', index, '') ?? '').trim();
	const marketplaceId = override || marketplaceIds(credentials)[0];
	if (!marketplaceId) throw new InputError('No marketplace ID is set', 'marketplaceId', 'Set "Marketplace IDs" in the credential or "Marketplace ID" on the node');
	return { sellerId, marketplaceId };
}

/** Shared with every system: the Return All / Limit reader. */
export { readLimit } from '../../shared/n8n/descriptions';

import type { IExecuteFunctions } from 'n8n-workflow';

import { systemClient, type SystemClient } from '../../shared/n8n/system';
import { hubspot, type HubSpotCredentials } from '../transport';

/** The HubSpot client for this execution, paced by the plan's 10-second and daily limits. */
export async function hubspotClient(ctx: IExecuteFunctions): Promise<SystemClient<HubSpotCredentials>> {
	return await systemClient(ctx, hubspot);
}

/** Shared with every system: the Return All / Limit reader. */
export { readLimit } from '../../shared/n8n/descriptions';

/** Runs `work` over `items` with at most `width` in flight, keeping the order of results. */
export async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	const lane = async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await work(items[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
	return out;
}

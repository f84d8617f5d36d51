import { gunzipSync } from 'node:zlib';

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CommerceError } from '../../../shared/core/http/errors';
import { scopedIdempotencyKey } from '../../../shared/core/idempotency/key';
import { n8nClock } from '../../../shared/n8n/clock';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import type { BatchOperation, BatchResult, ItemContext } from '../../../shared/n8n/router';
import type { HttpClient } from '../../../shared/core/http/client';
import {
	listingsFeed,
	patchRequest,
	reportResults,
	submissionResult,
	toListingChange,
	type ListingChange,
	type ListingResult,
} from '../../mappers';
import { amazonClient, listingsPath, sellerAndMarketplace } from '../common';
import { marketplaceField, skuField } from '../fields';

/** Above this many SKUs in one run, "Auto" sends a JSON_LISTINGS_FEED instead of PATCHes. */
export const DEFAULT_FEED_THRESHOLD = 1000;
const FEED_DOC_TYPE = 'application/json; charset=UTF-8';
const DONE = new Set(['DONE', 'FATAL', 'CANCELLED']);

export const description: INodeProperties[] = displayFor('listing', 'updateQuantityPrice', [
	skuField,
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'string',
		default: '={{ $json.target }}',
		description: 'Absolute merchant-fulfilled quantity (a whole number, not negative). Empty leaves it unchanged.',
	},
	{
		displayName: 'Price',
		name: 'price',
		type: 'string',
		default: '',
		placeholder: '19.99',
		description: 'Your price including tax where applicable. Empty leaves it unchanged.',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'USD',
	},
	{
		displayName: 'Product Type',
		name: 'productType',
		type: 'string',
		default: 'PRODUCT',
		description: 'Amazon product type of the listing; PRODUCT works for offer-only changes',
	},
	{
		displayName: 'Send As',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'Auto (by Volume)', value: 'auto', description: 'One PATCH per SKU for a few, a listings feed for many' },
			{ name: 'PATCH per SKU', value: 'patch' },
			{ name: 'JSON Listings Feed', value: 'feed' },
		],
		default: 'auto',
	},
	{
		displayName: 'Use a Feed Above (SKUs)',
		name: 'feedThreshold',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_FEED_THRESHOLD,
		displayOptions: { show: { method: ['auto'] } },
		description:
			'PATCH is limited to about 5 per second per seller; a feed takes minutes to process whatever its size. Above this many SKUs a feed is faster.',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1 },
		default: 30,
		displayOptions: { show: { method: ['auto', 'feed'] } },
		description: 'How often to ask whether the feed has been processed',
	},
	{
		displayName: 'Feed Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		displayOptions: { show: { method: ['auto', 'feed'] } },
	},
	marketplaceField,
	dryRunField,
	correlationIdField,
]);

interface Planned {
	ctx: ItemContext;
	change: ListingChange;
}

// API: https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-reference#patchlistingsitem
// API: https://developer-docs.amazon.com/sp-api/docs/manage-product-listings-with-the-selling-partner-api
export const operation: BatchOperation = {
	kind: 'batch',
	correlation: true,
	async execute(this: IExecuteFunctions, items): Promise<BatchResult[]> {
		const results: BatchResult[] = [];
		const { client, credentials } = await amazonClient(this);
		const { sellerId, marketplaceId } = sellerAndMarketplace(this, credentials, 0);
		const planned: Planned[] = [];
		for (const ctx of items) {
			try {
				const i = ctx.index;
				planned.push({
					ctx,
					change: toListingChange({
						sku: this.getNodeParameter('sku', i, ''),
						productType: this.getNodeParameter('productType', i, 'PRODUCT'),
						marketplaceId,
						quantity: this.getNodeParameter('quantity', i, ''),
						price: this.getNodeParameter('price', i, ''),
						currency: this.getNodeParameter('currency', i, 'USD'),
					}),
				});
			} catch (error) {
				results.push({ index: ctx.index, error });
			}
		}
		const method = this.getNodeParameter('method', 0, 'auto') as string;
		const threshold = this.getNodeParameter('feedThreshold', 0, DEFAULT_FEED_THRESHOLD) as number;
		const useFeed = method === 'feed' || (method === 'auto' && planned.length > threshold);
		const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;
		if (planned.length === 0) return results;
		if (useFeed) results.push(...(await viaFeed(this, client, planned, sellerId, marketplaceId, dryRun)));
		else results.push(...(await viaPatch(this, client, planned, sellerId, marketplaceId, dryRun)));
		return results;
	},
};

async function viaPatch(
	ctx: IExecuteFunctions,
	client: HttpClient,
	planned: Planned[],
	sellerId: string,
	marketplaceId: string,
	dryRun: boolean,
): Promise<BatchResult[]> {
	const signal = ctx.getExecutionCancelSignal?.();
	// The bucket paces these; sending them together lets it fill every token as it refills.
	return await Promise.all(
		planned.map(async ({ ctx: item, change }): Promise<BatchResult> => {
			const request = {
				method: 'PATCH' as const,
				path: listingsPath(sellerId, change.sku),
				query: { marketplaceIds: marketplaceId, issueLocale: 'en_US' },
				body: patchRequest(change),
			};
			if (dryRun) return { index: item.index, json: { ...row(change), status: 'dryRun', via: 'patch', request } };
			try {
				const response = await client.request<IDataObject>({
					...request,
					headers: item.correlationId ? { 'X-Correlation-Id': item.correlationId } : undefined,
					operation: 'patchListingsItem',
					// Replace-ops set absolute values: sending one twice changes nothing.
					absoluteSet: true,
					signal,
				});
				return outcome(item.index, change, submissionResult(response.body), 'patch');
			} catch (error) {
				return { index: item.index, error };
			}
		}),
	);
}

async function viaFeed(
	ctx: IExecuteFunctions,
	client: HttpClient,
	planned: Planned[],
	sellerId: string,
	marketplaceId: string,
	dryRun: boolean,
): Promise<BatchResult[]> {
	const feed = listingsFeed(sellerId, planned.map((p) => p.change));
	const messages = feed.messages as IDataObject[];
	if (dryRun) {
		return planned.map((p, i) => ({
			index: p.ctx.index,
			json: {
				...row(p.change),
				status: 'dryRun',
				via: 'feed',
				request: { method: 'POST', path: '/feeds/2021-06-30/feeds', body: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [marketplaceId] }, feedMessage: messages[i] },
			},
		}));
	}
	try {
		const { feedId, report } = await submitFeed(ctx, client, feed, marketplaceId);
		const perMessage = reportResults(report, feed);
		return planned.map((p, i) => outcome(p.ctx.index, p.change, perMessage[i], 'feed', feedId));
	} catch (error) {
		return planned.map((p) => ({ index: p.ctx.index, error }));
	}
}

/**
 * Uploads a JSON_LISTINGS_FEED, waits for Amazon to process it and returns its processing report.
 * A FATAL feed still has a report naming what was wrong; CANCELLED has none.
 */
export async function submitFeed(
	ctx: IExecuteFunctions,
	client: HttpClient,
	feed: IDataObject,
	marketplaceId: string,
): Promise<{ feedId: string; report: IDataObject }> {
	const signal = ctx.getExecutionCancelSignal?.();
	const content = JSON.stringify(feed);
	const doc = await client.request<{ feedDocumentId: string; url: string }>({
		method: 'POST',
		path: '/feeds/2021-06-30/documents',
		body: { contentType: FEED_DOC_TYPE },
		operation: 'createFeedDocument',
		// An unused extra document is harmless, so a lost answer may be retried.
		idempotencyKey: scopedIdempotencyKey('amazon:createFeedDocument', content),
		signal,
	});
	// The presigned URL is on Amazon's document store (S3): it carries its own signature, so no credential goes with it.
	await ctx.helpers.httpRequest({
		method: 'PUT',
		url: doc.body.url,
		body: content,
		headers: { 'Content-Type': FEED_DOC_TYPE },
		json: false,
	});
	const created = await client.request<{ feedId: string }>({
		method: 'POST',
		path: '/feeds/2021-06-30/feeds',
		body: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [marketplaceId], inputFeedDocumentId: doc.body.feedDocumentId },
		operation: 'createFeed',
		// Every message replaces values absolutely, so a second copy of the feed changes nothing.
		absoluteSet: true,
		signal,
	});
	const feedId = String(created.body.feedId);
	const pollMs = Math.max(100, (ctx.getNodeParameter('pollSeconds', 0, 30) as number) * 1000);
	const deadline = Date.now() + (ctx.getNodeParameter('timeoutMinutes', 0, 60) as number) * 60_000;
	let status: IDataObject;
	for (;;) {
		status = (await client.request<IDataObject>({ method: 'GET', path: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`, operation: 'getFeed', signal })).body;
		if (DONE.has(String(status.processingStatus))) break;
		if (Date.now() > deadline) {
			throw new CommerceError({ kind: 'transient', system: 'amazon', retryable: false, message: `Feed ${feedId} was still ${String(status.processingStatus)} when the timeout ran out`, hint: 'Raise "Feed Timeout", or read the result later with Feed → Get Status' });
		}
		await n8nClock.sleep(pollMs, signal);
	}
	if (!status.resultFeedDocumentId) {
		throw new CommerceError({ kind: 'fatal', system: 'amazon', retryable: false, code: String(status.processingStatus), message: `Feed ${feedId} ended ${String(status.processingStatus)} without a processing report` });
	}
	return { feedId, report: await downloadReport(ctx, client, String(status.resultFeedDocumentId)) };
}

/** Fetches a feed document (processing report), unzipping it when Amazon compressed it. */
export async function downloadReport(ctx: IExecuteFunctions, client: HttpClient, documentId: string): Promise<IDataObject> {
	const doc = await client.request<{ url: string; compressionAlgorithm?: string }>({
		method: 'GET',
		path: `/feeds/2021-06-30/documents/${encodeURIComponent(documentId)}`,
		operation: 'getFeedDocument',
		signal: ctx.getExecutionCancelSignal?.(),
	});
	const gzip = doc.body.compressionAlgorithm === 'GZIP';
	const raw = (await ctx.helpers.httpRequest({ method: 'GET', url: doc.body.url, json: false, encoding: gzip ? 'arraybuffer' : 'text' })) as unknown;
	// Some HTTP stacks parse a JSON content type even when asked for text.
	if (!gzip && raw && typeof raw === 'object' && !Buffer.isBuffer(raw) && !(raw instanceof ArrayBuffer)) return raw as IDataObject;
	const text = gzip ? gunzipSync(Buffer.from(raw as ArrayBuffer)).toString('utf8') : typeof raw === 'string' ? raw : Buffer.from(raw as ArrayBuffer).toString('utf8');
	try {
		return JSON.parse(text) as IDataObject;
	} catch {
		throw new CommerceError({ kind: 'fatal', system: 'amazon', retryable: false, message: `The processing report ${documentId} is not JSON` });
	}
}

function row(change: ListingChange): IDataObject {
	const out: IDataObject = { sku: change.sku, marketplaceId: change.marketplaceId, productType: change.productType };
	if (change.quantity !== undefined) out.target = change.quantity;
	if (change.price !== undefined) {
		out.price = change.price;
		out.currency = change.currency;
	}
	return out;
}

function outcome(index: number, change: ListingChange, result: ListingResult | undefined, via: string, feedId?: string): BatchResult {
	if (!result) return { index, error: new CommerceError({ kind: 'fatal', system: 'amazon', retryable: false, message: `Amazon reported nothing for ${change.sku}` }) };
	if (result.errors.length > 0 || result.status === 'INVALID') {
		const first = result.errors[0] ?? {};
		return {
			index,
			error: new CommerceError({
				kind: 'validation',
				system: 'amazon',
				retryable: false,
				status: 400,
				body: { sku: change.sku, feedId, issues: result.errors },
				message: `Amazon refused the change for ${change.sku}${first.code ? ` (${String(first.code)})` : ''}: ${String(first.message ?? 'invalid')}`,
				hint: 'Fix the listing or the value named in the message and send the item again',
			}),
		};
	}
	const json: IDataObject = { ...row(change), status: result.status.toLowerCase(), via, warnings: result.warnings };
	if (result.submissionId) json.submissionId = result.submissionId;
	if (feedId) json.feedId = feedId;
	return { index, json };
}

/**
 * Test-only fixtures: a small "widgets" system that exercises every part of the framework
 * (state from the catalog, params, JSON bodies, manual cost charging, webhooks), and an HTTP
 * receiver that records webhook deliveries. Not shipped: real systems live in sandbox/systems.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { json, SandboxHttpError } from '../../sandbox/http';
import type { RateLimitPolicy } from '../../sandbox/ratelimit/policies';
import type { SandboxSystem, SystemRegistration } from '../../sandbox/types';
import {
	GENERIC_DELIVERY,
	genericHmacSigner,
	type WebhookSigner,
} from '../../sandbox/webhooks/signers';

interface WidgetState {
	items: Map<string, { sku: string; price: string; available: number }>;
}

/** Builds the test system; each sandbox gets fresh policies from `rateLimits()`. */
export function widgetsSystem(
	options: {
		name?: string;
		rateLimits?: () => RateLimitPolicy[];
		signer?: WebhookSigner;
		secret?: string;
	} = {},
): SystemRegistration {
	const name = options.name ?? 'widgets';
	return {
		name,
		description: 'test-only system',
		create: (ctx): SandboxSystem => {
			const state: WidgetState = { items: new Map() };
			return {
				name,
				rateLimits: options.rateLimits?.() ?? [],
				webhooks: {
					signer: options.signer ?? genericHmacSigner(),
					secret: options.secret ?? 'widgets-secret',
					...GENERIC_DELIVERY,
				},
				reset: () => state.items.clear(),
				seed: ({ catalog }) => {
					for (const item of catalog.items) {
						state.items.set(item.sku, {
							sku: item.sku,
							price: item.price,
							available: item.stock.reduce((n, s) => n + s.available, 0),
						});
					}
				},
				snapshot: () => ({ items: [...state.items.values()] }),
				routes: [
					{
						method: 'GET',
						path: '/items',
						operation: 'listItems',
						handler: (req) =>
							json(200, {
								items: [...state.items.values()].slice(0, Number(req.query.limit ?? 1000)),
							}),
					},
					{
						method: 'GET',
						path: '/items/:sku',
						operation: 'getItem',
						handler: (req) => {
							const item = state.items.get(req.params.sku);
							if (!item)
								throw new SandboxHttpError(json(404, { message: `No item ${req.params.sku}` }));
							return json(200, item, { 'x-request-id': req.requestId });
						},
					},
					{
						method: 'POST',
						path: '/items/:sku/adjust',
						operation: 'adjust',
						handler: (req) => {
							const item = state.items.get(req.params.sku);
							const delta = (req.body as { delta?: unknown } | undefined)?.delta;
							if (!item) return json(404, { message: 'not found' });
							if (typeof delta !== 'number')
								return json(400, { message: 'delta must be a number', bodyError: req.bodyError });
							item.available += delta;
							req.webhooks.emit('stock/update', { sku: item.sku, available: item.available });
							return json(200, item);
						},
					},
					{
						method: 'POST',
						path: '/graphql',
						operation: 'graphql',
						handler: (req) => {
							const cost = Number(req.headers['x-cost'] ?? 10);
							const charge = req.limits.charge('cost', cost);
							if (!charge.allowed)
								return json(200, {
									errors: [{ message: charge.reason }],
									status: charge.throttleStatus,
								});
							const status = req.limits.refund('cost', cost, Math.floor(cost / 2));
							return json(200, { data: {}, status });
						},
					},
					{
						method: 'GET',
						path: '/boom',
						handler: () => {
							throw new Error('handler bug');
						},
					},
					{
						method: 'GET',
						path: '/files/*',
						handler: (req) => json(200, { rest: req.params['*'], url: req.url, base: req.baseUrl }),
					},
				],
				errorResponse: (status, req) =>
					json(status, { widgetsError: status, requestId: req.requestId }),
				notFound: (req) => json(404, { widgetsError: 404, path: req.path }),
			};
		},
	};
}

/** A recorded webhook delivery. */
export interface Received {
	headers: http.IncomingHttpHeaders;
	body: string;
	url: string;
	method: string;
}

/** An HTTP server that records deliveries and answers with whatever `respond` says. */
export async function startReceiver(
	respond: (n: number, r: Received) => number | 'hang' = () => 200,
) {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const r: Received = {
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				url: req.url ?? '',
				method: req.method ?? '',
			};
			received.push(r);
			const answer = respond(received.length, r);
			if (answer === 'hang') return;
			res.writeHead(answer, { 'Content-Type': 'text/plain' });
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		received,
		url: `http://127.0.0.1:${port}/hooks/in?x=1`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

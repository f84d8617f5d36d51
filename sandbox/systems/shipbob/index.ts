/**
 * ShipBob stand-in (API versions 2026-01 and 2025-07): inventory per fulfilment centre (read
 * only; it moves only through orders, shipping and simulated receiving), products with
 * variants, orders keyed by `reference_id`, shipments, webhook subscriptions signed with
 * Standard Webhooks, and the 150-per-minute sliding window.
 * API: https://developer.shipbob.com/2026-01/api
 */
import { empty, json, SandboxHttpError, type SandboxResponse } from '../../http';
import { shipbobRateLimit } from '../../ratelimit/presets';
import type {
	RouteDefinition,
	SandboxRequest,
	SandboxSystem,
	SeedInput,
	SystemRegistration,
} from '../../types';
import { SHIPBOB_DELIVERY, standardWebhooksSigner } from '../../webhooks/signers';

/** The personal access token the sandbox accepts unless seed options say otherwise. */
export const SHIPBOB_SANDBOX_TOKEN = 'sandbox-shipbob-pat';
/** The channel the sandbox token writes to. */
export const SHIPBOB_SANDBOX_CHANNEL = 91_001;
/** Default webhook signing secret (a subscription may bring its own `whsec_…`). */
export const SHIPBOB_SANDBOX_WEBHOOK_SECRET = 'whsec_c2FuZGJveC1zaGlwYm9iLXNlY3JldC0xMjM0NTY=';

const VERSIONS = new Set(['2026-01', '2025-07']);

interface Level {
	locationId: number;
	onHand: number;
	committed: number;
	awaiting: number;
	internalTransfer: number;
}

interface InventoryItem {
	inventoryId: number;
	sku: string;
	name: string;
	levels: Map<number, Level>;
	productId: number;
	variantId: number;
	barcode: string;
	updatedAt: number;
}

interface Shipment {
	id: number;
	orderId: number;
	referenceId: string;
	status: 'Processing' | 'Completed' | 'Cancelled' | 'Exception';
	locationId: number;
	products: Array<{
		inventoryId: number;
		sku: string;
		name: string;
		quantity: number;
		referenceId: string;
	}>;
	createdAt: number;
	lastUpdateAt: number;
	shippedAt?: number;
	deliveredAt?: number;
	tracking?: { carrier: string; trackingNumber: string };
}

interface Order {
	id: number;
	referenceId: string;
	orderNumber?: string;
	status: string;
	type: string;
	shippingMethod: string;
	recipient: Record<string, unknown>;
	products: Array<Record<string, unknown>>;
	tags: Array<{ name: string; value: string }>;
	createdAt: number;
	shipmentIds: number[];
	channelId: number;
}

function problem(status: number, title: string, detail?: string): SandboxResponse {
	return json(status, {
		type: `https://httpstatuses.io/${status}`,
		title,
		status,
		...(detail ? { detail } : {}),
	});
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function createShipBob(ctx: Parameters<SystemRegistration['create']>[0]): SandboxSystem & {
	receive(sku: string, locationId: string, quantity: number): void;
	addItem(sku: string, onHandByLocation: Record<string, number>, name?: string): void;
} {
	let token = SHIPBOB_SANDBOX_TOKEN;
	let inventory = new Map<number, InventoryItem>();
	let bySku = new Map<string, number>();
	let centres = new Map<number, { id: number; name: string; city: string; country: string }>();
	let orders = new Map<number, Order>();
	let shipments = new Map<number, Shipment>();
	let webhooks = new Map<
		string,
		{
			id: string;
			topics: string[];
			url: string;
			description?: string;
			secret: string;
			createdAt: number;
			subscriptionIds: string[];
		}
	>();
	let nextId = 1;

	function seed({ catalog, options, rng }: SeedInput): void {
		if (typeof options.token === 'string') token = options.token;
		for (const loc of catalog.locations)
			centres.set(Number(loc.id), {
				id: Number(loc.id),
				name: `${loc.city} (${loc.code})`,
				city: loc.city,
				country: loc.country,
			});
		let inventoryId = 20_000_000;
		let productId = 5_000_000;
		const now = ctx.clock.now();
		for (const item of catalog.items) {
			inventoryId += rng.int(1, 5);
			productId += rng.int(1, 5);
			const levels = new Map<number, Level>();
			for (const s of item.stock) {
				// ShipBob has no "reserved": held-back units show as committed to the warehouse.
				levels.set(Number(s.locationId), {
					locationId: Number(s.locationId),
					onHand: s.onHand,
					committed: s.committed + s.reserved,
					awaiting: s.incoming,
					internalTransfer: 0,
				});
			}
			inventory.set(inventoryId, {
				inventoryId,
				sku: item.sku,
				name: item.name,
				levels,
				productId,
				variantId: productId + 1,
				barcode: item.barcode,
				updatedAt: now - rng.int(60, 86_400) * 1000,
			});
			bySku.set(item.sku, inventoryId);
		}
		nextId = 700_000_000;
	}

	function reset(): void {
		token = SHIPBOB_SANDBOX_TOKEN;
		inventory = new Map();
		bySku = new Map();
		centres = new Map();
		orders = new Map();
		shipments = new Map();
		webhooks = new Map();
	}

	const authed =
		(handler: (req: SandboxRequest) => SandboxResponse): RouteDefinition['handler'] =>
		(req) => {
			if (!VERSIONS.has(req.params.version))
				return problem(404, 'Not Found', `Unknown API version ${req.params.version}`);
			if (req.headers.authorization !== `Bearer ${token}`)
				return json(401, {
					type: 'https://httpstatuses.io/401',
					title: 'Unauthorized',
					status: 401,
					detail: 'Authorization missing or invalid',
				});
			return handler(req);
		};

	function pageSize(req: SandboxRequest, max = 250): number {
		const raw = req.query.PageSize ?? req.query.Limit;
		if (raw === undefined) return 50;
		const n = Number(Array.isArray(raw) ? raw[0] : raw);
		if (!Number.isInteger(n) || n < 1 || n > max)
			throw new SandboxHttpError(
				problem(400, 'Bad Request', `PageSize must be between 1 and ${max}`),
			);
		return n;
	}

	/** Cursor paging with absolute first/next/prev/last links, as the paged responses carry. */
	function paged<T>(req: SandboxRequest, all: T[], map: (t: T) => unknown) {
		const size = pageSize(req);
		const cursor = Number(typeof req.query.Cursor === 'string' ? req.query.Cursor : 0);
		if (!Number.isInteger(cursor) || cursor < 0)
			throw new SandboxHttpError(problem(400, 'Bad Request', 'Invalid Cursor'));
		const keep = new URLSearchParams();
		for (const [k, v] of Object.entries(req.query))
			if (k !== 'Cursor') for (const x of Array.isArray(v) ? v : [v]) keep.append(k, x);
		const link = (at: number) => {
			const p = new URLSearchParams(keep);
			if (at > 0) p.set('Cursor', String(at));
			const qs = p.toString();
			return `${req.baseUrl}${req.path}${qs ? `?${qs}` : ''}`;
		};
		const lastStart = all.length === 0 ? 0 : Math.floor((all.length - 1) / size) * size;
		return {
			first: cursor === 0 ? null : link(0),
			items: all.slice(cursor, cursor + size).map(map),
			last: cursor >= lastStart ? null : link(lastStart),
			next: cursor + size < all.length ? link(cursor + size) : null,
			prev: cursor === 0 ? null : link(Math.max(0, cursor - size)),
		};
	}

	function filteredInventory(req: SandboxRequest): InventoryItem[] {
		let list = [...inventory.values()];
		const ids =
			typeof req.query.InventoryIds === 'string'
				? req.query.InventoryIds.split(',').map((s) => Number(s.trim()))
				: undefined;
		if (ids) list = list.filter((i) => ids.includes(i.inventoryId));
		const search =
			typeof req.query.SearchBy === 'string' ? req.query.SearchBy.toLowerCase() : undefined;
		if (search)
			list = list.filter(
				(i) => i.sku.toLowerCase().includes(search) || i.name.toLowerCase().includes(search),
			);
		const location =
			typeof req.query.LocationId === 'string' ? Number(req.query.LocationId) : undefined;
		if (location !== undefined) list = list.filter((i) => i.levels.has(location));
		return list.sort((a, b) => a.inventoryId - b.inventoryId);
	}

	const fulfillable = (l: Level) => Math.max(0, l.onHand - l.committed);

	function shipmentView(s: Shipment) {
		const centre = centres.get(s.locationId);
		return {
			id: s.id,
			order_id: s.orderId,
			reference_id: s.referenceId,
			status: s.status,
			created_date: iso(s.createdAt),
			last_update_at: iso(s.lastUpdateAt),
			...(s.shippedAt ? { actual_fulfillment_date: iso(s.shippedAt) } : {}),
			...(s.deliveredAt ? { delivery_date: iso(s.deliveredAt) } : {}),
			location: { id: s.locationId, name: centre?.name ?? null },
			products: s.products.map((p) => ({
				id: p.inventoryId,
				name: p.name,
				reference_id: p.referenceId,
				sku: p.sku,
				inventory_items: [{ id: p.inventoryId, name: p.name, quantity: p.quantity }],
			})),
			is_tracking_uploaded: !!s.tracking,
			...(s.tracking
				? {
						tracking: {
							carrier: s.tracking.carrier,
							tracking_number: s.tracking.trackingNumber,
							tracking_url: `https://tools.usps.com/go/TrackConfirmAction?tLabels=${s.tracking.trackingNumber}`,
						},
					}
				: {}),
		};
	}

	function orderView(o: Order) {
		return {
			id: o.id,
			created_date: iso(o.createdAt),
			purchase_date: iso(o.createdAt),
			reference_id: o.referenceId,
			order_number: o.orderNumber ?? null,
			status: o.status,
			type: o.type,
			channel: { id: o.channelId, name: 'Sandbox API Channel' },
			shipping_method: o.shippingMethod,
			recipient: o.recipient,
			products: o.products,
			tags: o.tags,
			shipments: o.shipmentIds.map((id) => shipmentView(shipments.get(id) as Shipment)),
		};
	}

	function createOrder(req: SandboxRequest): SandboxResponse {
		if (req.bodyError || !req.body || typeof req.body !== 'object')
			return json(400, { '': ['A non-empty request body is required.'] });
		const body = req.body as Record<string, unknown>;
		const errors: Record<string, string[]> = {};
		const need = (field: string, ok: boolean) => {
			if (!ok) errors[field] = [`The ${field} field is required.`];
		};
		need('reference_id', typeof body.reference_id === 'string' && body.reference_id.trim() !== '');
		need(
			'shipping_method',
			typeof body.shipping_method === 'string' && body.shipping_method !== '',
		);
		need('type', ['DTC', 'DropShip', 'B2B'].includes(String(body.type)));
		const recipient = body.recipient as Record<string, unknown> | undefined;
		need('recipient', !!recipient && typeof recipient === 'object');
		const address = (recipient?.address ?? {}) as Record<string, unknown>;
		if (recipient) {
			need('recipient.name', typeof recipient.name === 'string' && recipient.name !== '');
			for (const f of ['address1', 'city', 'country'])
				need(`recipient.address.${f}`, typeof address[f] === 'string' && address[f] !== '');
		}
		const products = Array.isArray(body.products)
			? (body.products as Array<Record<string, unknown>>)
			: [];
		need('products', products.length > 0);
		products.forEach((p, i) => {
			if (!Number.isInteger(p.quantity) || (p.quantity as number) < 1)
				errors[`products[${i}].quantity`] = [
					'The field quantity must be between 1 and 2147483647.',
				];
			if (typeof p.reference_id !== 'string' && typeof p.id !== 'number')
				errors[`products[${i}]`] = ['Either reference_id or id is required.'];
		});
		if (Object.keys(errors).length) return json(400, errors);
		const referenceId = String(body.reference_id);
		const channelId = Number(req.headers.shipbob_channel_id ?? SHIPBOB_SANDBOX_CHANNEL);
		const existing = [...orders.values()].find(
			(o) => o.referenceId === referenceId && o.channelId === channelId,
		);
		if (existing)
			return json(422, {
				errors: [
					`An order with reference_id '${referenceId}' already exists (order id ${existing.id}).`,
				],
			});
		const lines = products.map((p, i) => {
			const inventoryId =
				bySku.get(String(p.reference_id ?? '')) ??
				bySku.get(String(p.sku ?? '')) ??
				(typeof p.id === 'number' && inventory.has(p.id) ? p.id : undefined);
			if (inventoryId === undefined)
				errors[`products[${i}].reference_id`] = [
					`No product with reference_id '${String(p.reference_id)}' exists in this account.`,
				];
			return {
				p,
				item: inventory.get(inventoryId ?? -1) as InventoryItem,
				quantity: p.quantity as number,
			};
		});
		if (Object.keys(errors).length) return json(422, { errors: Object.values(errors).flat() });
		// One shipment from the first fulfilment centre that can fill every line, else the first.
		const wanted = typeof body.location_id === 'number' ? body.location_id : undefined;
		const centre =
			wanted ??
			[...centres.keys()].find((c) =>
				lines.every(
					(l) =>
						fulfillable(l.item.levels.get(c) ?? ({ onHand: 0, committed: 0 } as Level)) >=
						l.quantity,
				),
			) ??
			[...centres.keys()][0];
		const id = nextId++;
		const shipmentId = nextId++;
		for (const l of lines) {
			const level = l.item.levels.get(centre) ?? {
				locationId: centre,
				onHand: 0,
				committed: 0,
				awaiting: 0,
				internalTransfer: 0,
			};
			level.committed += l.quantity;
			l.item.levels.set(centre, level);
			l.item.updatedAt = req.now;
		}
		shipments.set(shipmentId, {
			id: shipmentId,
			orderId: id,
			referenceId,
			status: 'Processing',
			locationId: centre,
			products: lines.map((l) => ({
				inventoryId: l.item.inventoryId,
				sku: l.item.sku,
				name: l.item.name,
				quantity: l.quantity,
				referenceId: l.item.sku,
			})),
			createdAt: req.now,
			lastUpdateAt: req.now,
		});
		const order: Order = {
			id,
			referenceId,
			orderNumber: typeof body.order_number === 'string' ? body.order_number : undefined,
			status: 'Processing',
			type: String(body.type),
			shippingMethod: String(body.shipping_method),
			recipient: recipient as Record<string, unknown>,
			products: lines.map((l) => ({
				id: l.item.inventoryId,
				reference_id: l.item.sku,
				sku: l.item.sku,
				quantity: l.quantity,
				...(typeof l.p.unit_price === 'number' ? { unit_price: l.p.unit_price } : {}),
			})),
			tags: Array.isArray(body.tags) ? (body.tags as Array<{ name: string; value: string }>) : [],
			createdAt: req.now,
			shipmentIds: [shipmentId],
			channelId,
		};
		orders.set(id, order);
		return json(201, orderView(order));
	}

	function simulate(req: SandboxRequest): SandboxResponse {
		const body = (req.body ?? {}) as { shipment_id?: number; action?: string };
		const shipment = shipments.get(Number(body.shipment_id));
		if (!shipment)
			return problem(404, 'Not Found', `Shipment ${String(body.shipment_id)} not found`);
		if (body.action === 'ShipOrder') {
			if (shipment.status !== 'Processing')
				return problem(422, 'Unprocessable Entity', `Shipment is ${shipment.status}`);
			for (const p of shipment.products) {
				const level = inventory.get(p.inventoryId)?.levels.get(shipment.locationId);
				if (level) {
					level.onHand = Math.max(0, level.onHand - p.quantity);
					level.committed = Math.max(0, level.committed - p.quantity);
				}
				const item = inventory.get(p.inventoryId);
				if (item) item.updatedAt = req.now;
			}
			shipment.status = 'Completed';
			shipment.shippedAt = req.now;
			shipment.lastUpdateAt = req.now;
			shipment.tracking = {
				carrier: 'USPS',
				trackingNumber: `9400${String(shipment.id).padStart(18, '0')}`,
			};
			const order = orders.get(shipment.orderId);
			if (order) order.status = 'Fulfilled';
			req.webhooks.emit('order.shipped', shipmentView(shipment));
		} else if (body.action === 'DeliverOrder') {
			if (shipment.status !== 'Completed')
				return problem(422, 'Unprocessable Entity', 'Only shipped shipments can be delivered');
			shipment.deliveredAt = req.now;
			shipment.lastUpdateAt = req.now;
			req.webhooks.emit('order.shipment.delivered', shipmentView(shipment));
		} else {
			return problem(400, 'Bad Request', 'action must be ShipOrder or DeliverOrder');
		}
		return json(200, { shipment_id: shipment.id, action: body.action, status: 'Success' });
	}

	const v = (path: string) => `/:version${path}`;
	const routes: RouteDefinition[] = [
		{
			method: 'GET',
			path: v('/inventory-level/locations'),
			operation: 'getInventoryLevelsByLocation',
			handler: authed((req) =>
				json(
					200,
					paged(req, filteredInventory(req), (i) => ({
						inventory_id: i.inventoryId,
						name: i.name,
						sku: i.sku,
						locations: [...i.levels.values()].map((l) => ({
							location_id: l.locationId,
							name: centres.get(l.locationId)?.name ?? null,
							on_hand_quantity: l.onHand,
							committed_quantity: l.committed,
							fulfillable_quantity: fulfillable(l),
							awaiting_quantity: l.awaiting,
							internal_transfer_quantity: l.internalTransfer,
						})),
					})),
				),
			),
		},
		{
			method: 'GET',
			path: v('/inventory-level'),
			operation: 'getInventoryLevels',
			handler: authed((req) =>
				json(
					200,
					paged(req, filteredInventory(req), (i) => {
						const sum = (f: (l: Level) => number) =>
							[...i.levels.values()].reduce((n, l) => n + f(l), 0);
						return {
							inventory_id: i.inventoryId,
							name: i.name,
							sku: i.sku,
							total_on_hand_quantity: sum((l) => l.onHand),
							total_committed_quantity: sum((l) => l.committed),
							total_fulfillable_quantity: sum(fulfillable),
							total_sellable_quantity: sum(fulfillable),
							total_awaiting_quantity: sum((l) => l.awaiting),
							total_backordered_quantity: 0,
							total_exception_quantity: 0,
							total_internal_transfer_quantity: sum((l) => l.internalTransfer),
						};
					}),
				),
			),
		},
		{
			method: 'GET',
			path: v('/product'),
			operation: 'getProducts',
			handler: authed((req) => {
				let list = [...inventory.values()].sort((a, b) => a.productId - b.productId);
				if (typeof req.query.SKU === 'string') list = list.filter((i) => i.sku === req.query.SKU);
				return json(
					200,
					paged(req, list, (i) => ({
						id: i.productId,
						name: i.name,
						type: 'Regular',
						created_on: iso(i.updatedAt),
						updated_on: iso(i.updatedAt),
						variants: [
							{
								id: i.variantId,
								sku: i.sku,
								name: i.name,
								status: 'Active',
								upc: i.barcode,
								gtin: i.barcode,
								inventory: {
									inventory_id: i.inventoryId,
									on_hand_qty: [...i.levels.values()].reduce((n, l) => n + l.onHand, 0),
								},
							},
						],
					})),
				);
			}),
		},
		{
			method: 'GET',
			path: v('/fulfillment-center'),
			operation: 'getFulfillmentCenters',
			handler: authed(() =>
				json(
					200,
					[...centres.values()].map((c) => ({
						id: c.id,
						name: c.name,
						city: c.city,
						country: c.country,
						timezone: 'UTC',
					})),
				),
			),
		},
		{
			method: 'GET',
			path: v('/channel'),
			operation: 'getChannels',
			handler: authed(() =>
				json(200, {
					items: [
						{
							id: SHIPBOB_SANDBOX_CHANNEL,
							name: 'Sandbox API Channel',
							application_name: 'SMA',
							scopes: [
								'orders_write',
								'orders_read',
								'inventory_read',
								'products_read',
								'webhooks_write',
								'webhooks_read',
							],
						},
					],
				}),
			),
		},
		{ method: 'POST', path: v('/order'), operation: 'createOrder', handler: authed(createOrder) },
		{
			method: 'GET',
			path: v('/order'),
			operation: 'getOrders',
			handler: authed((req) => {
				let list = [...orders.values()].sort((a, b) => a.id - b.id);
				const refs = req.query.ReferenceIds;
				if (refs !== undefined) {
					const wanted = new Set(
						(Array.isArray(refs) ? refs : [refs]).flatMap((r) => r.split(',')),
					);
					list = list.filter((o) => wanted.has(o.referenceId));
				}
				const size = pageSize(req);
				const page = Math.max(1, Number(req.query.Page ?? 1));
				const slice = list.slice((page - 1) * size, page * size);
				return json(200, slice.map(orderView), {
					'total-count': String(list.length),
					'page-number': String(page),
				});
			}),
		},
		{
			method: 'GET',
			path: v('/order/:orderId'),
			operation: 'getOrder',
			handler: authed((req) => {
				const order = orders.get(Number(req.params.orderId));
				return order
					? json(200, orderView(order))
					: problem(404, 'Not Found', `Order ${req.params.orderId} not found`);
			}),
		},
		{
			method: 'GET',
			path: v('/order/:orderId/shipment'),
			operation: 'getOrderShipments',
			handler: authed((req) => {
				const order = orders.get(Number(req.params.orderId));
				return order
					? json(
							200,
							order.shipmentIds.map((id) => shipmentView(shipments.get(id) as Shipment)),
						)
					: problem(404, 'Not Found', `Order ${req.params.orderId} not found`);
			}),
		},
		{
			method: 'POST',
			path: v('/webhook'),
			operation: 'createWebhook',
			handler: authed((req) => {
				const body = (req.body ?? {}) as {
					topics?: unknown;
					url?: unknown;
					secret?: unknown;
					description?: unknown;
				};
				const topics = Array.isArray(body.topics)
					? body.topics.filter((t): t is string => typeof t === 'string')
					: [];
				if (topics.length === 0 || typeof body.url !== 'string')
					return json(422, { errors: ['topics and url are required'] });
				if (
					body.secret !== undefined &&
					(typeof body.secret !== 'string' || !/^whsec_[a-zA-Z0-9+/]{32}$/.test(body.secret))
				) {
					return json(422, {
						errors: ['secret must look like whsec_ followed by 32 base64 characters'],
					});
				}
				const secret =
					typeof body.secret === 'string' ? body.secret : SHIPBOB_SANDBOX_WEBHOOK_SECRET;
				const id = String(nextId++);
				const subscriptionIds = topics.map(
					(topic) => req.webhooks.subscribe({ topic, address: body.url as string, secret }).id,
				);
				const hook = {
					id,
					topics,
					url: body.url,
					description: typeof body.description === 'string' ? body.description : undefined,
					secret,
					createdAt: req.now,
					subscriptionIds,
				};
				webhooks.set(id, hook);
				return json(200, {
					id,
					created_at: iso(req.now),
					description: hook.description ?? null,
					secret,
					topics,
					url: hook.url,
				});
			}),
		},
		{
			method: 'GET',
			path: v('/webhook'),
			operation: 'listWebhooks',
			handler: authed(() =>
				json(200, {
					items: [...webhooks.values()].map((w) => ({
						id: w.id,
						created_at: iso(w.createdAt),
						description: w.description ?? null,
						enabled: true,
						topics: w.topics,
						url: w.url,
					})),
				}),
			),
		},
		{
			method: 'DELETE',
			path: v('/webhook/:id'),
			operation: 'deleteWebhook',
			handler: authed((req) => {
				const hook = webhooks.get(req.params.id);
				if (hook) {
					hook.subscriptionIds.forEach((s) => req.webhooks.unsubscribe(s));
					webhooks.delete(req.params.id);
				}
				return empty(204);
			}),
		},
		{
			method: 'POST',
			path: v('/simulate/shipment'),
			operation: 'simulateShipment',
			handler: authed(simulate),
		},
	];

	return {
		name: 'shipbob',
		description: 'ShipBob Developer API 2026-01 / 2025-07',
		rateLimits: [shipbobRateLimit()],
		webhooks: {
			signer: standardWebhooksSigner(),
			secret: SHIPBOB_SANDBOX_WEBHOOK_SECRET,
			...SHIPBOB_DELIVERY,
		},
		reset,
		seed,
		receive(sku, locationId, quantity) {
			const item = inventory.get(bySku.get(sku) ?? -1);
			if (!item) throw new RangeError(`No ShipBob inventory item with SKU ${sku}`);
			const level = item.levels.get(Number(locationId)) ?? {
				locationId: Number(locationId),
				onHand: 0,
				committed: 0,
				awaiting: 0,
				internalTransfer: 0,
			};
			level.onHand += quantity;
			level.awaiting = Math.max(0, level.awaiting - quantity);
			item.levels.set(Number(locationId), level);
			item.updatedAt = ctx.clock.now();
		},
		/** A new inventory item (a product received before any channel lists it), with its stock. */
		addItem(sku, onHandByLocation, name = sku) {
			if (bySku.has(sku)) throw new RangeError(`ShipBob already has SKU ${sku}`);
			const inventoryId = Math.max(20_000_000, ...inventory.keys()) + 7;
			const productId = Math.max(5_000_000, ...[...inventory.values()].map((i) => i.variantId)) + 7;
			const levels = new Map<number, Level>();
			for (const [loc, onHand] of Object.entries(onHandByLocation))
				levels.set(Number(loc), { locationId: Number(loc), onHand, committed: 0, awaiting: 0, internalTransfer: 0 });
			inventory.set(inventoryId, {
				inventoryId,
				sku,
				name,
				levels,
				productId,
				variantId: productId + 1,
				barcode: '',
				updatedAt: ctx.clock.now(),
			});
			bySku.set(sku, inventoryId);
		},
		snapshot: () => ({
			token: '[configured]',
			counts: { inventory: inventory.size, orders: orders.size, shipments: shipments.size },
			orders: [...orders.values()].map((o) => ({
				id: String(o.id),
				referenceId: o.referenceId,
				status: o.status,
				tags: o.tags,
				shipmentIds: o.shipmentIds.map(String),
			})),
			shipments: [...shipments.values()].map((s) => ({
				id: String(s.id),
				orderId: String(s.orderId),
				status: s.status,
				locationId: String(s.locationId),
			})),
			webhooks: [...webhooks.values()].map((w) => ({ id: w.id, topics: w.topics, url: w.url })),
			fulfillmentCenters: [...centres.values()],
		}),
		routes,
		errorResponse: (status) => problem(status, status >= 500 ? 'Internal Server Error' : 'Error'),
		notFound: (req) => problem(404, 'Not Found', `No route for ${req.method} ${req.path}`),
	};
}

/** The ShipBob system for the sandbox registry. */
export const shipbobSystem: SystemRegistration = {
	name: 'shipbob',
	description: 'ShipBob Developer API 2026-01 / 2025-07 (150/min, Standard Webhooks)',
	create: createShipBob,
};

/**
 * ShipBob payloads ↔ our rows: inventory per fulfilment centre → stock rows, products and
 * variants, order create body, orders and shipments.
 * API: https://developer.shipbob.com/2026-01/api/inventory
 */
import type { IDataObject } from 'n8n-workflow';

import { toId, toQuantity } from '../../shared/core/domain/stock';
import { InputError } from '../../shared/n8n/errors';

type Json = IDataObject;

function text(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const t = String(value).trim();
	return t === '' ? undefined : t;
}

function prune<T extends Json>(obj: T): T {
	for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
	return obj;
}

function qty(value: unknown, field: string, allowNegative = false): number {
	return value === undefined || value === null ? 0 : toQuantity(value, field, allowNegative);
}

/** A stock row as every Commerce Sync node emits it (Inventory Reconcile reads it as is). */
export interface ShipBobStockRow {
	[key: string]: unknown;
	sku: string;
	locationId: string;
	locationName?: string;
	quantities: {
		onHand: number;
		available: number;
		committed: number;
		reserved: number;
		incoming: number;
	};
	internalTransfer: number;
	source: 'shipbob';
	asOf: string;
	inventoryId: string;
	name?: string;
}

/**
 * One `inventory-level/locations` item (an inventory item with its fulfilment centres) → one
 * stock row per centre. Items without a SKU cannot be reconciled and give no rows.
 *
 * Quantities are passed on as ShipBob states them, below zero included (a count correction can
 * leave a centre below what is committed): one odd level must not stop every other SKU of a
 * poll or a read. Inventory Reconcile reports a negative on-hand row as an exception naming the
 * SKU and centre, and offers nothing from it. A value that is not a whole number is refused,
 * naming the SKU and centre.
 */
export function stockRowsFromInventoryLevel(item: Json, asOf: string): ShipBobStockRow[] {
	const sku = text(item.sku);
	if (!sku) return [];
	const inventoryId = toId(item.inventory_id, 'inventory_id');
	const locations = Array.isArray(item.locations) ? (item.locations as Json[]) : [];
	return locations.map((loc) => {
		const locationId = toId(loc.location_id, 'location_id');
		const q = (field: string) => {
			try {
				return qty(loc[field], field, true);
			} catch (error) {
				throw new InputError(
					`ShipBob inventory ${sku} (inventory_id ${inventoryId}) at center ${locationId}: ${(error as Error).message}`,
					field,
					'ShipBob counts stock in whole units; check this item in ShipBob',
				);
			}
		};
		return prune({
			sku,
			locationId,
			locationName: text(loc.name),
			quantities: {
				onHand: q('on_hand_quantity'),
				// ShipBob's fulfillable quantity is on hand minus committed: what can still ship.
				available: q('fulfillable_quantity'),
				committed: q('committed_quantity'),
				reserved: 0,
				incoming: q('awaiting_quantity'),
			},
			internalTransfer: q('internal_transfer_quantity'),
			source: 'shipbob' as const,
			asOf,
			inventoryId,
			name: text(item.name),
		});
	});
}

/** A product (2026-01 product → variants model) → our product. */
export function productFromShipBob(product: Json): Json {
	const variants = Array.isArray(product.variants) ? (product.variants as Json[]) : [];
	return prune({
		id: toId(product.id, 'id'),
		name: text(product.name),
		type: text(product.type),
		createdOn: text(product.created_on),
		updatedOn: text(product.updated_on),
		variants: variants.map((v) =>
			prune({
				id: toId(v.id, 'variants[].id'),
				sku: text(v.sku),
				name: text(v.name),
				status: text(v.status),
				upc: text(v.upc),
				gtin: text(v.gtin),
				inventoryId:
					v.inventory &&
					typeof v.inventory === 'object' &&
					(v.inventory as Json).inventory_id != null
						? toId((v.inventory as Json).inventory_id, 'variants[].inventory.inventory_id')
						: undefined,
				onHand:
					v.inventory && typeof v.inventory === 'object'
						? (((v.inventory as Json).on_hand_qty as number | undefined) ?? undefined)
						: undefined,
			}),
		),
		source: 'shipbob',
	});
}

/** What the order create takes. */
export interface OrderInput {
	referenceId: unknown;
	orderNumber?: unknown;
	shippingMethod: unknown;
	type?: unknown;
	recipient: unknown;
	products: unknown;
	locationId?: unknown;
	correlationId?: string;
}

const ORDER_TYPES = ['DTC', 'DropShip', 'B2B'];

function parseJson(value: unknown, field: string): unknown {
	if (typeof value !== 'string') return value;
	const t = value.trim();
	if (!(t.startsWith('{') || t.startsWith('['))) return value;
	try {
		return JSON.parse(t);
	} catch {
		throw new InputError(
			`"${field}" is not valid JSON`,
			field,
			'Fix the JSON or map an object from the input item.',
		);
	}
}

function required(value: unknown, field: string, hint: string): string {
	const t = text(value);
	if (!t) throw new InputError(`"${field}" is required`, field, hint);
	return t;
}

/** The `POST /order` body. `reference_id` makes a retried create a duplicate ShipBob refuses. */
export function orderBody(input: OrderInput): Json {
	const referenceId = required(
		input.referenceId,
		'referenceId',
		'Map your own unique order key (e.g. the Shopify order id); ShipBob refuses a second order with the same one, which makes retries safe.',
	);
	if (referenceId.length > 300) {
		throw new InputError(
			'"referenceId" must be at most 300 characters',
			'referenceId',
			'Use a shorter order key.',
		);
	}
	const type = text(input.type) ?? 'DTC';
	if (!ORDER_TYPES.includes(type)) {
		throw new InputError(
			`"type" must be one of ${ORDER_TYPES.join(', ')}, got "${type}"`,
			'type',
			'Use DTC for shop orders.',
		);
	}
	const recipient = parseJson(input.recipient, 'recipient');
	if (!recipient || typeof recipient !== 'object' || Array.isArray(recipient)) {
		throw new InputError(
			'"recipient" must be an object with name and address',
			'recipient',
			'Send {"name": "…", "address": {"address1": "…", "city": "…", "country": "US"}}.',
		);
	}
	const r = recipient as Json;
	const address = (r.address ?? {}) as Json;
	const name = required(r.name, 'recipient.name', 'Give the recipient’s full name.');
	for (const field of ['address1', 'city', 'country']) {
		required(
			address[field],
			`recipient.address.${field}`,
			'ShipBob needs address1, city and country to ship.',
		);
	}
	const products = parseJson(input.products, 'products');
	if (!Array.isArray(products) || products.length === 0) {
		throw new InputError(
			'"products" must be a non-empty list',
			'products',
			'Send [{"referenceId": "SKU-1", "name": "…", "quantity": 1}].',
		);
	}
	return prune({
		reference_id: referenceId,
		order_number: text(input.orderNumber),
		shipping_method: required(
			input.shippingMethod,
			'shippingMethod',
			'Use a ship option your ShipBob account knows, e.g. Standard.',
		),
		type,
		location_id:
			input.locationId === undefined || input.locationId === ''
				? undefined
				: Number(toId(input.locationId, 'locationId')),
		recipient: prune({
			name,
			email: text(r.email),
			phone_number: text(r.phone_number ?? r.phone),
			address: prune({
				address1: text(address.address1),
				address2: text(address.address2),
				company_name: text(address.company_name ?? address.company),
				city: text(address.city),
				state: text(address.state),
				zip_code: text(address.zip_code ?? address.zip),
				country: text(address.country),
			}),
		}),
		products: (products as unknown[]).map((p, index) => {
			if (!p || typeof p !== 'object') {
				throw new InputError(
					`"products[${index}]" must be an object`,
					`products[${index}]`,
					'Each product needs referenceId (or sku), name and quantity.',
				);
			}
			const line = p as Json;
			const ref = required(
				line.referenceId ?? line.reference_id ?? line.sku,
				`products[${index}].referenceId`,
				'Give the product’s reference id or SKU.',
			);
			const quantity = toQuantity(line.quantity, `products[${index}].quantity`);
			if (quantity === 0) {
				throw new InputError(
					`"products[${index}].quantity" must be at least 1`,
					`products[${index}].quantity`,
					'Leave the line out instead of ordering zero.',
				);
			}
			return prune({
				reference_id: ref,
				sku: text(line.sku),
				name: text(line.name) ?? ref,
				quantity,
				unit_price: line.unitPrice ?? line.unit_price ?? undefined,
			});
		}),
		tags: input.correlationId
			? [{ name: 'correlation_id', value: input.correlationId }]
			: undefined,
	});
}

/** An order → our order. */
export function orderFromShipBob(order: Json): Json {
	const shipments = Array.isArray(order.shipments) ? (order.shipments as Json[]) : [];
	const tags = Array.isArray(order.tags) ? (order.tags as Json[]) : [];
	const channel = order.channel as Json | undefined;
	return prune({
		id: toId(order.id, 'id'),
		referenceId: text(order.reference_id),
		orderNumber: text(order.order_number),
		status: text(order.status),
		type: text(order.type),
		createdDate: text(order.created_date),
		channelId: channel?.id === undefined ? undefined : toId(channel.id, 'channel.id'),
		shippingMethod: text(order.shipping_method),
		correlationId: text(tags.find((t) => t.name === 'correlation_id')?.value),
		shipments: shipments.map(shipmentFromShipBob),
		source: 'shipbob',
	});
}

/** A shipment → our shipment. */
export function shipmentFromShipBob(shipment: Json): Json {
	const location = shipment.location as Json | undefined;
	const tracking = (shipment.tracking ?? {}) as Json;
	return prune({
		id: toId(shipment.id, 'id'),
		orderId: shipment.order_id === undefined ? undefined : toId(shipment.order_id, 'order_id'),
		referenceId: text(shipment.reference_id),
		status: text(shipment.status),
		locationId: location?.id === undefined ? undefined : toId(location.id, 'location.id'),
		locationName: text(location?.name),
		carrier: text(tracking.carrier),
		trackingNumber: text(tracking.tracking_number),
		trackingUrl: text(tracking.tracking_url),
		actualFulfillmentDate: text(shipment.actual_fulfillment_date),
		deliveryDate: text(shipment.delivery_date),
		lastUpdateAt: text(shipment.last_update_at),
		source: 'shipbob',
	});
}

/**
 * Orders and fulfilment: `fulfillmentCreate` (closes the fulfilment order when nothing remains,
 * moves committed stock out at the fulfilment order's location, emits `fulfillments/create` and
 * `orders/updated`) and the REST-shaped payloads of order webhooks.
 */
import { gid, iso, parseGid, type ExecContext } from './context';
import { fulfillmentStatusOf, levelKey, moveQuantity, nextId, orderTotal, type FulfillmentRecord, type OrderRecord } from './state';
import { fulfillmentView } from './views';

type Input = Record<string, unknown>;

interface UserError {
	field: string[];
	message: string;
}

const REST_FULFILLMENT: Record<string, string | null> = { UNFULFILLED: null, PARTIALLY_FULFILLED: 'partial', FULFILLED: 'fulfilled' };

/** REST-shaped order for `orders/*` webhooks. */
export function orderPayload(ctx: ExecContext, o: OrderRecord): unknown {
	return {
		id: o.id,
		admin_graphql_api_id: gid('Order', o.id),
		name: `#${o.number}`,
		order_number: o.number,
		email: o.email,
		created_at: iso(o.createdAt),
		updated_at: iso(o.updatedAt),
		cancelled_at: o.cancelledAt === null ? null : iso(o.cancelledAt),
		financial_status: o.financialStatus.toLowerCase(),
		fulfillment_status: REST_FULFILLMENT[fulfillmentStatusOf(ctx.state, o)],
		currency: o.currency,
		total_price: orderTotal(o),
		customer: { id: o.customer.id, email: o.customer.email, first_name: o.customer.firstName, last_name: o.customer.lastName },
		shipping_address: {
			name: o.shippingAddress.name,
			address1: o.shippingAddress.address1,
			address2: o.shippingAddress.address2,
			city: o.shippingAddress.city,
			zip: o.shippingAddress.zip,
			province_code: o.shippingAddress.provinceCode,
			country_code: o.shippingAddress.countryCode,
			phone: o.shippingAddress.phone,
		},
		line_items: o.lineItems.map((li) => ({
			id: li.id,
			admin_graphql_api_id: gid('LineItem', li.id),
			sku: li.sku,
			name: li.name,
			quantity: li.quantity,
			price: li.price,
			variant_id: li.variantId,
		})),
	};
}

function fulfillmentPayload(ctx: ExecContext, f: FulfillmentRecord, o: OrderRecord): unknown {
	const t = f.trackingInfo[0];
	return {
		id: f.id,
		admin_graphql_api_id: gid('Fulfillment', f.id),
		order_id: f.orderId,
		name: `#${o.number}.${[...ctx.state.fulfillments.values()].filter((x) => x.orderId === o.id).length}`,
		status: 'success',
		location_id: f.locationId,
		created_at: iso(f.createdAt),
		updated_at: iso(f.createdAt),
		tracking_company: t?.company ?? null,
		tracking_number: t?.number ?? null,
		tracking_numbers: f.trackingInfo.map((x) => x.number).filter((x) => x !== null),
		tracking_url: t?.url ?? null,
		tracking_urls: f.trackingInfo.map((x) => x.url).filter((x) => x !== null),
		notify_customer: f.notifyCustomer,
		line_items: f.lineItems.map((li) => ({ id: li.lineItemId, sku: li.sku, quantity: li.quantity })),
	};
}

/** `fulfillmentCreate(fulfillment:, message:)`. */
export function fulfillmentCreate(ctx: ExecContext, input: Input): unknown {
	const s = ctx.state;
	const errors: UserError[] = [];
	const groups = (input.lineItemsByFulfillmentOrder as Input[]) ?? [];
	if (groups.length === 0) errors.push({ field: ['fulfillment', 'lineItemsByFulfillmentOrder'], message: 'At least one fulfillment order is required.' });
	const plan: Array<{ foId: number; lines: Array<{ id: number; quantity: number }> }> = [];
	let orderId: number | undefined;
	groups.forEach((g, i) => {
		const path = ['fulfillment', 'lineItemsByFulfillmentOrder', String(i)];
		const fo = s.fulfillmentOrders.get(parseGid(g.fulfillmentOrderId, 'FulfillmentOrder') ?? -1);
		if (!fo) {
			errors.push({ field: [...path, 'fulfillmentOrderId'], message: `Fulfillment order does not exist: ${String(g.fulfillmentOrderId)}` });
			return;
		}
		if (fo.status === 'CLOSED' || fo.status === 'CANCELLED') {
			errors.push({ field: [...path, 'fulfillmentOrderId'], message: `Fulfillment order ${gid('FulfillmentOrder', fo.id)} has an unfulfillable status= ${fo.status.toLowerCase()}.` });
			return;
		}
		if (orderId !== undefined && orderId !== fo.orderId) {
			errors.push({ field: [...path, 'fulfillmentOrderId'], message: 'All fulfillment orders must belong to the same order.' });
			return;
		}
		orderId = fo.orderId;
		const wanted = g.fulfillmentOrderLineItems as Input[] | null | undefined;
		if (!wanted) {
			plan.push({ foId: fo.id, lines: fo.lineItems.filter((li) => li.remainingQuantity > 0).map((li) => ({ id: li.id, quantity: li.remainingQuantity })) });
			return;
		}
		const lines: Array<{ id: number; quantity: number }> = [];
		wanted.forEach((w, j) => {
			const line = fo.lineItems.find((li) => li.id === parseGid(w.id, 'FulfillmentOrderLineItem'));
			const q = w.quantity as number;
			if (!line) errors.push({ field: [...path, 'fulfillmentOrderLineItems', String(j), 'id'], message: `Fulfillment order line item does not exist: ${String(w.id)}` });
			else if (!(q > 0) || q > line.remainingQuantity) {
				errors.push({
					field: [...path, 'fulfillmentOrderLineItems', String(j), 'quantity'],
					message: `Invalid fulfillment order line item quantity requested: ${q} (remaining ${line.remainingQuantity}).`,
				});
			} else lines.push({ id: line.id, quantity: q });
		});
		plan.push({ foId: fo.id, lines });
	});
	if (errors.length > 0 || orderId === undefined) return { fulfillment: null, userErrors: errors };

	const order = s.orders.get(orderId) as OrderRecord;
	const tracking = (input.trackingInfo as Input | null | undefined) ?? {};
	const numbers = (tracking.numbers as string[] | undefined) ?? (tracking.number ? [String(tracking.number)] : []);
	const urls = (tracking.urls as string[] | undefined) ?? (tracking.url ? [String(tracking.url)] : []);
	const count = Math.max(numbers.length, urls.length, tracking.company ? 1 : 0);
	const trackingInfo = Array.from({ length: count }, (_, i) => ({
		company: (tracking.company as string | undefined) ?? null,
		number: numbers[i] ?? null,
		url: urls[i] ?? null,
	}));
	const f: FulfillmentRecord = {
		id: nextId(s, 'fulfillment'),
		orderId,
		locationId: s.fulfillmentOrders.get(plan[0].foId)!.locationId,
		status: 'SUCCESS',
		createdAt: ctx.now,
		trackingInfo,
		notifyCustomer: input.notifyCustomer === true,
		lineItems: [],
	};
	for (const p of plan) {
		const fo = s.fulfillmentOrders.get(p.foId)!;
		for (const l of p.lines) {
			const line = fo.lineItems.find((li) => li.id === l.id)!;
			line.remainingQuantity -= l.quantity;
			f.lineItems.push({ lineItemId: line.lineItemId, sku: line.sku, quantity: l.quantity });
			// Shipped goods leave on-hand stock: committed drops (on_hand is derived from it).
			const variant = [...s.variants.values()].find((v) => v.sku === line.sku);
			const level = variant ? s.levels.get(levelKey(variant.inventoryItemId, fo.locationId)) : undefined;
			if (level) moveQuantity(level, 'committed', -Math.min(level.quantities.committed, l.quantity), ctx.now);
		}
		fo.status = fo.lineItems.every((li) => li.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
		fo.updatedAt = ctx.now;
	}
	s.fulfillments.set(f.id, f);
	order.updatedAt = ctx.now;
	ctx.webhooks.emit('fulfillments/create', fulfillmentPayload(ctx, f, order));
	ctx.webhooks.emit('orders/updated', orderPayload(ctx, order));
	if (fulfillmentStatusOf(s, order) === 'FULFILLED') ctx.webhooks.emit('orders/fulfilled', orderPayload(ctx, order));
	return { fulfillment: fulfillmentView(f), userErrors: [] };
}

import type { IDataObject } from 'n8n-workflow';

interface Money {
	shopMoney?: { amount: string; currencyCode: string };
}

/** An order as our order documents select it. */
export interface ShopifyOrder {
	id: string;
	name: string;
	email?: string | null;
	createdAt: string;
	updatedAt: string;
	cancelledAt?: string | null;
	displayFinancialStatus?: string | null;
	displayFulfillmentStatus?: string | null;
	currencyCode?: string;
	totalPriceSet?: Money;
	customer?: { id: string; email?: string | null; firstName?: string | null; lastName?: string | null } | null;
	shippingAddress?: IDataObject | null;
	lineItems?: { nodes: Array<{ id: string; sku?: string | null; name: string; quantity: number; variant?: { id: string } | null; originalUnitPriceSet?: Money }> };
}

/**
 * An order → the channel-neutral order row the order-sync templates pass on to the ERP, the
 * warehouse and the CRM. Amounts stay decimal strings; `orderId` (the GID) is the dedupe key.
 */
export function orderToRow(o: ShopifyOrder): IDataObject {
	return {
		orderId: o.id,
		orderNumber: o.name,
		email: o.email ?? o.customer?.email ?? null,
		createdAt: o.createdAt,
		updatedAt: o.updatedAt,
		cancelledAt: o.cancelledAt ?? null,
		financialStatus: o.displayFinancialStatus ?? null,
		fulfillmentStatus: o.displayFulfillmentStatus ?? null,
		currency: o.totalPriceSet?.shopMoney?.currencyCode ?? o.currencyCode,
		total: o.totalPriceSet?.shopMoney?.amount,
		customer: o.customer
			? { customerId: o.customer.id, email: o.customer.email ?? null, firstName: o.customer.firstName ?? null, lastName: o.customer.lastName ?? null }
			: null,
		shippingAddress: o.shippingAddress ?? null,
		lineItems: (o.lineItems?.nodes ?? []).map((l) => ({
			lineItemId: l.id,
			sku: l.sku ?? '',
			name: l.name,
			quantity: l.quantity,
			variantId: l.variant?.id ?? null,
			unitPrice: l.originalUnitPriceSet?.shopMoney?.amount,
		})),
		source: 'shopify',
	};
}

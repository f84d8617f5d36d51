/**
 * The fields the stand-in implements, by schema type. A document that is valid against the real
 * schema but asks for anything else is refused before it runs (and before it is charged), with a
 * message naming the field, so a new field in the node fails loudly here instead of resolving to
 * a silent null. Covers every document in nodes/Shopify/graphql/documents.ts and BULK_EXPORTS
 * (test/sandbox/shopify/schema.test.ts checks that) plus a few obvious neighbours.
 */
import { GraphQLError, TypeInfo, getNamedType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

const CONNECTION = ['nodes', 'edges', 'pageInfo'];
const EDGE = ['cursor', 'node'];
const USER_ERROR = ['code', 'field', 'message'];

/** Implemented fields per type name. */
export const IMPLEMENTED: Readonly<Record<string, readonly string[]>> = {
	QueryRoot: [
		'shop', 'locations', 'location', 'inventoryItems', 'inventoryItem', 'products', 'product', 'productByHandle',
		'productVariants', 'productVariant', 'orders', 'order', 'node', 'nodes', 'webhookSubscriptions', 'currentBulkOperation',
	],
	Mutation: [
		'inventorySetQuantities', 'inventoryAdjustQuantities', 'productSet', 'productVariantsBulkUpdate', 'fulfillmentCreate',
		'bulkOperationRunQuery', 'webhookSubscriptionCreate', 'webhookSubscriptionDelete',
	],
	Shop: ['id', 'name', 'myshopifyDomain', 'currencyCode'],
	Location: ['id', 'name', 'isActive', 'fulfillsOnlineOrders', 'address', 'inventoryLevels', 'inventoryLevel'],
	LocationAddress: ['city', 'countryCode', 'address1', 'zip', 'provinceCode'],
	LocationConnection: CONNECTION,
	LocationEdge: EDGE,
	PageInfo: ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'],
	InventoryItem: ['id', 'sku', 'tracked', 'createdAt', 'updatedAt', 'inventoryLevels', 'inventoryLevel', 'variant'],
	InventoryItemConnection: CONNECTION,
	InventoryItemEdge: EDGE,
	InventoryLevel: ['id', 'location', 'item', 'quantities', 'updatedAt'],
	InventoryLevelConnection: CONNECTION,
	InventoryLevelEdge: EDGE,
	InventoryQuantity: ['name', 'quantity', 'updatedAt'],
	InventorySetQuantitiesPayload: ['inventoryAdjustmentGroup', 'userErrors'],
	InventoryAdjustQuantitiesPayload: ['inventoryAdjustmentGroup', 'userErrors'],
	InventoryAdjustmentGroup: ['id', 'createdAt', 'reason', 'referenceDocumentUri', 'changes'],
	InventoryChange: ['name', 'delta', 'quantityAfterChange', 'item', 'location', 'ledgerDocumentUri'],
	InventorySetQuantitiesUserError: USER_ERROR,
	InventoryAdjustQuantitiesUserError: USER_ERROR,
	ProductSetUserError: USER_ERROR,
	ProductVariantsBulkUpdateUserError: USER_ERROR,
	BulkOperationUserError: USER_ERROR,
	UserError: ['field', 'message'],
	Product: ['id', 'handle', 'title', 'status', 'vendor', 'productType', 'createdAt', 'updatedAt', 'variants'],
	ProductConnection: CONNECTION,
	ProductEdge: EDGE,
	ProductVariant: ['id', 'sku', 'title', 'price', 'compareAtPrice', 'barcode', 'inventoryItem', 'product', 'inventoryQuantity', 'updatedAt'],
	ProductVariantConnection: CONNECTION,
	ProductVariantEdge: EDGE,
	ProductSetPayload: ['product', 'userErrors'],
	ProductVariantsBulkUpdatePayload: ['product', 'productVariants', 'userErrors'],
	Order: [
		'id', 'name', 'email', 'createdAt', 'updatedAt', 'cancelledAt', 'displayFinancialStatus', 'displayFulfillmentStatus',
		'currencyCode', 'totalPriceSet', 'customer', 'shippingAddress', 'lineItems', 'fulfillmentOrders',
	],
	OrderConnection: CONNECTION,
	OrderEdge: EDGE,
	MoneyBag: ['shopMoney'],
	MoneyV2: ['amount', 'currencyCode'],
	Customer: ['id', 'email', 'firstName', 'lastName'],
	MailingAddress: ['name', 'address1', 'address2', 'city', 'zip', 'provinceCode', 'countryCodeV2', 'phone'],
	LineItem: ['id', 'sku', 'name', 'quantity', 'variant', 'originalUnitPriceSet'],
	LineItemConnection: CONNECTION,
	LineItemEdge: EDGE,
	FulfillmentOrder: ['id', 'status', 'lineItems'],
	FulfillmentOrderConnection: CONNECTION,
	FulfillmentOrderEdge: EDGE,
	FulfillmentOrderLineItem: ['id', 'remainingQuantity', 'totalQuantity', 'sku'],
	FulfillmentOrderLineItemConnection: CONNECTION,
	FulfillmentOrderLineItemEdge: EDGE,
	FulfillmentCreatePayload: ['fulfillment', 'userErrors'],
	Fulfillment: ['id', 'status', 'trackingInfo', 'createdAt'],
	FulfillmentTrackingInfo: ['company', 'number', 'url'],
	BulkOperationRunQueryPayload: ['bulkOperation', 'userErrors'],
	BulkOperation: ['id', 'status', 'errorCode', 'objectCount', 'rootObjectCount', 'fileSize', 'url', 'partialDataUrl', 'createdAt', 'completedAt', 'type', 'query'],
	WebhookSubscriptionCreatePayload: ['webhookSubscription', 'userErrors'],
	WebhookSubscription: ['id', 'topic', 'endpoint', 'format', 'createdAt'],
	WebhookSubscriptionConnection: CONNECTION,
	WebhookSubscriptionEdge: EDGE,
	WebhookHttpEndpoint: ['callbackUrl'],
	WebhookSubscriptionDeletePayload: ['deletedWebhookSubscriptionId', 'userErrors'],
};

/**
 * Errors for every field the stand-in does not implement (introspection and `__typename` are
 * always allowed). Assumes the document already passed schema validation.
 */
export function unsupportedFields(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
	const errors: GraphQLError[] = [];
	const typeInfo = new TypeInfo(schema);
	visit(
		document,
		visitWithTypeInfo(typeInfo, {
			Field(node) {
				const name = node.name.value;
				if (name.startsWith('__')) return;
				const parent = typeInfo.getParentType();
				if (!parent || parent.name.startsWith('__')) return;
				const allowed = IMPLEMENTED[parent.name];
				if (allowed?.includes(name)) return;
				const type = typeInfo.getFieldDef() ? getNamedType(typeInfo.getFieldDef()!.type).name : '?';
				errors.push(
					new GraphQLError(
						`The Shopify sandbox does not implement ${parent.name}.${name} (type ${type}); ` +
							`implemented on ${parent.name}: ${allowed ? allowed.join(', ') : 'nothing'}. ` +
							'Add it to sandbox/systems/shopify (allowlist.ts and the resolvers) if the node needs it.',
						{ nodes: node, extensions: { code: 'SANDBOX_UNSUPPORTED_FIELD', typeName: parent.name, fieldName: name } },
					),
				);
			},
		}),
	);
	return errors;
}

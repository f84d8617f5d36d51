/**
 * Every GraphQL document the Shopify node can send, in one place, so one test validates them
 * all against the real Admin schema (test/unit/shopify/documents.test.ts) and the sandbox
 * implements exactly these fields.
 * API: https://shopify.dev/docs/api/admin-graphql
 */

const QUANTITIES = 'quantities(names: $names) { name quantity updatedAt }';

export const SHOP_NAME = /* GraphQL */ `
query ShopName {
	shop { name myshopifyDomain }
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/locations
export const LOCATIONS = /* GraphQL */ `
query Locations($first: Int!, $after: String, $query: String) {
	locations(first: $first, after: $after, query: $query, includeInactive: false) {
		nodes { id name isActive fulfillsOnlineOrders address { city countryCode } }
		pageInfo { hasNextPage endCursor }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/inventoryItems
export const INVENTORY_LEVELS_BY_SKU = /* GraphQL */ `
query InventoryLevelsBySku($first: Int!, $after: String, $query: String!, $levels: Int!, $names: [String!]!) {
	inventoryItems(first: $first, after: $after, query: $query) {
		nodes {
			id sku tracked
			inventoryLevels(first: $levels) {
				nodes { id location { id name } ${QUANTITIES} }
			}
		}
		pageInfo { hasNextPage endCursor }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/nodes
export const INVENTORY_LEVELS_BY_ITEM_IDS = /* GraphQL */ `
query InventoryLevelsByItemIds($ids: [ID!]!, $levels: Int!, $names: [String!]!) {
	nodes(ids: $ids) {
		... on InventoryItem {
			id sku tracked
			inventoryLevels(first: $levels) {
				nodes { id location { id name } ${QUANTITIES} }
			}
		}
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/objects/Location#field-inventoryLevels
export const INVENTORY_LEVELS_AT_LOCATION = /* GraphQL */ `
query InventoryLevelsAtLocation($location: ID!, $first: Int!, $after: String, $names: [String!]!) {
	location(id: $location) {
		id name
		inventoryLevels(first: $first, after: $after) {
			nodes { id item { id sku tracked } ${QUANTITIES} }
			pageInfo { hasNextPage endCursor }
		}
	}
}`;

const SET_PAYLOAD = `
		inventoryAdjustmentGroup { id createdAt reason referenceDocumentUri changes { name delta quantityAfterChange item { id sku } location { id } } }
		userErrors { code field message }`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/inventorySetQuantities
export const INVENTORY_SET_QUANTITIES = /* GraphQL */ `
mutation InventorySetQuantities($input: InventorySetQuantitiesInput!) {
	inventorySetQuantities(input: $input) {${SET_PAYLOAD}
	}
}`;

/** 2026-01+: the same mutation with Shopify's `@idempotent` directive (mandatory from 2026-04). */
export const INVENTORY_SET_QUANTITIES_IDEMPOTENT = /* GraphQL */ `
mutation InventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
	inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {${SET_PAYLOAD}
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/inventoryAdjustQuantities
export const INVENTORY_ADJUST_QUANTITIES = /* GraphQL */ `
mutation InventoryAdjustQuantities($input: InventoryAdjustQuantitiesInput!) {
	inventoryAdjustQuantities(input: $input) {${SET_PAYLOAD}
	}
}`;

export const INVENTORY_ADJUST_QUANTITIES_IDEMPOTENT = /* GraphQL */ `
mutation InventoryAdjustQuantities($input: InventoryAdjustQuantitiesInput!, $idempotencyKey: String!) {
	inventoryAdjustQuantities(input: $input) @idempotent(key: $idempotencyKey) {${SET_PAYLOAD}
	}
}`;

const PRODUCT_FIELDS = `
	id handle title status vendor productType updatedAt
	variants(first: $variants) {
		nodes { id sku title price compareAtPrice barcode inventoryItem { id } }
	}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/products
export const PRODUCTS = /* GraphQL */ `
query Products($first: Int!, $after: String, $query: String, $variants: Int!) {
	products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
		nodes {${PRODUCT_FIELDS}
		}
		pageInfo { hasNextPage endCursor }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/productByHandle
export const PRODUCT_BY_HANDLE = /* GraphQL */ `
query ProductByHandle($handle: String!, $variants: Int!) {
	productByHandle(handle: $handle) {${PRODUCT_FIELDS}
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/productSet
export const PRODUCT_SET = /* GraphQL */ `
mutation ProductSet($input: ProductSetInput!, $variants: Int!) {
	productSet(input: $input, synchronous: true) {
		product {${PRODUCT_FIELDS}
		}
		userErrors { code field message }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/productVariantsBulkUpdate
export const PRODUCT_VARIANTS_BULK_UPDATE = /* GraphQL */ `
mutation ProductVariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
	productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: true) {
		productVariants { id sku price compareAtPrice }
		userErrors { code field message }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/productVariants
export const VARIANTS_BY_SKU = /* GraphQL */ `
query VariantsBySku($first: Int!, $after: String, $query: String!) {
	productVariants(first: $first, after: $after, query: $query) {
		nodes { id sku price compareAtPrice product { id handle } inventoryItem { id } }
		pageInfo { hasNextPage endCursor }
	}
}`;

const ORDER_FIELDS = `
	id name email createdAt updatedAt cancelledAt displayFinancialStatus displayFulfillmentStatus
	currencyCode
	totalPriceSet { shopMoney { amount currencyCode } }
	customer { id email firstName lastName }
	shippingAddress { name address1 address2 city zip provinceCode countryCodeV2 phone }
	lineItems(first: $lineItems) { nodes { id sku name quantity variant { id } originalUnitPriceSet { shopMoney { amount currencyCode } } } }`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/orders
export const ORDERS = /* GraphQL */ `
query Orders($first: Int!, $after: String, $query: String, $lineItems: Int!) {
	orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
		nodes {${ORDER_FIELDS}
		}
		pageInfo { hasNextPage endCursor }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/order
export const ORDER = /* GraphQL */ `
query Order($id: ID!, $lineItems: Int!) {
	order(id: $id) {${ORDER_FIELDS}
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/objects/Order#field-fulfillmentOrders
export const ORDER_FULFILLMENT_ORDERS = /* GraphQL */ `
query OrderFulfillmentOrders($id: ID!) {
	order(id: $id) {
		id name
		fulfillmentOrders(first: 10) {
			nodes { id status lineItems(first: 50) { nodes { id remainingQuantity sku } } }
		}
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentCreate
export const FULFILLMENT_CREATE = /* GraphQL */ `
mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
	fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
		fulfillment { id status trackingInfo { company number url } }
		userErrors { field message }
	}
}`;

// API: https://shopify.dev/docs/api/usage/bulk-operations/queries
export const BULK_OPERATION_RUN_QUERY = /* GraphQL */ `
mutation BulkOperationRunQuery($query: String!) {
	bulkOperationRunQuery(query: $query) {
		bulkOperation { id status }
		userErrors { code field message }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/objects/BulkOperation
export const BULK_OPERATION_STATUS = /* GraphQL */ `
query BulkOperationStatus($id: ID!) {
	node(id: $id) {
		... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt }
	}
}`;

/** Bulk export bodies (the query string inside bulkOperationRunQuery): also validated. */
export const BULK_EXPORTS = {
	catalog: /* GraphQL */ `{
	products {
		edges { node { id handle title status updatedAt
			variants { edges { node { id sku price compareAtPrice inventoryItem { id } } } }
		} }
	}
}`,
	inventory: /* GraphQL */ `{
	inventoryItems {
		edges { node { id sku tracked
			inventoryLevels { edges { node { id location { id } quantities(names: ["available", "on_hand", "committed", "reserved", "incoming"]) { name quantity } } } }
		} }
	}
}`,
} as const;

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/webhookSubscriptionCreate
export const WEBHOOK_SUBSCRIPTION_CREATE = /* GraphQL */ `
mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $callbackUrl: URL!) {
	webhookSubscriptionCreate(topic: $topic, webhookSubscription: { callbackUrl: $callbackUrl, format: JSON }) {
		webhookSubscription { id topic }
		userErrors { field message }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/webhookSubscriptions
export const WEBHOOK_SUBSCRIPTIONS = /* GraphQL */ `
query WebhookSubscriptions($first: Int!, $topics: [WebhookSubscriptionTopic!], $callbackUrl: URL) {
	webhookSubscriptions(first: $first, topics: $topics, callbackUrl: $callbackUrl) {
		nodes { id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } }
	}
}`;

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/webhookSubscriptionDelete
export const WEBHOOK_SUBSCRIPTION_DELETE = /* GraphQL */ `
mutation WebhookSubscriptionDelete($id: ID!) {
	webhookSubscriptionDelete(id: $id) {
		deletedWebhookSubscriptionId
		userErrors { field message }
	}
}`;

/** Every executable document, by name, for the schema test and the sandbox. */
export const ALL_DOCUMENTS: Readonly<Record<string, string>> = Object.freeze({
	SHOP_NAME,
	LOCATIONS,
	INVENTORY_LEVELS_BY_SKU,
	INVENTORY_LEVELS_AT_LOCATION,
	INVENTORY_LEVELS_BY_ITEM_IDS,
	INVENTORY_SET_QUANTITIES,
	INVENTORY_SET_QUANTITIES_IDEMPOTENT,
	INVENTORY_ADJUST_QUANTITIES,
	INVENTORY_ADJUST_QUANTITIES_IDEMPOTENT,
	PRODUCTS,
	PRODUCT_BY_HANDLE,
	PRODUCT_SET,
	PRODUCT_VARIANTS_BULK_UPDATE,
	VARIANTS_BY_SKU,
	ORDERS,
	ORDER,
	ORDER_FULFILLMENT_ORDERS,
	FULFILLMENT_CREATE,
	BULK_OPERATION_RUN_QUERY,
	BULK_OPERATION_STATUS,
	WEBHOOK_SUBSCRIPTION_CREATE,
	WEBHOOK_SUBSCRIPTIONS,
	WEBHOOK_SUBSCRIPTION_DELETE,
});

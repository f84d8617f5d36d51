import { ShopifyAdmin } from '../../nodes/Shopify/ShopifyAdmin.node';
import { describeAdapterContract } from './adapterContract';

interface ShopifyState {
	products: unknown[];
	levels: Array<{ sku: string; locationId: string; quantities: Record<string, number> }>;
}

describeAdapterContract({
	system: 'shopify',
	node: new ShopifyAdmin(),
	credentialType: 'shopifyAdminGraphqlApi',
	credentials: (baseUrl) => ({ shopDomain: 'sandbox.myshopify.com', accessToken: 'shpat_sandbox_token', apiVersion: '2026-04', appSecret: 'shpss_sandbox_secret', plan: 'standard', baseUrl }),
	badCredentials: (baseUrl) => ({ shopDomain: 'sandbox.myshopify.com', accessToken: 'shpat_wrong', apiVersion: '2026-04', appSecret: '', plan: 'standard', baseUrl }),
	seed: { skus: 60, locations: 2 },
	list: {
		// 100 variants per product makes each product cost ~200 points, so pages hold 4 products.
		run: (returnAll, limit) => ({ params: { resource: 'product', operation: 'getAll', returnAll, limit, updatedSince: '', maxVariants: 100 } }),
		expectedTotal: (sandbox) => (sandbox.state('shopify') as ShopifyState).products.length,
		idFields: ['productId', 'variants.0.variantId', 'variants.0.inventoryItemId'],
	},
	stock: {
		quantity: 'available',
		pick: (sandbox, n) => (sandbox.state('shopify') as ShopifyState).levels.slice(0, n).map((l) => ({ sku: l.sku, locationId: l.locationId })),
		write: (targets) => ({
			params: {
				resource: 'inventory',
				operation: 'setQuantities',
				sku: (i: number) => targets[i].sku,
				inventoryItemId: '',
				locationId: (i: number) => targets[i].locationId,
				quantity: (i: number) => targets[i].quantity,
				compareAndSet: false,
				quantityName: 'available',
				reason: 'correction',
				referenceDocumentUri: '',
				dryRun: false,
				correlationId: '',
			},
			items: targets.map((t) => ({ ...t })),
		}),
		read: (skus) => ({
			params: { resource: 'inventory', operation: 'getLevels', readBy: 'sku', skus: (i: number) => skus[i], location: '', onUnknownSku: 'error', maxLevels: 10 },
			items: skus.map((sku) => ({ sku })),
		}),
	},
});

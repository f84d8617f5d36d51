/**
 * ShipBob's stock read straight from the sandbox's own route handler, not over HTTP: the scale
 * tests check rate limits from the request log, so the test must neither spend ShipBob's
 * 150-a-minute budget (which the sandbox shares between all callers) nor meet injected faults
 * while it watches.
 */
import type { Sandbox } from '../../../sandbox';
import { SHIPBOB_SANDBOX_TOKEN } from '../../../sandbox/systems/shipbob';
import type { SandboxRequest, SandboxSystem } from '../../../sandbox/types';
import type { Truth } from '../../e2e/templates/support-stock';

interface LevelsPage {
	items: Array<{ sku: string; locations: Array<{ location_id: number; on_hand_quantity: number; committed_quantity: number }> }>;
	next: string | null;
}

/** On hand and committed per SKU and centre, as ShipBob holds them now. */
export async function shipBobTruth(sandbox: Sandbox): Promise<Truth> {
	const system = sandbox.system<SandboxSystem>('shipbob');
	const route = system.routes.find((r) => r.operation === 'getInventoryLevelsByLocation');
	if (!route) throw new Error('The ShipBob sandbox has no getInventoryLevelsByLocation route');
	const truth: Truth = new Map();
	for (let cursor = 0; ; cursor += 250) {
		const req = {
			system: 'shipbob',
			method: 'GET',
			path: '/2026-01/inventory-level/locations',
			params: { version: '2026-01' },
			query: { PageSize: '250', ...(cursor ? { Cursor: String(cursor) } : {}) },
			headers: { authorization: `Bearer ${SHIPBOB_SANDBOX_TOKEN}` },
			rawBody: Buffer.alloc(0),
			body: undefined,
			url: `${sandbox.urlFor('shipbob')}/2026-01/inventory-level/locations`,
			baseUrl: sandbox.urlFor('shipbob'),
			operation: 'getInventoryLevelsByLocation',
			requestId: `scale-truth-${cursor}`,
			now: sandbox.clock.now(),
		} as unknown as SandboxRequest;
		const res = await route.handler(req);
		if (res.status !== 200) throw new Error(`Reading ShipBob stock in-process failed: ${res.status} ${JSON.stringify(res.body)}`);
		const page = res.body as LevelsPage;
		for (const item of page.items) {
			const at = new Map<string, { onHand: number; committed: number }>();
			for (const l of item.locations) at.set(String(l.location_id), { onHand: l.on_hand_quantity, committed: l.committed_quantity });
			truth.set(item.sku, at);
		}
		if (!page.next) return truth;
	}
}

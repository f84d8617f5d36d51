import { createHmac } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { verifyShopifyWebhook } from '../../../nodes/shared/core/webhooks/signatures';
import {
	forgetSigningCredentials,
	SIGNING_CREDENTIALS_RELOAD_MS,
	SIGNING_CREDENTIALS_TTL_MS,
	verifyWithCredential,
	type SigningContext,
} from '../../../nodes/shared/n8n/signingCredentials';

const TYPE = 'shopifyAdminGraphqlApi';
const body = Buffer.from('{"inventory_item_id":1,"location_id":2,"available":3}');
const sign = (secret: string) => createHmac('sha256', secret).update(body).digest('base64');

/** A webhook context whose credential store is a mutable record, counting loads. */
function context(store: { appSecret: string; loads: number }, workflowId = 'wf1', credentialId = 'c1', nodeName = 'Shopify') {
	return {
		getNode: () => ({ name: nodeName, credentials: { [TYPE]: { id: credentialId, name: 'shop' } } }),
		getWorkflow: () => ({ id: workflowId, active: true }),
		getCredentials: async () => {
			store.loads++;
			return { appSecret: store.appSecret } as ICredentialDataDecryptedObject;
		},
	} as unknown as SigningContext;
}

async function deliver(ctx: SigningContext, signature: string, now: () => number) {
	const { verdict } = await verifyWithCredential<{ appSecret: string }>(ctx, TYPE, (c) => verifyShopifyWebhook(body, signature, c.appSecret), now);
	return verdict.ok;
}

describe('verifyWithCredential (webhook signing secrets)', () => {
	let t = 1_000_000;
	const now = () => t;
	beforeEach(() => {
		forgetSigningCredentials();
		t = 1_000_000;
	});

	it('loads the credential once for a run of deliveries that verify, and again after the TTL', async () => {
		const store = { appSecret: 's1', loads: 0 };
		const ctx = context(store);
		for (let i = 0; i < 50; i++) {
			expect(await deliver(ctx, sign('s1'), now)).toBe(true);
			t += 100;
		}
		expect(store.loads).toBe(1);
		t += SIGNING_CREDENTIALS_TTL_MS;
		expect(await deliver(ctx, sign('s1'), now)).toBe(true);
		expect(store.loads).toBe(2);
	});

	it('uses a rotated secret from its first delivery, and refuses the old one once the credential is reloaded', async () => {
		const store = { appSecret: 'old', loads: 0 };
		const ctx = context(store);
		expect(await deliver(ctx, sign('old'), now)).toBe(true);
		store.appSecret = 'new';
		t += 5_000;
		expect(await deliver(ctx, sign('new'), now)).toBe(true);
		expect(store.loads).toBe(2);
		t += 5_000;
		expect(await deliver(ctx, sign('old'), now)).toBe(false);
	});

	it('refuses a forged delivery after checking a fresh credential, and a flood of them costs one load a second', async () => {
		const store = { appSecret: 's1', loads: 0 };
		const ctx = context(store);
		expect(await deliver(ctx, sign('s1'), now)).toBe(true);
		t += 10_000;
		for (let i = 0; i < 100; i++) {
			expect(await deliver(ctx, sign('forged'), now)).toBe(false);
			t += 10;
		}
		// 100 forgeries over 1 s: the first reloads (the kept copy was 10 s old), one more after a second.
		expect(store.loads).toBeLessThanOrEqual(1 + Math.ceil(1_000 / SIGNING_CREDENTIALS_RELOAD_MS) + 1);
		expect(store.loads).toBeGreaterThanOrEqual(2);
		expect(await deliver(ctx, sign('s1'), now)).toBe(true);
	});

	it('keeps credentials apart per workflow, node and credential', async () => {
		const a = { appSecret: 'a', loads: 0 };
		const b = { appSecret: 'b', loads: 0 };
		expect(await deliver(context(a, 'wf1', 'c1'), sign('a'), now)).toBe(true);
		expect(await deliver(context(b, 'wf1', 'c2'), sign('b'), now)).toBe(true);
		expect(await deliver(context(b, 'wf2', 'c1'), sign('b'), now)).toBe(true);
		expect(await deliver(context(b, 'wf1', 'c1', 'Other trigger'), sign('b'), now)).toBe(true);
		// The first workflow's node still verifies with its own secret, without a reload.
		expect(await deliver(context(a, 'wf1', 'c1'), sign('a'), now)).toBe(true);
		expect(a.loads).toBe(1);
		expect(b.loads).toBe(3);
	});
});

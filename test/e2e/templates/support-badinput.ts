/**
 * What the bad-input sweeps (issue 11) share: the record of each bad input and what became of
 * it, the good items sent and lost, the summary they print, and posting crafted deliveries.
 */
import { createHmac } from 'node:crypto';

import { DEFAULTS as SHOPIFY_DEFAULTS } from '../../../sandbox/systems/shopify/state';

/** One bad input and what became of it. */
export interface BadOutcome {
	kind: string;
	what: string;
	/** The HTTP status the webhook answered, for inputs refused at the door. */
	status?: number;
	/** The error text it ended with (dead letter, error output or response body). */
	error?: string;
	ok: boolean;
	why?: string;
	/** The same bad input checked again (by the nightly job), not a new one. */
	again?: boolean;
}

/** Bad inputs tried, and the good items sent beside them and lost. */
export class BadInputTally {
	readonly bad: BadOutcome[] = [];
	goodSent = 0;
	readonly goodLost: string[] = [];

	/** The `[label] tried N bad inputs …; good items: M sent, L lost` line, then one line per input. */
	summary(label: string): string {
		const tried = this.bad.filter((b) => !b.again);
		const byKind = new Map<string, number>();
		for (const b of tried) byKind.set(b.kind, (byKind.get(b.kind) ?? 0) + 1);
		const again = this.bad.length - tried.length;
		return (
			`[${label}] tried ${tried.length} bad inputs (by kind: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}` +
			`${again ? `; ${again} checked again in the nightly report` : ''}); good items: ${this.goodSent} sent, ${this.goodLost.length} lost\n` +
			this.bad.map((b) => `  ${b.ok ? 'ok  ' : 'FAIL'} ${b.again ? '(again) ' : ''}${b.kind}: ${b.what} → ${b.status ?? ''} ${b.error ?? ''}${b.why ? ` (${b.why})` : ''}`).join('\n') +
			(this.goodLost.length ? `\n  lost: ${this.goodLost.join('\n  lost: ')}` : '')
		);
	}
}

/** Shopify's HMAC of a body with the sandbox app's secret (X-Shopify-Hmac-Sha256). */
export const shopifySign = (body: string): string => createHmac('sha256', SHOPIFY_DEFAULTS.appSecret).update(body, 'utf8').digest('base64');

/** Posts a crafted delivery; the status and body text as answered. */
export async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
	const res = await fetch(url, { method: 'POST', headers, body });
	return { status: res.status, text: await res.text() };
}

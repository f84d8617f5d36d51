/**
 * Which n8n majors the e2e tests run against. 2.x is required (a missing runtime fails in CI);
 * 1.x runs where its runtime installs, and is reported loudly when it cannot.
 */
import { ensureRuntime } from './harness/runtime';

export const E2E_TIMEOUT = 15 * 60_000;

/** The majors to test: 2 always; 1 when N8N1 is not "0" and it installs. */
export function majors(): Array<1 | 2> {
	const out: Array<1 | 2> = [2];
	if (process.env.N8N1 === '0') return out;
	try {
		ensureRuntime(1);
		out.push(1);
	} catch (error) {
		console.warn(`\n*** n8n 1.x e2e tests SKIPPED: ${(error as Error).message} ***\n`);
	}
	return out;
}

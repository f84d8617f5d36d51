import { sleep } from 'n8n-workflow';

import type { Clock } from '../core/resilience/clock';

/**
 * The kernel's clock inside n8n: real time, sleeping through n8n-workflow's `sleep` so waits
 * follow n8n's conventions, and abortable so a cancelled execution stops waiting at once.
 */
export const n8nClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => {
		if (ms <= 0) return;
		if (!signal) return await sleep(ms);
		if (signal.aborted) throw abortError();
		await new Promise<void>((resolve, reject) => {
			const onAbort = () => reject(abortError());
			signal.addEventListener('abort', onAbort, { once: true });
			sleep(ms).then(
				() => {
					signal.removeEventListener('abort', onAbort);
					resolve();
				},
				reject,
			);
		});
	},
};

function abortError(): Error {
	const error = new Error('The execution was cancelled while waiting to retry');
	error.name = 'AbortError';
	return error;
}

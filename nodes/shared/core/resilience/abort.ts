/**
 * Abort handling shared by everything in the kernel that waits. An aborted wait rejects with the
 * signal's own reason when it is an Error (so a caller's custom reason survives), else with an
 * Error named `AbortError`, the name n8n and fetch use.
 */

/** The error to reject with when `signal` has aborted. */
export function abortError(signal?: AbortSignal): Error {
	const reason: unknown = signal?.reason;
	if (reason instanceof Error) return reason;
	const error = new Error('The operation was cancelled');
	error.name = 'AbortError';
	return error;
}

/** Throws the abort error when `signal` has already aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
	if (signal?.aborted) throw abortError(signal);
}

/** True for errors produced by an abort (ours, n8n's or the platform's). */
export function isAbortError(error: unknown): boolean {
	return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/**
 * Resolves with `promise`, or rejects as soon as `signal` aborts. The promise itself is not
 * cancelled; callers use this to stop waiting for something they no longer need.
 */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (!signal) return promise;
	if (signal.aborted) return Promise.reject(abortError(signal));
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(abortError(signal));
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

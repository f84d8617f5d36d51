import { CommerceError } from '../../../nodes/shared/core/http/errors';
import { classifyError } from '../../../nodes/Retry/classify';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('classifyError', () => {
	it.each([
		[429, true, 'rateLimited'],
		[408, true, 'transient'],
		[500, true, 'transient'],
		[502, true, 'transient'],
		[503, true, 'transient'],
		[504, true, 'transient'],
		[400, false, 'validation'],
		[422, false, 'validation'],
		[401, false, 'auth'],
		[403, false, 'auth'],
		[404, false, 'notFound'],
		[409, false, 'conflict'],
	])('status %i (as n8n httpCode) → retryable %s, %s', (status, retryable, kind) => {
		expect(classifyError({ message: 'x', httpCode: String(status) }, NOW)).toMatchObject({ status, retryable, kind });
	});

	it('reads Retry-After seconds or an HTTP date from response headers', () => {
		const secs = classifyError({ message: 'slow down', statusCode: 429, response: { headers: { 'Retry-After': '7' } } }, NOW);
		expect(secs).toMatchObject({ retryable: true, retryAfterMs: 7000 });
		const date = classifyError(
			{ status: 503, headers: { 'retry-after': new Date(NOW + 90_000).toUTCString() } },
			NOW,
		);
		expect(date.retryAfterMs).toBe(90_000);
	});

	it('trusts our typed error details, including retry-after and request id', () => {
		const details = { message: 'Throttled', kind: 'rateLimited', retryable: true, status: 429, retryAfterMs: 1500, requestId: 'req-9', system: 'shopify' };
		expect(classifyError(details, NOW)).toEqual({
			retryable: true,
			kind: 'rateLimited',
			status: 429,
			retryAfterMs: 1500,
			requestId: 'req-9',
			message: 'Throttled',
		});
		const instance = new CommerceError({ kind: 'validation', message: 'Bad SKU', system: 'ebay', retryable: false, status: 400 });
		expect(classifyError(instance, NOW)).toMatchObject({ retryable: false, kind: 'validation', status: 400 });
	});

	it('retries connection resets and timeouts from codes or messages', () => {
		expect(classifyError({ message: 'socket hang up', code: 'ECONNRESET' }, NOW)).toMatchObject({ retryable: true, kind: 'transient', code: 'ECONNRESET' });
		expect(classifyError({ message: 'x', cause: { code: 'ETIMEDOUT' } }, NOW)).toMatchObject({ retryable: true, code: 'ETIMEDOUT' });
		expect(classifyError({ message: 'timeout of 30000ms exceeded' }, NOW)).toMatchObject({ retryable: true, kind: 'transient' });
		expect(classifyError('Request failed with status code 502', NOW)).toMatchObject({ retryable: true, status: 502 });
	});

	it('treats errors nothing explains as permanent unless told otherwise', () => {
		expect(classifyError({ message: 'Cannot read properties of undefined' }, NOW)).toMatchObject({ retryable: false, kind: 'unknown' });
		expect(classifyError({ message: 'Cannot read properties of undefined' }, NOW, true).retryable).toBe(true);
		expect(classifyError(undefined, NOW).retryable).toBe(false);
	});
});

/**
 * ShipBob error bodies: RFC 7807 ProblemDetails (`title`, `detail`), validation objects
 * (`{ field: [messages] }` or `{ errors: { field: [messages] } }`), `{ errors: [messages] }`
 * (order 422) and the rate-limit body `{ statusCode, message }`.
 * API: https://developer.shipbob.com/api/orders/create-order
 */

function list(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
	return [];
}

function fieldMessages(obj: Record<string, unknown>): string[] {
	const out: string[] = [];
	for (const [field, value] of Object.entries(obj)) {
		const messages = list(value);
		if (messages.length) out.push(`${field}: ${messages.join(' ')}`);
	}
	return out;
}

/** A readable message from any ShipBob error body. */
export function shipBobErrorMessage(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		return text && !text.startsWith('<') ? text.slice(0, 300) : undefined;
	}
	if (!body || typeof body !== 'object') return undefined;
	const b = body as Record<string, unknown>;
	const parts: string[] = [];
	const title = typeof b.title === 'string' ? b.title : undefined;
	const detail = typeof b.detail === 'string' ? b.detail : undefined;
	if (title || detail)
		parts.push(title && detail ? `${title}: ${detail}` : (title ?? detail ?? ''));
	if (typeof b.message === 'string') parts.push(b.message);
	if (Array.isArray(b.errors)) parts.push(...list(b.errors));
	else if (b.errors && typeof b.errors === 'object')
		parts.push(...fieldMessages(b.errors as Record<string, unknown>));
	if (parts.length === 0) {
		// ASP.NET model-state bodies are a bare { field: [messages] } object.
		parts.push(...fieldMessages(b));
	}
	return parts.length ? parts.join('; ') : undefined;
}

/** True when an order create failed because the reference_id already exists. */
export function isDuplicateReference(status: number | undefined, body: unknown): boolean {
	if (status !== 409 && status !== 422 && status !== 400) return false;
	const message = shipBobErrorMessage(body) ?? '';
	return /reference[_ ]?id/i.test(message) && /(already|exists|duplicate)/i.test(message);
}

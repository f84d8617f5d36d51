/**
 * Parses a `Retry-After` value into milliseconds. Servers send delta-seconds ("120"), some
 * send fractions ("0.5", Shopify and Akeneo proxies do), and RFC 9110 also allows an HTTP date.
 * Returns undefined for anything else, so junk never turns into a zero wait or a huge one.
 *
 * @param value the header value (first value if repeated)
 * @param nowMs the current time, needed to turn a date into a delay
 */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) {
		const seconds = Number(text);
		return Number.isFinite(seconds) ? Math.ceil(seconds * 1000) : undefined;
	}
	// Only accept real HTTP-date shapes; Date.parse alone accepts "1" or "tomorrow" on some engines.
	if (!/^[A-Za-z]{3},\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}:\d{2}\s+GMT$/.test(text) &&
		!/^[A-Za-z]+,\s+\d{2}-[A-Za-z]{3}-\d{2}\s+\d{2}:\d{2}:\d{2}\s+GMT$/.test(text) &&
		!/^[A-Za-z]{3}\s+[A-Za-z]{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+\d{4}$/.test(text)) {
		return undefined;
	}
	const at = Date.parse(text);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - nowMs);
}

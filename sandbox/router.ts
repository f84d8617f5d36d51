/**
 * A tiny path router. Patterns are literal segments, `:name` segments (one path segment,
 * percent-decoded) and an optional trailing `*` (the rest of the path, as `params['*']`).
 * A colon inside a segment is literal (`/inventory/history:query`, `/item/eid:{id}` patterns work
 * because only segments that *start* with `:` are parameters).
 */

/** A compiled route. */
export interface CompiledRoute<T> {
	method: string;
	pattern: string;
	regex: RegExp;
	names: string[];
	value: T;
}

/** Outcome of a lookup. */
export type RouteMatch<T> =
	| { kind: 'found'; route: CompiledRoute<T>; params: Record<string, string> }
	| { kind: 'methodNotAllowed'; allowed: string[] }
	| { kind: 'notFound' };

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a pattern such as `/orders/:id/lines/*`. */
export function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
	if (!pattern.startsWith('/'))
		throw new RangeError(`Route pattern must start with "/": ${pattern}`);
	const names: string[] = [];
	const segments = pattern.split('/').slice(1);
	let source = '';
	segments.forEach((segment, i) => {
		if (segment === '*' && i === segments.length - 1) {
			names.push('*');
			source += '(?:/(.*))?';
		} else if (segment.startsWith(':') && segment.length > 1) {
			names.push(segment.slice(1));
			source += '/([^/]+)';
		} else {
			source += `/${escape(segment)}`;
		}
	});
	return { regex: new RegExp(`^${source || '/'}/?$`), names };
}

/** Routes in registration order; the first match wins. */
export class Router<T> {
	private routes: Array<CompiledRoute<T>> = [];

	add(method: string, pattern: string, value: T): void {
		const { regex, names } = compilePattern(pattern);
		this.routes.push({ method: method.toUpperCase(), pattern, regex, names, value });
	}

	match(method: string, path: string): RouteMatch<T> {
		const allowed: string[] = [];
		for (const route of this.routes) {
			const m = route.regex.exec(path);
			if (!m) continue;
			if (route.method !== '*' && route.method !== method.toUpperCase()) {
				allowed.push(route.method);
				continue;
			}
			const params: Record<string, string> = {};
			route.names.forEach((name, i) => {
				const raw = m[i + 1] ?? '';
				try {
					params[name] = decodeURIComponent(raw);
				} catch {
					params[name] = raw;
				}
			});
			return { kind: 'found', route, params };
		}
		return allowed.length > 0 ? { kind: 'methodNotAllowed', allowed } : { kind: 'notFound' };
	}
}

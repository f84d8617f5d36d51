/**
 * Loads vendor API descriptions from the shared specs folder (`../shared/specs` next to the repo,
 * or `$COMMERCE_SYNC_SPECS_DIR`), gunzipping `.gz` files. Parsed documents are cached per path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The repository root (this file lives in `<root>/sandbox/spec`). */
const REPO_ROOT = resolve(__dirname, '..', '..');

/** Where the vendor specs are: `$COMMERCE_SYNC_SPECS_DIR`, else `<repo>/../shared/specs`. */
export function specsDir(env: NodeJS.ProcessEnv = process.env): string {
	const override = env.COMMERCE_SYNC_SPECS_DIR;
	if (override) return isAbsolute(override) ? override : resolve(REPO_ROOT, override);
	return resolve(REPO_ROOT, '..', 'shared', 'specs');
}

const cache = new Map<string, unknown>();

/**
 * Reads and parses one spec file, e.g. `loadSpecFile('shipbob/openapi-2026-01.json')`.
 * @throws Error naming the path and how to point at the specs when the file is missing
 */
export function loadSpecFile(relativePath: string, env: NodeJS.ProcessEnv = process.env): unknown {
	const full = isAbsolute(relativePath) ? relativePath : join(specsDir(env), relativePath);
	const hit = cache.get(full);
	if (hit !== undefined) return hit;
	if (!existsSync(full)) {
		throw new Error(
			`Spec file not found: ${full}. The vendor specs live in ../shared/specs beside the repository; ` +
				`set COMMERCE_SYNC_SPECS_DIR to the folder that holds them (e.g. shipbob/openapi-2026-01.json).`,
		);
	}
	let bytes = readFileSync(full);
	if (full.endsWith('.gz')) bytes = gunzipSync(bytes);
	let parsed: unknown;
	try {
		parsed = JSON.parse(bytes.toString('utf8'));
	} catch (error) {
		throw new Error(
			`Spec file ${full} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
	cache.set(full, parsed);
	return parsed;
}

/**
 * Where the cached runtimes live (installed by scripts/ensure-runtime.sh, outside the clone).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');
const SCRIPT = join(REPO_ROOT, 'scripts/ensure-runtime.sh');

export interface Runtime {
	major: 1 | 2;
	/** Directory whose bin is put first on PATH (Node 24 for n8n 2.x; the machine's Node for 1.x). */
	nodeBin?: string;
	/** The n8n executable script. */
	n8nBin: string;
	version: string;
}

function paths(): Record<string, string> {
	const out = execFileSync('bash', [SCRIPT, 'paths'], { encoding: 'utf8' });
	return Object.fromEntries(out.trim().split('\n').map((l) => l.split('=') as [string, string]));
}

/**
 * Installs (first time only, several minutes) and locates the runtime for an n8n major.
 * Throws with the installer's output when it cannot be installed.
 */
export function ensureRuntime(major: 1 | 2): Runtime {
	try {
		execFileSync('bash', [SCRIPT, major === 2 ? 'n8n2' : 'n8n1'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 20 * 60_000 });
	} catch (error) {
		throw new Error(`Could not install the n8n ${major}.x runtime: ${(error as Error).message}`);
	}
	const p = paths();
	const dir = major === 2 ? p.N8N2_DIR : p.N8N1_DIR;
	const n8nBin = join(dir, 'node_modules/n8n/bin/n8n');
	if (!existsSync(n8nBin)) throw new Error(`n8n is not installed at ${n8nBin}`);
	const pkg = require(join(dir, 'node_modules/n8n/package.json')) as { version: string };
	return { major, nodeBin: major === 2 ? p.NODE24_BIN : undefined, n8nBin, version: pkg.version };
}

/** Whether a major's runtime is already installed (no install attempted). */
export function runtimeInstalled(major: 1 | 2): boolean {
	const p = paths();
	return existsSync(join(major === 2 ? p.N8N2_DIR : p.N8N1_DIR, '.done'));
}

/**
 * The template workflows in `workflows/` as files: what an ops person imports must be complete
 * and safe before any n8n runs it. Every node type exists (ours at a version we declare), every
 * connection joins two existing nodes, credential slots hold no ids and no file holds a secret,
 * each template explains itself in sticky notes, and `workflows/README.md` lists each one.
 * (The e2e tests in `test/e2e/templates` run them; this catches a broken file in milliseconds.)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { SANDBOX_CREDENTIALS } from '../../scripts/start-credentials';

const root = resolve(__dirname, '../..');
const dir = join(root, 'workflows');
const PKG = 'n8n-nodes-commerce-sync';

interface TemplateNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position?: unknown;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name?: string }>;
}
interface Template {
	name?: string;
	nodes: TemplateNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string; index: number }> | null>>>;
	settings?: { executionOrder?: string };
}

function files(path: string, suffix: string): string[] {
	return readdirSync(path).flatMap((entry) => {
		const full = join(path, entry);
		if (statSync(full).isDirectory()) return files(full, suffix);
		return entry.endsWith(suffix) ? [full] : [];
	});
}

/** Our node types by name, with the highest version each declares. */
function packageNodes(): Map<string, number> {
	const out = new Map<string, number>();
	for (const file of files(join(root, 'nodes'), '.node.ts')) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(file) as Record<string, new () => { description: INodeTypeDescription }>;
		for (const Class of Object.values(mod)) {
			if (typeof Class !== 'function' || !/^class\b/.test(Function.prototype.toString.call(Class))) continue;
			const description = new Class().description;
			if (!description?.name) continue;
			const { name, version } = description;
			out.set(name, Math.max(...(Array.isArray(version) ? version : [version])));
		}
	}
	return out;
}

/** Every credential value the sandbox accepts that could pass for a secret (not URLs or names). */
function sandboxSecrets(): string[] {
	const url = () => 'http://127.0.0.1:1/x';
	const secrets = new Set<string>();
	for (const entry of Object.values(SANDBOX_CREDENTIALS)) {
		const data = entry.data({ url });
		for (const [field, value] of Object.entries(data)) {
			if (typeof value !== 'string' || value.length < 8 || value.startsWith('http')) continue;
			if (/secret|token|password|key/i.test(field)) secrets.add(value);
		}
	}
	return [...secrets];
}

const templates = readdirSync(dir)
	.filter((f) => f.endsWith('.json'))
	.sort();
const ours = packageNodes();
const credentialTypes = new Set(
	files(join(root, 'credentials'), '.credentials.ts').map((file) => {
		const text = readFileSync(file, 'utf8');
		return /name\s*=\s*'([^']+)'/.exec(text)?.[1];
	}),
);
const secrets = sandboxSecrets();

describe('template workflows', () => {
	it('are the six templates the README names', () => {
		expect(templates).toEqual([
			'batch-catalog-sync.json',
			'dead-letter-replay.json',
			'fulfilment-back-sync.json',
			'nightly-reconciliation.json',
			'order-sync.json',
			'realtime-stock-sync.json',
		]);
		const readme = readFileSync(join(dir, 'README.md'), 'utf8');
		for (const file of templates) expect(readme).toContain(`\`${file}\``);
	});

	it('the secret list this test checks against is not empty', () => {
		expect(secrets.length).toBeGreaterThanOrEqual(8);
	});

	describe.each(templates)('%s', (file) => {
		const text = readFileSync(join(dir, file), 'utf8');
		const template = JSON.parse(text) as Template;
		const names = new Set(template.nodes.map((n) => n.name));

		it('has a name, run order v1 and unique node names', () => {
			expect(typeof template.name).toBe('string');
			expect(template.name!.trim()).not.toBe('');
			expect(template.settings?.executionOrder).toBe('v1');
			expect(names.size).toBe(template.nodes.length);
		});

		it('uses only n8n core nodes and ours, at versions that exist', () => {
			for (const node of template.nodes) {
				const [pkg, type] = node.type.split(/\.(?=[^.]+$)/);
				if (pkg === PKG) {
					expect({ node: node.name, known: ours.has(type) }).toEqual({ node: node.name, known: true });
					expect(node.typeVersion).toBeLessThanOrEqual(ours.get(type)!);
				} else {
					expect({ node: node.name, pkg }).toEqual({ node: node.name, pkg: 'n8n-nodes-base' });
				}
				expect(typeof node.typeVersion).toBe('number');
				expect(Array.isArray(node.position)).toBe(true);
			}
		});

		it('connects only nodes that exist', () => {
			for (const [from, outputs] of Object.entries(template.connections)) {
				expect({ from, exists: names.has(from) }).toEqual({ from, exists: true });
				for (const targets of Object.values(outputs)) {
					for (const target of (targets ?? []).flat()) {
						if (!target) continue;
						expect({ from, to: target.node, exists: names.has(target.node) }).toEqual({
							from,
							to: target.node,
							exists: true,
						});
					}
				}
			}
		});

		it('leaves credentials to be chosen: no ids; our nodes name our credential types', () => {
			const slots = template.nodes.flatMap((n) =>
				Object.entries(n.credentials ?? {}).map(([type, ref]) => ({
					node: n.name,
					ours: n.type.startsWith(`${PKG}.`),
					type,
					ref,
				})),
			);
			expect(slots.length).toBeGreaterThan(0);
			for (const { node, ours, type, ref } of slots) {
				if (ours) {
					expect({ node, type, known: credentialTypes.has(type) }).toEqual({ node, type, known: true });
				}
				expect({ node, id: ref.id ?? '' }).toEqual({ node, id: '' });
			}
		});

		it('holds no secret', () => {
			for (const secret of secrets) expect(text).not.toContain(secret);
			expect(text).not.toMatch(/shpat_|shpss_|pat-na1-|Bearer\s+\S{8,}|Atza\||"password"\s*:\s*"[^"]+"/);
		});

		it('explains itself in sticky notes', () => {
			const notes = template.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote');
			expect(notes.length).toBeGreaterThanOrEqual(3);
			for (const note of notes) {
				expect(String(note.parameters?.content ?? '').trim().length).toBeGreaterThan(40);
			}
		});
	});
});

/**
 * The import boundaries DESIGN.md rests on, checked on the source itself so a violation fails
 * the test suite even where ESLint is not run: the kernel is pure, the bridge is the only way
 * into n8n, systems never import each other, and nothing shipped imports tests or the sandbox.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const SYSTEMS = ['Shopify', 'NetSuite', 'ShipBob', 'HubSpot', 'Akeneo', 'AmazonSellingPartner', 'Ebay'];

function tsFiles(dir: string): string[] {
	let out: string[] = [];
	let entries: string[] = [];
	try {
		entries = readdirSync(dir);
	} catch {
		return out;
	}
	for (const entry of entries) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) out = out.concat(tsFiles(path));
		else if (entry.endsWith('.ts')) out.push(path);
	}
	return out;
}

function imports(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const specs: string[] = [];
	const re = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
	for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[1] ?? m[2] ?? m[3]);
	return specs;
}

function resolved(file: string, spec: string): string | undefined {
	return spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : undefined;
}

const shipped = [...tsFiles(join(root, 'nodes')), ...tsFiles(join(root, 'credentials'))];

describe('import boundaries', () => {
	it('finds the shipped sources', () => {
		expect(shipped.length).toBeGreaterThan(5);
	});

	it('nodes/shared/core imports nothing from n8n, the bridge or a system', () => {
		const bad: string[] = [];
		for (const file of shipped.filter((f) => relative(root, f).startsWith('nodes/shared/core/'))) {
			for (const spec of imports(file)) {
				const target = resolved(file, spec) ?? spec;
				if (/^n8n-/.test(spec) || target.startsWith('nodes/shared/n8n') || SYSTEMS.some((s) => target.startsWith(`nodes/${s}/`))) {
					bad.push(`${relative(root, file)} → ${spec}`);
				}
			}
		}
		expect(bad).toEqual([]);
	});

	it('systems never import each other', () => {
		const bad: string[] = [];
		for (const system of SYSTEMS) {
			for (const file of tsFiles(join(root, 'nodes', system))) {
				for (const spec of imports(file)) {
					const target = resolved(file, spec);
					if (target && SYSTEMS.some((other) => other !== system && target.startsWith(`nodes/${other}/`))) {
						bad.push(`${relative(root, file)} → ${spec}`);
					}
				}
			}
		}
		expect(bad).toEqual([]);
	});

	it('shipped code never imports tests, the sandbox, tooling or axios', () => {
		const bad: string[] = [];
		for (const file of shipped) {
			for (const spec of imports(file)) {
				const target = resolved(file, spec) ?? spec;
				if (/^(test|sandbox|scripts)\//.test(target) || spec === 'axios') bad.push(`${relative(root, file)} → ${spec}`);
			}
		}
		expect(bad).toEqual([]);
	});

	it('package.json lists every node and credential that exists, and only those', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
			n8n: { nodes: string[]; credentials: string[] };
		};
		const toDist = (f: string) => `dist/${relative(root, f).replace(/\.ts$/, '.js')}`;
		const nodes = shipped.filter((f) => f.endsWith('.node.ts')).map(toDist).sort();
		const creds = shipped.filter((f) => f.endsWith('.credentials.ts')).map(toDist).sort();
		expect([...pkg.n8n.nodes].sort()).toEqual(nodes);
		expect([...pkg.n8n.credentials].sort()).toEqual(creds);
	});
});

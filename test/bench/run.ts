/**
 * `npm run bench -- <name> [...]`: runs the benchmark in test/bench/<name>.ts (its exported
 * `run(args)`), or every benchmark when no name is given. Benchmarks print figures and ratios
 * against a baseline measured in the same run; they are not pass/fail tests.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
	const [name, ...args] = process.argv.slice(2);
	const available = readdirSync(__dirname)
		.filter((f) => f.endsWith('.ts') && f !== 'run.ts')
		.map((f) => f.replace(/\.ts$/, ''))
		.sort();
	const chosen = name ? [name] : available;
	for (const bench of chosen) {
		if (!available.includes(bench)) {
			console.error(`Unknown benchmark "${bench}". Available: ${available.join(', ') || 'none'}`);
			process.exitCode = 2;
			return;
		}
		const mod = (await import(join(__dirname, bench))) as { run?: (args: string[]) => Promise<void> };
		if (typeof mod.run !== 'function') {
			console.error(`test/bench/${bench}.ts exports no run() function`);
			process.exitCode = 2;
			return;
		}
		console.log(`\n=== bench: ${bench} ===`);
		await mod.run(args);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

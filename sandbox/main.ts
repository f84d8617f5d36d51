/**
 * `npm run sandbox`: runs every built-in system on one loopback port until Ctrl-C.
 *
 *   npm run sandbox -- --port 8787 --seed demo --skus 200 --locations 4 --systems shopify,shipbob
 *   SANDBOX_PORT=0 npm run sandbox          # any free port
 *   npm run sandbox -- --no-rate-limits     # limits off (they are on by default)
 */
import { SandboxPortInUseError, startSandbox, type Sandbox } from './server';
import type { SeedSpec } from './types';

const USAGE = `Usage: npm run sandbox -- [--port N] [--seed S] [--skus N] [--locations N] [--systems a,b] [--no-rate-limits]
  --port        port on 127.0.0.1 (default $SANDBOX_PORT or 8787; 0 picks a free one)
  --seed        seed of the generated catalog and of fault injection (default commerce-sync)
  --skus        number of SKUs (default 50)
  --locations   number of locations (default 3)
  --systems     comma-separated subset of systems to run (default: all)
  --no-rate-limits  start with every rate limit off`;

interface Args {
	port: number;
	seed: SeedSpec;
	systems?: string[];
	rateLimits: boolean;
}

function fail(message: string): never {
	process.stderr.write(`sandbox: ${message}\n${USAGE}\n`);
	process.exit(2);
}

function integer(name: string, value: string | undefined, min: number, max: number): number {
	const n = Number(value);
	if (value === undefined || value === '' || !Number.isInteger(n) || n < min || n > max)
		fail(`${name} must be a whole number from ${min} to ${max}, got "${value ?? ''}"`);
	return n;
}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args {
	const args: Args = {
		port:
			env.SANDBOX_PORT !== undefined && env.SANDBOX_PORT !== ''
				? integer('SANDBOX_PORT', env.SANDBOX_PORT, 0, 65535)
				: 8787,
		seed: { seed: 'commerce-sync', skus: 50, locations: 3 },
		rateLimits: true,
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				args.port = integer('--port', value(), 0, 65535);
				break;
			case '--seed': {
				const s = value();
				if (!s) fail('--seed needs a value');
				args.seed.seed = s;
				break;
			}
			case '--skus':
				args.seed.skus = integer('--skus', value(), 0, 100_000);
				break;
			case '--locations':
				args.seed.locations = integer('--locations', value(), 1, 100);
				break;
			case '--systems':
				args.systems = (value() ?? '')
					.split(',')
					.map((s) => s.trim())
					.filter(Boolean);
				break;
			case '--no-rate-limits':
				args.rateLimits = false;
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				fail(`unknown option "${argv[i]}"`);
		}
	}
	return args;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2), process.env);
	let sandbox: Sandbox;
	try {
		sandbox = await startSandbox({
			port: args.port,
			seed: args.seed,
			systems: args.systems,
			rateLimits: args.rateLimits,
		});
	} catch (error) {
		if (error instanceof SandboxPortInUseError) {
			process.stderr.write(`sandbox: ${error.message}\n`);
			process.exit(1);
		}
		if (error instanceof RangeError) fail(error.message);
		throw error;
	}
	const lines = [
		`Commerce sandbox listening on ${sandbox.baseUrl}`,
		`  control API: ${sandbox.controlUrl}`,
	];
	if (sandbox.systemNames.length === 0)
		lines.push('  (no systems registered yet: see sandbox/README.md)');
	for (const name of sandbox.systemNames)
		lines.push(`  ${name.padEnd(10)} ${sandbox.urlFor(name)}`);
	lines.push(
		`  seed "${String(args.seed.seed)}": ${args.seed.skus} SKUs x ${args.seed.locations} locations; rate limits ${args.rateLimits ? 'on' : 'off'}`,
	);
	lines.push('Ctrl-C to stop.');
	process.stdout.write(`${lines.join('\n')}\n`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\nsandbox: ${signal}, closing\n`);
		const force = setTimeout(() => process.exit(0), 3000);
		force.unref();
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	process.stderr.write(
		`sandbox: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});

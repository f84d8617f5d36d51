/**
 * The one contract every system adapter runs against its sandbox over real HTTP (Meltano's
 * standard tap tests, for our nodes): pages to the end, honours limit, catches a looping
 * cursor, retries 429 after the header wait, never retries 401/403/404, keeps ids as strings,
 * and round-trips stock levels where the system holds stock.
 *
 * A system's contract test is one call:
 *   describeAdapterContract({ system: 'shipbob', node: new ShipBob(), credentialType: 'shipBobApi', ... })
 */
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { resetSystemLimiters } from '../../nodes/shared/n8n/system';
import { fakeExecuteFunctions, type ParamValue } from '../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../helpers/n8nHttp';

/** A node run: parameters and input items. */
export interface ContractRun {
	params: Record<string, ParamValue>;
	items?: IDataObject[];
}

export interface AdapterContractOptions {
	/** The sandbox system name (its URL prefix). */
	system: string;
	node: INodeType;
	credentialType: string;
	/** Valid credentials pointing at the sandbox. */
	credentials(baseUrl: string): IDataObject;
	/** The same credentials with a secret the sandbox must refuse (401). */
	badCredentials(baseUrl: string): IDataObject;
	/** Catalog size to seed; the list must span several pages of `list`. */
	seed?: { skus: number; locations: number };
	/** A paged list operation. `run(returnAll, limit)` gives its params. */
	list: {
		run(returnAll: boolean, limit: number): ContractRun;
		/** How many rows a full read must return, from the sandbox state. */
		expectedTotal(sandbox: Sandbox): number;
		/** Fields of each row that hold ids (must be strings). */
		idFields: string[];
	};
	/** Write stock, read it back; omit for systems without stock. */
	stock?: {
		/** Writes `targets` (sku, locationId, quantity) through the node. */
		write(targets: Array<{ sku: string; locationId: string; quantity: number }>): ContractRun;
		/** Reads those SKUs back; rows carry sku, locationId, quantities.available (or onHand). */
		read(skus: string[]): ContractRun;
		/** Picks `n` (sku, locationId) pairs the system stocks, from its state. */
		pick(sandbox: Sandbox, n: number): Array<{ sku: string; locationId: string }>;
		/** Which named quantity the write sets. */
		quantity: 'available' | 'onHand';
	};
	/** Rate limits off during the contract, so only injected faults fire (default true). */
	disableLimits?: boolean;
}

/** Runs the node once with the given credentials; returns main output 0. */
export async function runNode(
	options: Pick<AdapterContractOptions, 'node' | 'credentialType'>,
	credentials: IDataObject,
	run: ContractRun,
	continueOnFail = false,
): Promise<INodeExecutionData[]> {
	const helpers = n8nHttpHelpers({ [options.credentialType]: credentials });
	const ctx = fakeExecuteFunctions({
		description: options.node.description,
		inputs: (run.items ?? [{}]).map((json) => ({ json })),
		params: run.params,
		continueOnFail,
		credentials: { [options.credentialType]: credentials },
		helpers: helpers as never,
		node: { credentials: { [options.credentialType]: { id: `contract-${Math.random()}`, name: 'contract' } } },
	});
	const result = await options.node.execute!.call(ctx);
	return (result as INodeExecutionData[][])[0];
}

/** Declares the shared contract suite for one adapter. */
export function describeAdapterContract(options: AdapterContractOptions): void {
	describe(`adapter contract: ${options.system}`, () => {
		let sandbox: Sandbox;
		let base: string;
		const creds = () => options.credentials(base);
		const seq = () => Math.max(0, ...sandbox.requests({ system: options.system }).map((r) => r.seq));
		const since = (s: number) => sandbox.requests({ system: options.system }).filter((r) => r.seq > s);

		beforeAll(async () => {
			sandbox = await startSandbox({
				systems: [options.system],
				seed: { seed: `contract-${options.system}`, skus: options.seed?.skus ?? 60, locations: options.seed?.locations ?? 2 },
			});
			base = sandbox.urlFor(options.system);
		});
		afterAll(async () => {
			await sandbox?.close();
		});
		beforeEach(() => {
			sandbox.reset(options.system);
			resetSystemLimiters();
			if (options.disableLimits !== false) {
				for (const policy of sandbox.limits(options.system)) {
					sandbox.configureLimit(options.system, policy.name, { enabled: false });
				}
			}
		});

		jest.setTimeout(15_000);

		it('pages to the end over several pages', async () => {
			const before = seq();
			const rows = await runNode(options, creds(), options.list.run(true, 0));
			expect(rows).toHaveLength(options.list.expectedTotal(sandbox));
			expect(since(before).length).toBeGreaterThan(1);
		});

		it('honours limit without fetching more than it needs', async () => {
			const before = seq();
			const rows = await runNode(options, creds(), options.list.run(false, 3));
			expect(rows).toHaveLength(3);
			expect(since(before).filter((r) => r.status === 200).length).toBe(1);
		});

		it('keeps every id a string', async () => {
			const rows = await runNode(options, creds(), options.list.run(false, 10));
			for (const row of rows) {
				for (const field of options.list.idFields) {
					const value = field.split('.').reduce<unknown>((v, k) => (v as IDataObject | undefined)?.[k], row.json);
					expect({ field, type: typeof value }).toEqual({ field, type: 'string' });
				}
			}
		});

		it('catches a looping cursor instead of reading forever', async () => {
			const helpers = n8nHttpHelpers({ [options.credentialType]: creds() });
			let first: unknown;
			// A server bug: every page answers like the first one, so the next cursor repeats.
			const looping = {
				...helpers,
				async httpRequestWithAuthentication(this: unknown, type: string, req: IDataObject) {
					const response = await helpers.httpRequestWithAuthentication.call(this, type, req as never);
					first ??= response;
					return first;
				},
			};
			const ctx = fakeExecuteFunctions({
				description: options.node.description,
				inputs: [{ json: {} }],
				params: options.list.run(true, 0).params,
				credentials: { [options.credentialType]: creds() },
				helpers: looping as never,
			});
			await expect(options.node.execute!.call(ctx)).rejects.toThrow(/repeat|loop/i);
		});

		it('retries a 429 after the wait the server asked for', async () => {
			sandbox.setFaults(options.system, { burst429: { length: 1, retryAfterSeconds: 1, start: true } });
			const before = seq();
			const rows = await runNode(options, creds(), options.list.run(false, 3));
			expect(rows).toHaveLength(3);
			const log = since(before);
			// The system's own throttle answer (Shopify's is a 200 whose body says THROTTLED), then success.
			expect(log).toHaveLength(2);
			expect(log[0].fault?.kind).toBe('burst429');
			expect(log[1]).toMatchObject({ status: 200 });
			expect(log[1].time - log[0].time).toBeGreaterThanOrEqual(1000);
		}, 30_000);

		it.each([401, 403, 404])('never retries a %i', async (status) => {
			if (status !== 401) sandbox.setFaults(options.system, { errorRate: 1, errorStatuses: [status] });
			const before = seq();
			const credentials = status === 401 ? options.badCredentials(base) : creds();
			const [item] = await runNode(options, credentials, options.list.run(false, 3), true);
			expect(item.json.error).toMatchObject({ status });
			expect(since(before)).toHaveLength(1);
		}, 15_000);

		if (options.stock) {
			const stock = options.stock;
			it('round-trips stock levels', async () => {
				const pairs = stock.pick(sandbox, 3);
				expect(pairs).toHaveLength(3);
				const targets = pairs.map((p, i) => ({ ...p, quantity: 17 + i }));
				await runNode(options, creds(), stock.write(targets));
				const rows = await runNode(options, creds(), stock.read(pairs.map((p) => p.sku)));
				for (const t of targets) {
					const row = rows.find((r) => r.json.sku === t.sku && r.json.locationId === t.locationId);
					expect(row).toBeDefined();
					expect((row!.json.quantities as IDataObject)[stock.quantity]).toBe(t.quantity);
				}
			});
		}
	});
}

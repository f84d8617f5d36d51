/** What several ShipBob operations share: next-link paging over `{ items, next }` pages. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { HttpClient } from '../../shared/core/http/client';
import { nextLink, paginate } from '../../shared/core/pagination';
import type { FetchPage, QueryValue } from '../../shared/core/pagination/types';
import { InputError } from '../../shared/n8n/errors';
import { systemClient } from '../../shared/n8n/system';
import { shipBobDefinition } from '../transport';

/** Reads a paged ShipBob list (`first/next/prev/last` links beside `items`). */
export async function pagedItems(
	fetchPage: FetchPage,
	baseUrl: string,
	path: string,
	query: Record<string, QueryValue>,
	limit: number | undefined,
): Promise<IDataObject[]> {
	return (await paginate({
		system: 'shipbob',
		fetchPage,
		baseUrl,
		request: { method: 'GET', path, query },
		strategy: nextLink({ items: 'items', next: { body: 'next' } }),
		limit,
	}).collect()) as IDataObject[];
}

/** Return All / Limit as a limit (undefined = all). */
export { readLimit as limitParam } from '../../shared/n8n/descriptions';

/** A parameter as a trimmed string. */
export function stringParam(ctx: IExecuteFunctions, name: string, index: number): string {
	const value = ctx.getNodeParameter(name, index, '') as unknown;
	if (value && typeof value === 'object' && 'value' in (value as IDataObject))
		return String((value as IDataObject).value ?? '').trim();
	return value === undefined || value === null ? '' : String(value).trim();
}

/** Finds one order by ShipBob id or by reference id (our key). */
export async function findOrder(
	ctx: IExecuteFunctions,
	index: number,
): Promise<{ client: HttpClient; order: IDataObject }> {
	const value = stringParam(ctx, 'value', index);
	if (!value)
		throw new InputError(
			'"Value" is empty',
			'value',
			'Map the order’s reference ID or ShipBob order ID.',
		);
	const { client } = await systemClient(ctx, shipBobDefinition);
	if (ctx.getNodeParameter('findBy', index, 'referenceId') === 'referenceId') {
		const list = await client.request<IDataObject[]>({
			method: 'GET',
			path: '/order',
			query: { ReferenceIds: value },
		});
		const order = Array.isArray(list.body) ? list.body[0] : undefined;
		if (!order)
			throw new InputError(
				`No ShipBob order has the reference ID "${value}"`,
				'value',
				'Check the reference ID, or that the order was created on this channel.',
			);
		return { client, order };
	}
	if (!/^\d+$/.test(value))
		throw new InputError(
			`"Value" must be a ShipBob order ID (digits), got "${value}"`,
			'value',
			'Choose Find By: Reference ID for your own keys.',
		);
	const response = await client.request<IDataObject>({ method: 'GET', path: `/order/${value}` });
	return { client, order: response.body };
}

import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { graphqlRequest } from '../../shared/core/http/graphql';
import { systemClient } from '../../shared/n8n/system';
import { LOCATIONS } from '../graphql/documents';
import { cost } from '../graphql/cost';
import { shopify } from '../transport';

/** Locations for the Location pickers, searchable by name, paged by Shopify's cursor. */
export async function searchLocations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client } = await systemClient(this, shopify);
	const { data } = await graphqlRequest<{
		locations: { nodes: Array<{ id: string; name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
	}>(client, {
		query: LOCATIONS,
		variables: { first: 50, after: paginationToken ?? null, query: filter ? `name:${JSON.stringify(filter)}` : null },
		cost: cost.locations(50),
	});
	return {
		results: data.locations.nodes.map((l) => ({ name: l.name, value: l.id })),
		paginationToken: data.locations.pageInfo.hasNextPage ? (data.locations.pageInfo.endCursor ?? undefined) : undefined,
	};
}

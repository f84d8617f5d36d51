/**
 * The operations every CRM object (contact, company, deal) offers, built once and bound to a
 * resource by the per-resource operation files.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CommerceError } from '../../shared/core/http/errors';
import { bodyCursor, paginate } from '../../shared/core/pagination';
import { correlationIdField, displayFor, dryRunField, returnAllOrLimit } from '../../shared/n8n/descriptions';
import { InputError } from '../../shared/n8n/errors';
import type { BatchOperation, BatchResult, ItemContext, ItemOperation } from '../../shared/n8n/router';
import { pageFetcher } from '../../shared/n8n/system';
import {
	associationPath,
	DEFAULT_ID_PROPERTY,
	matchUpsertResults,
	OBJECT_OF,
	propertyList,
	recordRow,
	searchBody,
	SEARCH_OPERATORS,
	toUpsertInput,
	upsertBody,
	type CrmObject,
	type FilterInput,
	type UpsertInput,
} from '../mappers';
import { BATCH_MAX, SEARCH_PAGE_MAX, SEARCH_RESULTS_MAX } from '../transport';
import { hubspotClient, inParallel, readLimit } from './common';

/** An operation file's exports. */
export interface CrmOperation<O> {
	description: INodeProperties[];
	operation: O;
}

// Batches in flight at once: enough to keep the 10-second window busy while one is answered.
const UPSERT_LANES = 4;

const ID_VALUE_DEFAULT: Record<CrmObject, string> = {
	contacts: '={{ $json.email }}',
	companies: '={{ $json.externalId }}',
	deals: '={{ $json.orderId }}',
};

const propertiesField: INodeProperties = {
	displayName: 'Properties to Return',
	name: 'properties',
	type: 'string',
	default: '',
	placeholder: 'email,firstname,lastname',
	description: 'Comma-separated property names; empty returns HubSpot’s default set',
};

/** Batch upsert by a unique property, 100 per call, each item reported as created or updated. */
export function upsert(resource: string): CrmOperation<BatchOperation> {
	const objectType = OBJECT_OF[resource];
	const description = displayFor(resource, 'upsert', [
		{
			displayName: 'Unique Property',
			name: 'idProperty',
			type: 'string',
			default: DEFAULT_ID_PROPERTY[objectType],
			required: true,
			description: 'A property with unique values the record is found by (email for contacts; a custom unique property such as order_id for deals)',
		},
		{
			displayName: 'Unique Value',
			name: 'idValue',
			type: 'string',
			default: ID_VALUE_DEFAULT[objectType],
			required: true,
			description: 'The value of the unique property for this item: the record with it is updated, or created',
		},
		{
			displayName: 'Properties (JSON)',
			name: 'recordProperties',
			type: 'json',
			default: '{}',
			description: 'Property names and values to set, e.g. {"firstname": "Jo", "lifecyclestage": "customer"}',
		},
		dryRunField,
		correlationIdField,
	]);

	interface Planned {
		ctx: ItemContext;
		input: UpsertInput;
		/** Earlier items naming the same record: they get this upsert's result. */
		also: ItemContext[];
	}

	// API: https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/batch/post-crm-v3-objects-contacts-batch-upsert
	const operation: BatchOperation = {
		kind: 'batch',
		correlation: true,
		async execute(this: IExecuteFunctions, items): Promise<BatchResult[]> {
			const results: BatchResult[] = [];
			const lastFor = new Map<string, Planned>();
			const planned: Planned[] = [];
			for (const ctx of items) {
				try {
					const input = toUpsertInput({
						objectType,
						idProperty: this.getNodeParameter('idProperty', ctx.index, DEFAULT_ID_PROPERTY[objectType]),
						idValue: this.getNodeParameter('idValue', ctx.index, undefined),
						properties: this.getNodeParameter('recordProperties', ctx.index, {}),
						traceId: ctx.correlationId,
					});
					// HubSpot refuses a whole batch that names one record twice (two orders of one
					// shopper in a run): one upsert with the properties merged, later items winning,
					// and its result on every item that named the record.
					const key = `${input.idProperty}:${input.id}`;
					const earlier = lastFor.get(key);
					const p: Planned = earlier
						? { ctx, input: { ...input, properties: { ...earlier.input.properties, ...input.properties } }, also: [...earlier.also, earlier.ctx] }
						: { ctx, input, also: [] };
					lastFor.set(key, p);
					planned.push(p);
				} catch (error) {
					results.push({ index: ctx.index, error });
				}
			}
			const ready = planned.filter((p) => lastFor.get(`${p.input.idProperty}:${p.input.id}`) === p);
			if (ready.length === 0) return results;
			const batches: Planned[][] = [];
			for (let i = 0; i < ready.length; i += BATCH_MAX) batches.push(ready.slice(i, i + BATCH_MAX));
			const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;
			const path = `/crm/v3/objects/${objectType}/batch/upsert`;
			if (dryRun) {
				for (const batch of batches) {
					const request = { method: 'POST', path, body: upsertBody(batch.map((p) => p.input)) };
					for (const p of batch) for (const c of [...p.also, p.ctx]) results.push({ index: c.index, json: { objectType, idProperty: p.input.idProperty, idValue: p.input.id, status: 'dryRun', request } });
				}
				return results;
			}
			const { client } = await hubspotClient(this);
			const signal = this.getExecutionCancelSignal?.();
			await inParallel(batches, UPSERT_LANES, async (batch) => {
				try {
					const correlation = [...new Set(batch.map((p) => p.ctx.correlationId).filter(Boolean))].join(',');
					const response = await client.request<IDataObject>({
						method: 'POST',
						path,
						body: upsertBody(batch.map((p) => p.input)),
						headers: correlation ? { 'X-Correlation-Id': correlation.slice(0, 1000) } : undefined,
						// Upsert by a unique value with absolute property values: a repeat changes nothing.
						absoluteSet: true,
						signal,
					});
					const outcomes = matchUpsertResults(response.body, batch.map((p) => p.input));
					batch.forEach((p, i) => {
						const o = outcomes[i];
						for (const { index } of [...p.also, p.ctx]) {
							if (o.ok) {
								results.push({ index, json: { objectType, id: o.id, idProperty: p.input.idProperty, idValue: p.input.id, status: o.created ? 'created' : 'updated', properties: o.properties, createdAt: o.createdAt, updatedAt: o.updatedAt } });
							} else {
								results.push({
									index,
									error: new CommerceError({
										kind: o.category === 'CONFLICT' ? 'conflict' : 'validation',
										system: 'hubspot',
										status: response.status,
										retryable: false,
										code: o.category,
										requestId: response.requestId,
										body: o.body,
										message: `HubSpot refused ${objectType} ${p.input.idProperty}=${p.input.id}: ${o.message}`,
										hint: 'Fix the property named in the message (it must exist in HubSpot and the unique property must have unique values) and send the item again',
									}),
								});
							}
						}
					});
				} catch (error) {
					for (const p of batch) for (const c of [...p.also, p.ctx]) results.push({ index: c.index, error });
				}
			});
			return results;
		},
	};
	return { description, operation };
}

/** One record by its id or by a unique property. */
export function get(resource: string): CrmOperation<ItemOperation> {
	const objectType = OBJECT_OF[resource];
	const description = displayFor(resource, 'get', [
		{ displayName: 'ID', name: 'recordId', type: 'string', default: '', required: true, description: 'The record ID, or the unique value when "Find By" names a property' },
		{ displayName: 'Find By', name: 'findBy', type: 'string', default: '', placeholder: DEFAULT_ID_PROPERTY[objectType], description: 'Leave empty for the record ID; or a unique property such as email' },
		propertiesField,
		{
			displayName: 'Include Associations',
			name: 'associations',
			type: 'multiOptions',
			options: (['contacts', 'companies', 'deals'] as CrmObject[]).filter((o) => o !== objectType).map((o) => ({ name: o[0].toUpperCase() + o.slice(1), value: o })),
			default: [],
		},
	]);
	// API: https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/get-crm-v3-objects-contacts-contactId
	const operation: ItemOperation = {
		async execute({ index }) {
			const id = String(this.getNodeParameter('recordId', index, '') ?? '').trim();
			if (!id) throw new InputError('No record ID given', 'recordId', 'Map "ID" to the record ID (or a unique value with "Find By")');
			const findBy = String(this.getNodeParameter('findBy', index, '') ?? '').trim();
			const properties = propertyList(this.getNodeParameter('properties', index, ''));
			const associations = (this.getNodeParameter('associations', index, []) as string[]) ?? [];
			const { client } = await hubspotClient(this);
			const response = await client.request<IDataObject>({
				method: 'GET',
				path: `/crm/v3/objects/${objectType}/${encodeURIComponent(id)}`,
				query: {
					idProperty: findBy || undefined,
					properties: properties.length ? properties.join(',') : undefined,
					associations: associations.length ? associations.join(',') : undefined,
				},
				signal: this.getExecutionCancelSignal?.(),
			});
			return recordRow(objectType, response.body);
		},
	};
	return { description, operation };
}

/** Every record of the object, 100 per page by HubSpot's `after` cursor. */
export function getMany(resource: string): CrmOperation<ItemOperation> {
	const objectType = OBJECT_OF[resource];
	const description = displayFor(resource, 'getMany', [propertiesField, ...returnAllOrLimit]);
	// API: https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/get-crm-v3-objects-contacts
	const operation: ItemOperation = {
		async execute({ index }) {
			const { client, profile } = await hubspotClient(this);
			const properties = propertyList(this.getNodeParameter('properties', index, ''));
			const rows = await paginate<IDataObject>({
				system: 'hubspot',
				fetchPage: pageFetcher(client),
				baseUrl: profile.baseUrl,
				request: { method: 'GET', path: `/crm/v3/objects/${objectType}`, query: { properties: properties.length ? properties.join(',') : undefined } },
				strategy: bodyCursor<IDataObject>({ items: 'results', cursor: 'paging.next.after', param: 'after', pageSizeParam: 'limit', pageSize: BATCH_MAX }),
				limit: readLimit(this, index),
				signal: this.getExecutionCancelSignal?.(),
			}).collect();
			return rows.map((r) => recordRow(objectType, r));
		},
	};
	return { description, operation };
}

/** Search with filters (AND), sorted, up to HubSpot's 10,000 results per query. */
export function search(resource: string): CrmOperation<ItemOperation> {
	const objectType = OBJECT_OF[resource];
	const description = displayFor(resource, 'search', [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Filter',
			description: 'All filters must match (at most 10)',
			options: [
				{
					displayName: 'Filter',
					name: 'filter',
					values: [
						{ displayName: 'Property', name: 'propertyName', type: 'string', default: '' },
						{ displayName: 'Operator', name: 'operator', type: 'options', options: SEARCH_OPERATORS.map((o) => ({ name: o, value: o })), default: 'EQ' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'For IN / NOT_IN a comma-separated list; dates as epoch milliseconds' },
						{ displayName: 'High Value', name: 'highValue', type: 'string', default: '', description: 'Upper bound for BETWEEN' },
					],
				},
			],
		},
		propertiesField,
		{ displayName: 'Sort By', name: 'sortBy', type: 'string', default: '', placeholder: 'lastmodifieddate' },
		{ displayName: 'Sort Direction', name: 'direction', type: 'options', options: [{ name: 'Ascending', value: 'ASCENDING' }, { name: 'Descending', value: 'DESCENDING' }], default: 'ASCENDING' },
		...returnAllOrLimit,
	]);
	// API: https://developers.hubspot.com/docs/api-reference/search/guide
	const operation: ItemOperation = {
		async execute({ index }) {
			const filters = ((this.getNodeParameter('filters', index, {}) as { filter?: FilterInput[] }).filter ?? []);
			const body = searchBody({
				filters,
				properties: propertyList(this.getNodeParameter('properties', index, '')),
				sortBy: String(this.getNodeParameter('sortBy', index, '') ?? '').trim() || undefined,
				direction: this.getNodeParameter('direction', index, 'ASCENDING') as string,
			});
			const limit = Math.min(readLimit(this, index) ?? SEARCH_RESULTS_MAX, SEARCH_RESULTS_MAX);
			const { client, profile } = await hubspotClient(this);
			const rows = await paginate<IDataObject>({
				system: 'hubspot',
				// Search has its own 5 per second limit beside the account's window.
				fetchPage: pageFetcher(client, { operation: 'search' }),
				baseUrl: profile.baseUrl,
				request: { method: 'POST', path: `/crm/v3/objects/${objectType}/search`, body },
				strategy: bodyCursor<IDataObject>({ items: 'results', cursor: 'paging.next.after', param: 'after', in: 'body', pageSizeParam: 'limit', pageSize: SEARCH_PAGE_MAX }),
				limit,
				signal: this.getExecutionCancelSignal?.(),
			}).collect();
			return rows.map((r) => recordRow(objectType, r));
		},
	};
	return { description, operation };
}

/** Links this record to a contact, company or deal with HubSpot's default association. */
export function associate(resource: string): CrmOperation<ItemOperation> {
	const objectType = OBJECT_OF[resource];
	const targets = (['contacts', 'companies', 'deals'] as CrmObject[]).filter((o) => o !== objectType);
	const description = displayFor(resource, 'associate', [
		{ displayName: 'Record ID', name: 'fromId', type: 'string', default: '={{ $json.id }}', required: true, description: `ID of the ${resource}` },
		{ displayName: 'Associate With', name: 'toObject', type: 'options', options: targets.map((o) => ({ name: o[0].toUpperCase() + o.slice(1), value: o })), default: targets[0] },
		{ displayName: 'Other Record ID', name: 'toId', type: 'string', default: '', required: true },
		dryRunField,
		correlationIdField,
	]);
	// API: https://developers.hubspot.com/docs/api-reference/crm-associations-v4/basic/put-crm-v4-objects-objectType-objectId-associations-default-toObjectType-toObjectId
	const operation: ItemOperation = {
		correlation: true,
		async execute({ index, correlationId }) {
			const fromId = String(this.getNodeParameter('fromId', index, '') ?? '').trim();
			const toObject = this.getNodeParameter('toObject', index, targets[0]) as CrmObject;
			const toId = String(this.getNodeParameter('toId', index, '') ?? '').trim();
			if (!/^\d+$/.test(fromId)) throw new InputError(`"${fromId}" is not a HubSpot record ID`, 'fromId', `Map "Record ID" to the ${resource}'s numeric ID (Upsert outputs it as id)`);
			if (!/^\d+$/.test(toId)) throw new InputError(`"${toId}" is not a HubSpot record ID`, 'toId', 'Map "Other Record ID" to the numeric ID of the record to link');
			if (!targets.includes(toObject)) throw new InputError(`A ${resource} cannot be associated with ${String(toObject)}`, 'toObject', `Pick one of ${targets.join(', ')}`);
			const request = { method: 'PUT' as const, path: associationPath(objectType, fromId, toObject, toId) };
			const row = { from: { objectType, id: fromId }, to: { objectType: toObject, id: toId } };
			if (this.getNodeParameter('dryRun', index, false) as boolean) return { ...row, status: 'dryRun', request };
			const { client } = await hubspotClient(this);
			const response = await client.request<{ results?: Array<{ associationSpec?: { associationTypeId?: number } }> }>({
				...request,
				headers: correlationId ? { 'X-Correlation-Id': correlationId } : undefined,
				// Setting the default association again leaves one association: safe to repeat.
				absoluteSet: true,
				signal: this.getExecutionCancelSignal?.(),
			});
			return { ...row, status: 'associated', associationTypeId: response.body?.results?.[0]?.associationSpec?.associationTypeId };
		},
	};
	return { description, operation };
}

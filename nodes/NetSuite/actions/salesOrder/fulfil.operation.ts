// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141395.html (record transform)
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CommerceError, isCommerceError } from '../../../shared/core/http/errors';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import {
	checkExternalId,
	fulfilmentBody,
	fulfilmentFromRecord,
	idFromLocation,
	orderStatusFields,
	SHIP_STATUSES,
} from '../../mappers/records';
import { sqlId } from '../../mappers/suiteql';
import { netSuiteDefinition, RECORD_PATH } from '../../transport';
import { locationHeader, stringParam } from '../common';

export const description: INodeProperties[] = displayFor('salesOrder', 'fulfil', [
	{
		displayName: 'Find Order By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'External ID', value: 'externalId' },
			{ name: 'Internal ID', value: 'id' },
		],
		default: 'externalId',
	},
	{
		displayName: 'Order',
		name: 'value',
		type: 'string',
		default: '={{ $json.orderKey }}',
		required: true,
		description: 'The sales order’s external ID (e.g. SHOP-1001) or internal ID',
	},
	{
		displayName: 'Fulfilment External ID',
		name: 'fulfilmentExternalId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. shipbob-shipment-700000002',
		description:
			'Your key for this shipment. The fulfilment is created once; sending the same key again reports the existing one instead of shipping twice.',
	},
	{
		displayName: 'Ship Status',
		name: 'shipStatus',
		type: 'options',
		options: [
			{ name: SHIP_STATUSES.B, value: 'B' },
			{ name: SHIP_STATUSES.A, value: 'A' },
			{ name: SHIP_STATUSES.C, value: 'C' },
		],
		default: 'C',
		description: 'Where the parcel is in Pick, Pack and Ship',
	},
	{
		displayName: 'Tracking Numbers',
		name: 'trackingNumbers',
		type: 'string',
		default: '={{ $json.trackingNumber }}',
		description: 'Comma-separated; each becomes a package on the fulfilment',
	},
	{
		displayName: 'Carrier',
		name: 'carrier',
		type: 'string',
		default: '={{ $json.carrier }}',
		description: 'Written as the package description',
	},
	{
		displayName: 'Memo',
		name: 'memo',
		type: 'string',
		default: '',
		description: 'Left empty, the memo carries the correlation ID',
	},
	dryRunField,
	correlationIdField,
]);

/**
 * Creates the item fulfilment for every line of a sales order still to ship (NetSuite's
 * transform), which moves the order to Pending Billing (or Partially Fulfilled), and reports the
 * order's new status. The fulfilment's external id is looked up first, so running it again for
 * the same shipment creates nothing and reports "alreadyFulfilled".
 */
export const operation: ItemOperation = {
	correlation: true,
	async execute({ index, correlationId }) {
		const value = stringParam(this, 'value', index);
		if (!value)
			throw new InputError(
				'"Order" is empty',
				'value',
				'Map the sales order’s external ID (e.g. SHOP-1001) from the input item.',
			);
		const key =
			this.getNodeParameter('findBy', index, 'externalId') === 'id'
				? sqlId(value, 'value')
				: `eid:${checkExternalId(value, 'value')}`;
		const body = fulfilmentBody({
			externalId: stringParam(this, 'fulfilmentExternalId', index),
			shipStatus: stringParam(this, 'shipStatus', index),
			trackingNumbers: this.getNodeParameter('trackingNumbers', index, '') as unknown,
			carrier: stringParam(this, 'carrier', index),
			memo: stringParam(this, 'memo', index) || `Commerce Sync correlation ${correlationId}`,
		});
		const headers = { 'X-Correlation-Id': String(correlationId) };
		const { client } = await systemClient(this, netSuiteDefinition);
		const signal = this.getExecutionCancelSignal?.();
		const findFulfilment = async (externalId: string): Promise<IDataObject | undefined> => {
			try {
				const response = await client.request<IDataObject>({
					method: 'GET',
					path: `${RECORD_PATH}/itemFulfillment/${encodeURIComponent(`eid:${externalId}`)}`,
					query: { expandSubResources: 'true' },
					signal,
				});
				return response.body;
			} catch (error) {
				if (isCommerceError(error) && error.kind === 'notFound') return undefined;
				throw error;
			}
		};
		const readOrder = async () =>
			(
				await client.request<IDataObject>({
					method: 'GET',
					path: `${RECORD_PATH}/salesOrder/${encodeURIComponent(key)}`,
					signal,
				})
			).body;
		const order = await readOrder();
		const orderId = String(order.id);
		const existing = await findFulfilment(body.externalId as string);
		if (existing) return alreadyDone(existing, orderId, order, body.externalId as string);
		const path = `${RECORD_PATH}/salesOrder/${encodeURIComponent(orderId)}/!transform/itemFulfillment`;
		if (this.getNodeParameter('dryRun', index, false)) {
			return {
				dryRun: true,
				...orderStatusFields(order),
				request: { method: 'POST', path, headers, body },
			};
		}
		let id: string | undefined;
		try {
			// No idempotency key: the external id makes a resend fail rather than ship twice.
			const response = await client.request({ method: 'POST', path, body, headers });
			id = idFromLocation(locationHeader(response.headers));
		} catch (error) {
			// Another run created it between our lookup and our create: report that one.
			if (!isCommerceError(error) || error.code !== 'DUP_RCRD') throw error;
			const raced = await findFulfilment(body.externalId as string);
			if (!raced) throw error;
			return alreadyDone(raced, orderId, await readOrder(), body.externalId as string);
		}
		const packages = ((body.package as IDataObject | undefined)?.items ?? []) as IDataObject[];
		return {
			id,
			externalId: body.externalId,
			status: 'fulfilled',
			trackingNumbers: packages.map((p) => p.packageTrackingNumber),
			...orderStatusFields(await readOrder()),
		};
	},
};

function alreadyDone(
	record: IDataObject,
	orderId: string,
	order: IDataObject,
	externalId: string,
): IDataObject {
	const fulfilment = fulfilmentFromRecord(record);
	if (fulfilment.createdFromId !== undefined && fulfilment.createdFromId !== orderId) {
		throw new CommerceError({
			kind: 'conflict',
			system: 'netsuite',
			retryable: false,
			message: `The fulfilment external ID "${externalId}" already belongs to a fulfilment of another sales order (${String(fulfilment.createdFromId)})`,
			hint: 'Use a fulfilment key that is unique per shipment, e.g. the warehouse’s shipment ID',
		});
	}
	return {
		id: fulfilment.id,
		externalId,
		status: 'alreadyFulfilled',
		trackingNumbers: fulfilment.trackingNumbers ?? [],
		...orderStatusFields(order),
	};
}

import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { route } from '../shared/n8n/router';
import { operations, properties } from './actions';

/**
 * HubSpot CRM v3: contacts, companies and deals upserted by a unique property (100 per call,
 * each reported created or updated), searched, read and associated, paced by the plan's rolling
 * 10-second window and daily quota.
 */
export class HubSpotCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot CRM (Commerce Sync)',
		name: 'hubSpotCrm',
		icon: { light: 'file:hubSpot.svg', dark: 'file:hubSpot.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Upsert contacts, companies and deals from orders into HubSpot CRM, within its rate limits',
		defaults: { name: 'HubSpot CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hubSpotPrivateAppApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, operations);
	}
}

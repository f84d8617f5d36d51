/**
 * What n8n itself checks before it activates a workflow: required parameters that are shown
 * must have a value. Bug: "Clear History → Whole Scope" could not be activated, because
 * "Key Fields" was required there although clearing everything needs no key.
 */
import { NodeHelpers, type INode } from 'n8n-workflow';

import { Dedupe } from '../../../nodes/Dedupe/Dedupe.node';

const description = new Dedupe().description;

function issues(parameters: Record<string, unknown>) {
	const node: INode = {
		id: '1',
		name: 'Dedupe',
		type: 'n8n-nodes-commerce-sync.commerceSyncDedupe',
		typeVersion: 1,
		position: [0, 0],
		parameters: NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, { typeVersion: 1 }, description) ?? {},
	};
	return NodeHelpers.getNodeParametersIssues(description.properties, node, description);
}

describe('Dedupe parameters as n8n validates them', () => {
	it('lets "Clear History" of the whole scope activate without key fields', () => {
		expect(issues({ operation: 'clear', clearWhat: 'all' })).toBeNull();
	});

	it('still asks for key fields where a key is needed', () => {
		expect(issues({ operation: 'deduplicate', keySource: 'fields', keyFields: '' })?.parameters?.keyFields).toBeDefined();
		expect(issues({ operation: 'clear', clearWhat: 'items', keySource: 'fields', keyFields: '' })?.parameters?.keyFields).toBeDefined();
		expect(issues({ operation: 'deduplicate', keySource: 'fields', keyFields: 'orderId' })).toBeNull();
	});
});

/**
 * Execution counts from n8n's public API, paged without execution data (a promo run has
 * hundreds of executions; reading them with data would cost more than the run).
 */
import type { N8nInstance } from '../../e2e/harness/n8n';

export interface ExecutionSummary {
	id: string;
	status: string;
	mode?: string;
	startedAt?: string;
	stoppedAt?: string | null;
}

/** Every execution of a workflow (newest first), without data. */
export async function listExecutions(n8n: N8nInstance, workflowId: string): Promise<ExecutionSummary[]> {
	return await n8n.executions(workflowId, { includeData: false });
}

/** How many executions are in each status. */
export function countByStatus(executions: ExecutionSummary[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const e of executions) out[e.status] = (out[e.status] ?? 0) + 1;
	return out;
}

/** True when none of the executions is still queued or running. */
export function allSettled(executions: ExecutionSummary[]): boolean {
	return executions.every((e) => !['new', 'running', 'waiting'].includes(e.status));
}

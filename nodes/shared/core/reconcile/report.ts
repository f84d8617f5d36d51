import type { ExceptionKind, ReconcilePlan } from './types';

const MAX_ROWS = 500;

/** What each kind of exception means, in the words of the person who has to act on it. */
const KIND_TEXT: Record<ExceptionKind, string> = {
	badQuantity: 'A quantity is not a whole number, or is negative where it cannot be',
	badRule: 'A per-row rule (allocation, safety stock, tolerance, conflict policy) is not valid',
	badTimestamp: 'A snapshot or change time is not a date',
	missingChannel: 'A channel row does not say which channel it is',
	missingSku: 'A row has no SKU',
	missingLocation: 'A row has no location',
	duplicateRow: 'The same SKU and location appear twice; only the first row was used',
	unknownSkuInChannel: 'The source of truth has a SKU that no channel lists',
	unknownSkuInTruth: 'A channel lists a SKU the source of truth does not have',
	unknownLocation: 'A warehouse fills no channel location under the mapping',
	missingLocationMapping: 'A channel location has no mapping to warehouses',
	staleSnapshot: 'The stock was read too long ago to act on',
	changedAfterSnapshot: 'The channel changed after the stock snapshot (skipped by the conflict policy)',
	badBundle: 'A bundle definition cannot be used',
};

function esc(value: unknown): string {
	return String(value ?? '').replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
	);
}

const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;
const deltaCell = (n: number) => `<td class="n ${n < 0 ? 'down' : 'up'}">${signed(n)}</td>`;
const num = (n: number) => n.toLocaleString('en');

/**
 * A self-contained HTML drift report (no scripts, no external assets) that reads well in a
 * browser and in an e-mail: totals per channel, the SKUs and rows that drift most, exceptions
 * by kind, then the corrections and exceptions themselves, each list cut at a readable length
 * with the count of what was left out.
 */
export function renderDriftReport(plan: ReconcilePlan, options: { title?: string; generatedAt: Date }): string {
	const s = plan.summary;
	const title = esc(options.title ?? 'Inventory drift report');
	const channels = Object.keys(s.driftUnits).sort();
	const more = (total: number, shown: number, cols: number) =>
		total > shown ? `<tr><td colspan="${cols}" class="more">… and ${num(total - shown)} more</td></tr>` : '';
	const table = (head: string[], rows: string[], total: number) =>
		`<table><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.join('')}${more(total, rows.length, head.length)}</table>`;

	const cards = [
		`<div class="card ${s.adjustments ? 'warn' : 'ok'}"><b>${num(s.adjustments)}</b>to correct</div>`,
		`<div class="card ok"><b>${num(s.inSync)}</b>in sync</div>`,
		`<div class="card ${s.exceptions ? 'bad' : 'ok'}"><b>${num(s.exceptions)}</b>need a look</div>`,
		...channels.map(
			(c) =>
				`<div class="card ${s.oversellRisk[c] ? 'bad' : 'warn'}"><b>${num(s.driftUnits[c])}</b>units of drift on ${esc(c)}` +
				`<small>${num(s.adjustmentsByChannel[c] ?? 0)} rows${s.oversellRisk[c] ? ` · ${num(s.oversellRisk[c])} show more than they should` : ''}</small></div>`,
		),
	];
	const worstSkus = s.worstSkus.map(
		(w) => `<tr><td>${esc(w.sku)}</td><td class="n">${num(w.driftUnits)}</td><td class="n">${num(w.adjustments)}</td></tr>`,
	);
	const worst = s.worst.map(
		(w) =>
			`<tr><td>${esc(w.channel)}</td><td>${esc(w.sku)}</td><td>${esc(w.locationId)}</td><td class="n">${w.current}</td><td class="n">${w.target}</td>${deltaCell(w.delta)}</tr>`,
	);
	const kinds = (Object.keys(s.exceptionsByKind) as ExceptionKind[]).sort().map(
		(k) => `<tr><td>${esc(KIND_TEXT[k] ?? k)}</td><td><code>${esc(k)}</code></td><td class="n">${num(s.exceptionsByKind[k] ?? 0)}</td></tr>`,
	);
	const adjustments = plan.adjustments.slice(0, MAX_ROWS).map(
		(a) =>
			`<tr><td>${esc(a.channel)}</td><td>${esc(a.sku)}</td><td>${esc(a.locationId)}</td><td class="n">${a.current}</td><td class="n">${a.target}</td>${deltaCell(a.delta)}<td>${esc(a.reason)}</td></tr>`,
	);
	const exceptions = plan.exceptions.slice(0, MAX_ROWS).map(
		(e) =>
			`<tr><td><code>${esc(e.kind)}</code></td><td>${esc(e.side)} row ${e.index}</td><td>${esc(e.channel ?? '')}</td><td>${esc(e.sku ?? '')}</td><td>${esc(e.message)}</td></tr>`,
	);

	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2937;margin:24px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.muted{color:#6b7280}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:130px}
.card b{display:block;font-size:20px}.card small{display:block;color:#6b7280}.warn b{color:#b45309}.bad b{color:#b91c1c}.ok b{color:#047857}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}.down{color:#b91c1c}.up{color:#047857}.more{color:#6b7280;font-style:italic}
code{font-size:12px;color:#374151}
</style></head><body>
<h1>${title}</h1>
<div class="muted">Generated ${esc(options.generatedAt.toISOString())} · ${num(s.truthRows)} truth rows · ${num(s.channelRows)} channel rows</div>
<div class="cards">
${cards.join('\n')}
</div>
<h2>SKUs with the most drift</h2>
${worstSkus.length === 0 ? '<p class="muted">None: every channel matches the source of truth.</p>' : table(['SKU', 'Units of drift', 'Rows to correct'], worstSkus, worstSkus.length)}
<h2>Largest single corrections</h2>
${worst.length === 0 ? '<p class="muted">None.</p>' : table(['Channel', 'SKU', 'Location', 'Shows', 'Should show', 'Change'], worst, worst.length)}
<h2>Exceptions by kind</h2>
${kinds.length === 0 ? '<p class="muted">No exceptions.</p>' : table(['What happened', 'Kind', 'Rows'], kinds, kinds.length)}
<h2>Corrections (${num(s.adjustments)})</h2>
${s.adjustments === 0 ? '<p class="muted">Nothing to correct.</p>' : table(['Channel', 'SKU', 'Location', 'Shows', 'Should show', 'Change', 'Why'], adjustments, plan.adjustments.length)}
<h2>Exceptions (${num(s.exceptions)})</h2>
${s.exceptions === 0 ? '<p class="muted">No exceptions.</p>' : table(['Kind', 'Row', 'Channel', 'SKU', 'What to do'], exceptions, plan.exceptions.length)}
</body></html>
`;
}

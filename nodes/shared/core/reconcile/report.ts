import type { ReconcilePlan } from './types';

const MAX_ROWS = 500;

function esc(value: unknown): string {
	return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * A self-contained HTML drift report (no scripts, no external assets) that reads well in a
 * browser and in an e-mail: totals per channel, the worst drifts, the adjustments and the
 * exceptions, each list cut at a readable length with the count of what was left out.
 */
export function renderDriftReport(plan: ReconcilePlan, options: { title?: string; generatedAt: Date }): string {
	const s = plan.summary;
	const channels = Object.keys(s.driftUnits).sort();
	const rows = (list: string[], total: number, cols: number) =>
		list.join('') + (total > list.length ? `<tr><td colspan="${cols}" class="more">… and ${total - list.length} more</td></tr>` : '');
	const adjustments = plan.adjustments.slice(0, MAX_ROWS).map(
		(a) => `<tr><td>${esc(a.channel)}</td><td>${esc(a.sku)}</td><td>${esc(a.locationId)}</td><td class="n">${a.current}</td><td class="n">${a.target}</td><td class="n ${a.delta < 0 ? 'down' : 'up'}">${a.delta > 0 ? '+' : ''}${a.delta}</td><td>${esc(a.reason)}</td></tr>`,
	);
	const exceptions = plan.exceptions.slice(0, MAX_ROWS).map(
		(e) => `<tr><td>${esc(e.kind)}</td><td>${esc(e.side)} #${e.index}</td><td>${esc(e.channel ?? '')}</td><td>${esc(e.sku ?? '')}</td><td>${esc(e.message)}</td></tr>`,
	);
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(options.title ?? 'Inventory drift report')}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2937;margin:24px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.muted{color:#6b7280}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:130px}
.card b{display:block;font-size:20px}.warn b{color:#b45309}.bad b{color:#b91c1c}.ok b{color:#047857}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}.down{color:#b91c1c}.up{color:#047857}.more{color:#6b7280;font-style:italic}
</style></head><body>
<h1>${esc(options.title ?? 'Inventory drift report')}</h1>
<div class="muted">Generated ${esc(options.generatedAt.toISOString())} · ${s.truthRows} truth rows · ${s.channelRows} channel rows</div>
<div class="cards">
<div class="card ${s.adjustments ? 'warn' : 'ok'}"><b>${s.adjustments}</b>to correct</div>
<div class="card ok"><b>${s.inSync}</b>in sync</div>
<div class="card ${s.exceptions ? 'bad' : 'ok'}"><b>${s.exceptions}</b>need a look</div>
${channels.map((c) => `<div class="card ${s.oversellRisk[c] ? 'bad' : 'warn'}"><b>${s.driftUnits[c]}</b>units of drift on ${esc(c)}${s.oversellRisk[c] ? ` · ${s.oversellRisk[c]} oversell risks` : ''}</div>`).join('\n')}
</div>
<h2>Largest drifts</h2>
${s.worst.length === 0 ? '<p class="muted">None: every channel matches the source of truth.</p>' : `<table><tr><th>Channel</th><th>SKU</th><th>Location</th><th>Shows</th><th>Should show</th><th>Change</th></tr>${s.worst.map((w) => `<tr><td>${esc(w.channel)}</td><td>${esc(w.sku)}</td><td>${esc(w.locationId)}</td><td class="n">${w.current}</td><td class="n">${w.target}</td><td class="n ${w.delta < 0 ? 'down' : 'up'}">${w.delta > 0 ? '+' : ''}${w.delta}</td></tr>`).join('')}</table>`}
<h2>Corrections (${s.adjustments})</h2>
${s.adjustments === 0 ? '<p class="muted">Nothing to correct.</p>' : `<table><tr><th>Channel</th><th>SKU</th><th>Location</th><th>Shows</th><th>Should show</th><th>Change</th><th>Why</th></tr>${rows(adjustments, plan.adjustments.length, 7)}</table>`}
<h2>Exceptions (${s.exceptions})</h2>
${s.exceptions === 0 ? '<p class="muted">No exceptions.</p>' : `<table><tr><th>Kind</th><th>Row</th><th>Channel</th><th>SKU</th><th>What to do</th></tr>${rows(exceptions, plan.exceptions.length, 5)}</table>`}
</body></html>
`;
}

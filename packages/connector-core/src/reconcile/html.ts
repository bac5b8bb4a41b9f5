import { formatMoney } from '../money.js';
import type { ReconciliationReport } from './reconcile.js';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function chart(report: ReconciliationReport): string {
  // one pair of bars per day (all accounts, first currency): platform vs ERP
  const currency = report.totals[0]?.currency ?? 'USD';
  const days = new Map<string, { platform: number; erp: number }>();
  for (const r of report.rows) {
    if (r.currency !== currency) continue;
    const d = days.get(r.date) ?? { platform: 0, erp: 0 };
    d.platform += r.platform;
    d.erp += r.erp;
    days.set(r.date, d);
  }
  const entries = [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '<p>No activity in this range.</p>';
  const max = Math.max(1, ...entries.flatMap(([, v]) => [Math.abs(v.platform), Math.abs(v.erp)]));
  const barW = 14;
  const gap = 10;
  const h = 180;
  // wide enough for the bars and for the whole legend below them
  const left = 90; // room for the axis label in major units
  const legendWidth = 420;
  const width = Math.max(left + entries.length * (2 * barW + gap) + 10, legendWidth);
  const bars = entries
    .map(([date, v], i) => {
      const x = left + i * (2 * barW + gap);
      const ph = (Math.abs(v.platform) / max) * (h - 20);
      const eh = (Math.abs(v.erp) / max) * (h - 20);
      const diff = v.platform !== v.erp;
      return `<g><title>${esc(date)}: platform ${esc(formatMoney(v.platform, currency))} / ERP ${esc(formatMoney(v.erp, currency))}</title>
<rect x="${x}" y="${h - ph}" width="${barW}" height="${ph}" fill="#4f46e5"/>
<rect x="${x + barW}" y="${h - eh}" width="${barW}" height="${eh}" fill="${diff ? '#dc2626' : '#16a34a'}"/>
<text x="${x + barW}" y="${h + 14}" font-size="9" text-anchor="middle">${esc(date.slice(5))}</text></g>`;
    })
    .join('\n');
  return `<svg role="img" aria-label="Platform versus ERP totals per day" width="${width}" height="${h + 40}" viewBox="0 0 ${width} ${h + 40}">
<line x1="${left - 5}" y1="${h}" x2="${width}" y2="${h}" stroke="#999"/>
<text x="0" y="12" font-size="10">${esc(formatMoney(max, currency))}</text><text x="0" y="${h}" font-size="10">0</text>
${bars}
<g font-size="10"><rect x="50" y="${h + 24}" width="10" height="10" fill="#4f46e5"/><text x="64" y="${h + 33}">platform</text>
<rect x="130" y="${h + 24}" width="10" height="10" fill="#16a34a"/><text x="144" y="${h + 33}">ERP (matches)</text>
<rect x="240" y="${h + 24}" width="10" height="10" fill="#dc2626"/><text x="254" y="${h + 33}">ERP (differs)</text></g>
</svg>`;
}

/**
 * Renders a reconciliation report as a standalone HTML page with a per-day chart, the day × account
 * table and every issue with its reason.
 *
 * @example
 * await writeFile('reconciliation.html', renderReconciliationHtml(report));
 */
export function renderReconciliationHtml(report: ReconciliationReport): string {
  const money = (minor: number, c: string) => esc(formatMoney(minor, c));
  const totals = report.totals
    .map(
      (t) =>
        `<tr><td>${esc(t.currency)}</td><td>${t.platformCount}</td><td class="n">${money(t.platform, t.currency)}</td><td>${t.erpCount}</td><td class="n">${money(t.erp, t.currency)}</td><td class="n ${t.difference ? 'bad' : ''}">${money(t.difference, t.currency)}</td></tr>`,
    )
    .join('');
  const rows = report.rows
    .map(
      (r) =>
        `<tr class="${r.difference ? 'bad' : ''}"><td>${esc(r.date)}</td><td>${esc(r.account)}</td><td class="n">${money(r.platform, r.currency)}</td><td class="n">${money(r.erp, r.currency)}</td><td class="n">${money(r.difference, r.currency)}</td></tr>`,
    )
    .join('');
  const issues = report.issues.length
    ? `<table><thead><tr><th>Transaction</th><th>Issue</th><th>Why</th></tr></thead><tbody>${report.issues
        .map(
          (i) =>
            `<tr><td><code>${esc(i.externalRef)}</code></td><td>${esc(i.kind.replaceAll('_', ' '))}</td><td>${esc(i.reason)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="ok">No differences: every platform transaction is in the ERP exactly once, with the same amount, account and date.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reconciliation ${esc(report.range.from)} – ${esc(report.range.to)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}.n{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b91c1c}.ok{color:#15803d}</style>
</head><body>
<h1>Platform ↔ ${esc(report.erp)} reconciliation</h1>
<p>${esc(report.range.from)} to ${esc(report.range.to)} · generated ${esc(report.generatedAt)} · <strong class="${report.matched ? 'ok' : 'bad'}">${report.matched ? 'matched' : `${report.issues.length} issue(s)`}</strong></p>
<h2>Totals</h2>
<table><thead><tr><th>Currency</th><th>Platform #</th><th>Platform</th><th>ERP #</th><th>ERP</th><th>Difference</th></tr></thead><tbody>${totals}</tbody></table>
<h2>Per day</h2>
${chart(report)}
<h2>Issues</h2>
${issues}
<h2>By day and account</h2>
<table><thead><tr><th>Date</th><th>Account</th><th>Platform</th><th>ERP</th><th>Difference</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>
`;
}

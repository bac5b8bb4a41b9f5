/**
 * The budget part of `npm run demo`: a department budget shared by two cards declines the purchase
 * that would take it over its limit, names what is left, and alerts at its threshold; then the spend
 * report shows the month by department.
 */
import type { apiClient } from './seed';

// biome-ignore lint/suspicious/noExplicitAny: the demo reads API responses loosely; the tests check them against the spec.
type Json = Record<string, any>;

const money = (minor: number, currency = 'usd') =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(minor / 100);

/** Runs the budget story against the demo platform and returns the lines to print. */
export async function budgetStory(
  call: ReturnType<typeof apiClient>,
  marketingHolder: string,
): Promise<string[]> {
  const budget = await call<Json>('POST', '/budgets', {
    name: 'Marketing offsite',
    selector: { department: 'marketing', project: 'offsite-2026' },
    currency: 'usd',
    limits: [{ amount: 80_000, interval: 'monthly' }],
    alert_threshold_percent: 80,
  });
  const cards: Json[] = [];
  for (const purpose of ['Venue', 'Travel']) {
    cards.push(
      await call<Json>('POST', '/cards', {
        cardholder: marketingHolder,
        type: 'virtual',
        currency: 'usd',
        dimensions: { project: 'offsite-2026' },
        metadata: { purpose },
      }),
    );
  }
  const lines = [
    `\n Budget '${budget.name}' (${budget.id}): ${money(80_000)} a month for every card with department=marketing, project=offsite-2026`,
  ];
  const purchases: [number, string, string, number][] = [
    [0, 'Seaside Hotel', '7011', 45_000],
    [1, 'Deutsche Bahn', '4112', 25_000],
    [0, 'Seaside Hotel', '7011', 20_000],
    [1, 'Deutsche Bahn', '4112', 10_000],
  ];
  for (const [i, name, mcc, amount] of purchases) {
    const card = cards[i] as Json;
    const auth = await call<Json>('POST', '/test_helpers/authorizations', {
      card: card.id,
      amount,
      merchant_data: { name, mcc, country: 'DE' },
    });
    lines.push(
      `   ${(card.metadata.purpose as string).padEnd(6)} card  ${name.padEnd(14)} ${money(amount).padStart(9)}  ${auth.approved ? 'approved' : `DECLINED ${auth.decision.reason}`}`,
    );
    if (!auth.approved)
      lines.push(`${''.padEnd(36)}control ${auth.decision.control}: ${auth.decision.message}`);
  }
  const after = await call<Json>('GET', `/budgets/${budget.id}`);
  const u = after.usage[0];
  lines.push(
    `   usage: spent ${money(u.spent)}, held ${money(u.held)}, remaining ${money(u.remaining)} — threshold_reached ${u.threshold_reached}, exceeded ${u.exceeded}`,
  );
  const events = await call<Json>('GET', '/events?limit=100');
  const alerts = (events.data as Json[])
    .filter((e) => e.type.startsWith('budget.') && e.data.object.id === budget.id)
    .map((e) => e.type)
    .reverse();
  lines.push(`   events: ${alerts.join(', ')}`);

  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
  const report = await call<Json>(
    'GET',
    `/reports/spend?group_by=dimension&dimension=department&interval=month&created_gte=${from}&created_lt=${to}`,
  );
  lines.push(
    `\n Spend report this month by department (GET /reports/spend, in ${report.reporting_currency.toUpperCase()}):`,
  );
  const byDept = new Map<string, number>();
  for (const r of report.rows as Json[])
    byDept.set(r.group ?? '(none)', (byDept.get(r.group ?? '(none)') ?? 0) + r.reporting_amount);
  for (const [dept, amount] of byDept)
    lines.push(`   ${dept.padEnd(30)} ${money(amount, report.reporting_currency).padStart(14)}`);
  return lines;
}

import type { Authorization, Budget, Card, ListPage, SpendReport, Transaction } from '../src/types.js';

export function card(overrides: Partial<Card> = {}): Card {
  return {
    id: 'ic_1',
    object: 'card',
    status: 'active',
    brand: 'Visa',
    last4: '4242',
    exp_month: 8,
    exp_year: 2029,
    currency: 'usd',
    ...overrides,
  };
}

export function authorization(overrides: Partial<Authorization> = {}): Authorization {
  return {
    id: 'iauth_1',
    object: 'authorization',
    amount: 1250,
    currency: 'usd',
    merchant_data: { name: 'Google Ads', mcc: '7311', country: 'US' },
    status: 'closed',
    approved: true,
    decision: { reason: 'approved', message: 'Approved.', control: null },
    created_at: '2026-03-01T10:00:00Z',
    ...overrides,
  };
}

export function transaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: 'itxn_1',
    object: 'transaction',
    type: 'capture',
    amount: 1250,
    currency: 'usd',
    merchant_data: { name: 'Google Ads', mcc: '7311', country: 'US' },
    created_at: '2026-03-01T10:05:00Z',
    ...overrides,
  };
}

/** An in-memory cursor-paginated list, newest first, like the API's. */
export function pagedList<T extends { id: string }>(items: T[]) {
  const calls: Array<{ cursor?: string; limit: number }> = [];
  const loadPage = async ({ cursor, limit }: { cursor?: string; limit: number }): Promise<ListPage<T>> => {
    calls.push({ cursor, limit });
    const start = cursor ? items.findIndex((item) => item.id === cursor) + 1 : 0;
    const data = items.slice(start, start + limit);
    const hasMore = start + limit < items.length;
    return { data, has_more: hasMore, next_cursor: hasMore ? (data.at(-1)?.id ?? null) : null };
  };
  return { loadPage, calls };
}

/** A budget as the API returns it (GET /budgets/{budget}). */
export function budget(
  overrides: Partial<Budget> = {},
  usage: Partial<Budget['usage'][number]> = {},
): Budget {
  return {
    id: 'ibgt_1',
    object: 'budget',
    name: 'Marketing',
    status: 'active',
    selector: { department: 'marketing' },
    currency: 'usd',
    limits: [{ amount: 2_000_000, interval: 'monthly' }],
    alert_threshold_percent: 80,
    usage: [
      {
        limit: 0,
        interval: 'monthly',
        amount: 2_000_000,
        window_start: '2026-11-01T00:00:00Z',
        window_end: '2026-12-01T00:00:00Z',
        spent: 1_450_000,
        held: 50_000,
        remaining: 500_000,
        threshold_reached: false,
        exceeded: false,
        ...usage,
      },
    ],
    metadata: {},
    created_at: '2026-11-01T08:00:00Z',
    ...overrides,
  };
}

/** A monthly spend report by department over three months, in USD and EUR cards. */
export function spendReport(overrides: Partial<SpendReport> = {}): SpendReport {
  const row = (
    period: string,
    group: string | null,
    currency: string,
    amount: number,
    reporting = amount,
  ) => ({
    period_start: period,
    group,
    other: false,
    label: group,
    currency,
    amount,
    capture_count: 1,
    refund_count: 0,
    reporting_amount: reporting,
  });
  return {
    object: 'spend_report',
    group_by: 'dimension',
    dimension: 'department',
    interval: 'month',
    created_gte: '2026-09-01T00:00:00Z',
    created_lt: '2026-12-01T00:00:00Z',
    reporting_currency: 'usd',
    rows: [
      row('2026-09-01T00:00:00Z', 'engineering', 'usd', 812_000),
      row('2026-09-01T00:00:00Z', 'marketing', 'usd', 1_530_000),
      row('2026-11-01T00:00:00Z', 'marketing', 'eur', 200_000, 216_000),
      row('2026-11-01T00:00:00Z', null, 'usd', 5_000),
    ],
    totals: [],
    reporting_total: 812_000 + 1_530_000 + 216_000 + 5_000,
    limit: 10,
    total_groups: 3,
    other_groups: 0,
    ...overrides,
  };
}

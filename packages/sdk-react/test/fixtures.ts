import type { Authorization, Card, ListPage, Transaction } from '../src/types.js';

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

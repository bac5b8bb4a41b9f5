import { expect } from 'vitest';
import type { Client } from './helpers';

/**
 * Fires `count` authorizations of `amount` in parallel (round-robin over `clients`) against one card
 * and returns the approved sum and the decline reasons seen.
 */
export async function burst(clients: Client[], card: string, count: number, amount: number) {
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      (clients[i % clients.length] as Client).post('/test_helpers/authorizations', {
        card,
        amount,
        merchant_data: { name: `Merchant ${i % 7}`, mcc: '5734', country: 'US' },
      }),
    ),
  );
  for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
  const approved = results.filter((r) => r.body.approved);
  const reasons = new Set(
    results.filter((r) => !r.body.approved).map((r) => r.body.decision.reason as string),
  );
  return {
    approvedSum: approved.reduce((s, r) => s + (r.body.amount as number), 0),
    approvedCount: approved.length,
    reasons,
  };
}

/** Sum of the ledger (all pages) for a currency; must equal the available balance. */
export async function ledgerSum(api: Client, currency: string): Promise<number> {
  let sum = 0;
  let cursor: string | null = null;
  do {
    const page: { body: { data: Array<{ amount: number }>; next_cursor: string | null } } = await api.get(
      `/ledger_entries?currency=${currency}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    for (const e of page.body.data) sum += e.amount;
    cursor = page.body.next_cursor;
  } while (cursor);
  return sum;
}

export async function available(api: Client, currency: string): Promise<number> {
  const b = (await api.get('/balance')).body as { available: Array<{ currency: string; amount: number }> };
  return b.available.find((x) => x.currency === currency)?.amount ?? 0;
}

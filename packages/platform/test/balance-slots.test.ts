import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, ledgerSum } from './concurrency-shared';
import { authorize, type Client, seedCard, start } from './helpers';

// The balance is spread over several rows (migrations 0006 and 0017); these check that this is invisible:
// a hold larger than any one slot's share is still approved, only the exact sum declines, and
// capture/release settle on the slot that carries the hold.

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start());
});
afterAll(async () => {
  await platform.close();
});

describe('balance slots', () => {
  it('approve up to the exact sum of the slots, then decline insufficient_funds', async () => {
    await api.post('/topups', { amount: 10_001, currency: 'sek' });
    const { card } = await seedCard(api, { currency: 'sek' }, {}, 0);
    // 10,001 over 32 slots is 312 or 313 each: 9,000 needs funds moved from the other slots.
    const big = await authorize(api, card.id, 9_000);
    expect(big.body.approved).toBe(true);
    expect(await available(api, 'sek')).toBe(1_001);
    const over = await authorize(api, card.id, 1_002);
    expect(over.body.decision.reason).toBe('insufficient_funds');
    const exact = await authorize(api, card.id, 1_001);
    expect(exact.body.approved).toBe(true);
    expect(await available(api, 'sek')).toBe(0);
    const balance = (await api.get('/balance')).body;
    expect(balance.pending.find((p: { currency: string }) => p.currency === 'sek').amount).toBe(10_001);

    // Capture part of one hold, release the other: each settles on its own slot.
    expect(
      (await api.post(`/test_helpers/authorizations/${big.body.id}/capture`, { amount: 8_000 })).status,
    ).toBe(200);
    expect((await api.post(`/test_helpers/authorizations/${exact.body.id}/reverse`, {})).status).toBe(200);
    expect(await available(api, 'sek')).toBe(10_001 - 8_000);
    const after = (await api.get('/balance')).body;
    expect(after.pending.find((p: { currency: string }) => p.currency === 'sek').amount).toBe(0);
    expect(await ledgerSum(api, 'sek')).toBe(2_001);

    // The newest entry's balance_after is the balance (nothing else runs concurrently here).
    const newest = (await api.get('/ledger_entries?currency=sek&limit=1')).body.data[0];
    expect(newest.balance_after).toBe(2_001);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burst } from './concurrency-shared';
import { type Client, seedCard, start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start());
});
afterAll(async () => {
  await platform.close();
});

describe('concurrency on PGlite', () => {
  it('200 parallel authorizations on one card never exceed its limit', async () => {
    const { card } = await seedCard(
      api,
      { spending_controls: { spending_limits: [{ amount: 10_000, interval: 'all_time' }] } },
      {},
      10_000_000,
    );
    const { approvedSum, approvedCount, reasons } = await burst([api], card.id, 200, 100);
    expect(approvedSum).toBe(10_000);
    expect(approvedCount).toBe(100);
    expect([...reasons]).toEqual(['spending_limit']);
  });
});

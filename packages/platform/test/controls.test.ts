import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorize, type Client, type Json, seedCard, start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start());
  await api.post('/topups', { amount: 100_000_000, currency: 'usd' });
});
afterAll(async () => {
  await platform.close();
});

const declined = (res: { body: Json }, reason: string, control: string, message: string) => {
  expect(res.body).toMatchObject({
    approved: false,
    status: 'closed',
    pending_amount: 0,
    decision: { reason, control },
  });
  expect(res.body.decision.message).toBe(message);
};

describe('each spending control and decline reason', () => {
  it('spending_limit: per_authorization and interval limits, card before cardholder', async () => {
    const { card } = await seedCard(
      api,
      {
        spending_controls: {
          spending_limits: [
            { amount: 5_000, interval: 'per_authorization' },
            { amount: 8_000, interval: 'daily' },
          ],
        },
      },
      { spending_controls: { spending_limits: [{ amount: 1_000_000, interval: 'monthly' }] } },
      0,
    );
    declined(
      await authorize(api, card.id, 5_001),
      'spending_limit',
      'card.spending_limits[0]',
      "Amount 50.01 USD exceeds the card's per-authorization limit of 50.00 USD.",
    );
    expect((await authorize(api, card.id, 5_000)).body.approved).toBe(true);
    declined(
      await authorize(api, card.id, 3_001),
      'spending_limit',
      'card.spending_limits[1]',
      "Amount 30.01 USD would bring the card's daily spend to 80.01 USD, over its limit of 80.00 USD.",
    );
    expect((await authorize(api, card.id, 3_000)).body.approved).toBe(true);
  });

  it('spending_limit on the cardholder applies across cards; reversals restore it', async () => {
    const { cardholder, card } = await seedCard(
      api,
      {},
      { spending_controls: { spending_limits: [{ amount: 10_000, interval: 'all_time' }] } },
      0,
    );
    const second = (await api.post('/cards', { cardholder: cardholder.id, type: 'virtual', currency: 'usd' }))
      .body;
    const a = await authorize(api, card.id, 7_000);
    expect(a.body.approved).toBe(true);
    declined(
      await authorize(api, second.id, 3_001),
      'spending_limit',
      'cardholder.spending_limits[0]',
      "Amount 30.01 USD would bring the cardholder's all_time spend to 100.01 USD, over its limit of 100.00 USD.",
    );
    await api.post(`/test_helpers/authorizations/${a.body.id}/reverse`, { amount: 2_000 });
    expect((await authorize(api, second.id, 5_000)).body.approved).toBe(true);
  });

  it('spending_limit with categories only counts and applies to those categories', async () => {
    const { card } = await seedCard(
      api,
      {
        spending_controls: {
          spending_limits: [{ amount: 1_000, interval: 'monthly', categories: ['restaurants'] }],
        },
      },
      {},
      0,
    );
    expect((await authorize(api, card.id, 50_000, { mcc: '5734' })).body.approved).toBe(true);
    expect((await authorize(api, card.id, 1_000, { mcc: '5812', name: 'Diner' })).body.approved).toBe(true);
    declined(
      await authorize(api, card.id, 1, { mcc: '5812', name: 'Diner' }),
      'spending_limit',
      'card.spending_limits[0]',
      "Amount 0.01 USD would bring the card's monthly spend to 10.01 USD, over its limit of 10.00 USD.",
    );
  });

  it('category_blocked: allowed and blocked categories; blocked wins', async () => {
    const { card } = await seedCard(
      api,
      {
        spending_controls: { allowed_categories: ['software', 'gambling'], blocked_categories: ['gambling'] },
      },
      { spending_controls: { blocked_categories: ['software'] } },
      0,
    );
    declined(
      await authorize(api, card.id, 100, { mcc: '7995', name: 'Casino' }),
      'category_blocked',
      'card.blocked_categories',
      'Merchant category gambling (MCC 7995) is blocked for this card.',
    );
    declined(
      await authorize(api, card.id, 100, { mcc: '5812', name: 'Diner' }),
      'category_blocked',
      'card.allowed_categories',
      "Merchant category restaurants is not in the card's allowed categories.",
    );
    declined(
      await authorize(api, card.id, 100, { mcc: '5734' }),
      'category_blocked',
      'cardholder.blocked_categories',
      'Merchant category software (MCC 5734) is blocked for this cardholder.',
    );
    const auth = await authorize(api, card.id, 100, { mcc: '7995', name: 'Casino' });
    expect(auth.body.merchant_data.category).toBe('gambling');
  });

  it('category other matches MCCs no group lists', async () => {
    const { card } = await seedCard(api, { spending_controls: { blocked_categories: ['other'] } }, {}, 0);
    declined(
      await authorize(api, card.id, 100, { mcc: '3001', name: 'Airline X' }),
      'category_blocked',
      'card.blocked_categories',
      'Merchant category other (MCC 3001) is blocked for this card.',
    );
    expect((await authorize(api, card.id, 100, { mcc: '5734' })).body.approved).toBe(true);
  });

  it('country_blocked: allowed and blocked merchant countries', async () => {
    const { card } = await seedCard(
      api,
      { spending_controls: { allowed_merchant_countries: ['DE', 'FR'] } },
      { spending_controls: { blocked_merchant_countries: ['FR'] } },
      0,
    );
    declined(
      await authorize(api, card.id, 100, { country: 'US' }),
      'country_blocked',
      'card.allowed_merchant_countries',
      "Merchant country US is not in the card's allowed countries.",
    );
    declined(
      await authorize(api, card.id, 100, { country: 'FR' }),
      'country_blocked',
      'cardholder.blocked_merchant_countries',
      'Merchant country FR is blocked for this cardholder.',
    );
    expect((await authorize(api, card.id, 100, { country: 'DE' })).body.approved).toBe(true);
  });

  it('velocity_limit counts approved authorizations in the window; declines do not count', async () => {
    const { card } = await seedCard(
      api,
      {
        spending_controls: {
          velocity: { max_authorizations: 2, window_seconds: 3600 },
          blocked_categories: ['gambling'],
        },
      },
      {},
      0,
    );
    expect((await authorize(api, card.id, 100)).body.approved).toBe(true);
    declined(
      await authorize(api, card.id, 100, { mcc: '7995', name: 'Casino' }),
      'category_blocked',
      'card.blocked_categories',
      'Merchant category gambling (MCC 7995) is blocked for this card.',
    );
    expect((await authorize(api, card.id, 100)).body.approved).toBe(true);
    declined(
      await authorize(api, card.id, 100),
      'velocity_limit',
      'card.velocity',
      'The card already has 2 approved authorizations in the last 3600 s (at most 2).',
    );
  });

  it('card_frozen for a frozen card and for an inactive cardholder', async () => {
    const { cardholder, card } = await seedCard(api, {}, {}, 0);
    await api.post(`/cards/${card.id}/freeze`);
    declined(await authorize(api, card.id, 100), 'card_frozen', 'card.status', 'The card is frozen.');
    await api.post(`/cards/${card.id}/unfreeze`);
    await api.patch(`/cardholders/${cardholder.id}`, { status: 'inactive' });
    declined(
      await authorize(api, card.id, 100),
      'card_frozen',
      'cardholder.status',
      'The cardholder is inactive.',
    );
  });

  it('card_canceled for a canceled card; pending authorizations can still be captured', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    const pending = await authorize(api, card.id, 500);
    await api.post(`/cards/${card.id}/cancel`);
    declined(await authorize(api, card.id, 100), 'card_canceled', 'card.status', 'The card is canceled.');
    expect((await api.post(`/test_helpers/authorizations/${pending.body.id}/capture`)).body.status).toBe(
      'closed',
    );
  });

  it('card_expired once expires_at passes, and the card is canceled as expired', async () => {
    // The platform's clock, moved forward instead of sleeping until expires_at.
    let offset = 0;
    const own = await start({ now: () => new Date(Date.now() + offset) });
    try {
      await own.api.post('/topups', { amount: 100_000, currency: 'usd' });
      const expiresAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
      const { card } = await seedCard(own.api, { expires_at: expiresAt }, {}, 0);
      offset += 2 * 60 * 60 * 1000;
      // The worker's next poll cancels cards whose expires_at has passed (by the platform's clock).
      await vi.waitFor(
        async () =>
          expect((await own.api.get(`/cards/${card.id}`)).body).toMatchObject({
            status: 'canceled',
            cancellation_reason: 'expired',
          }),
        { timeout: 10_000, interval: 50 },
      );
      declined(
        await authorize(own.api, card.id, 100),
        'card_expired',
        'card.expires_at',
        'The card expired and was canceled.',
      );
    } finally {
      await own.platform.close();
    }
  });

  it('card_expired at the exact expires_at instant, approved one millisecond before (the decision, not the sweep)', async () => {
    // A clock that stands still, and no maintenance sweep after start-up (it ran before the card
    // existed), so the decision itself meets the expiry rather than a card the sweep canceled.
    let clock = new Date();
    const own = await start({ now: () => clock, webhookPollIntervalMs: 3_600_000 });
    try {
      await own.api.post('/topups', { amount: 100_000, currency: 'usd' });
      const expiresAt = new Date(clock.getTime() + 60 * 60 * 1000);
      const { card } = await seedCard(own.api, { expires_at: expiresAt.toISOString() }, {}, 0);
      clock = new Date(expiresAt.getTime() - 1);
      expect((await authorize(own.api, card.id, 100)).body.approved).toBe(true);
      clock = expiresAt;
      const stored = (await own.api.get(`/cards/${card.id}`)).body;
      expect(stored.status).toBe('active');
      declined(
        await authorize(own.api, card.id, 100),
        'card_expired',
        'card.expires_at',
        `The card expired at ${stored.expires_at}.`,
      );
    } finally {
      await own.platform.close();
    }
  });

  it('single_use_consumed after the first use; the capture cancels the card', async () => {
    const { card } = await seedCard(api, { usage: 'single_use' }, {}, 0);
    const first = await authorize(api, card.id, 1_000);
    expect(first.body.approved).toBe(true);
    declined(
      await authorize(api, card.id, 100),
      'single_use_consumed',
      'card.usage',
      'The single-use card has already been used.',
    );
    await api.post(`/test_helpers/authorizations/${first.body.id}/capture`);
    expect((await api.get(`/cards/${card.id}`)).body).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'single_use_consumed',
    });
    declined(
      await authorize(api, card.id, 100),
      'single_use_consumed',
      'card.usage',
      'The single-use card has already been used.',
    );
  });

  it('merchant_locked locks to the first merchant', async () => {
    const { card } = await seedCard(api, { usage: 'merchant_locked' }, {}, 0);
    expect((await authorize(api, card.id, 100, { name: 'Figma' })).body.approved).toBe(true);
    const locked = (await api.get(`/cards/${card.id}`)).body.locked_merchant;
    expect(locked).toMatch(/^\d+$/);
    expect((await authorize(api, card.id, 100, { name: 'Figma' })).body.approved).toBe(true);
    declined(
      await authorize(api, card.id, 100, { name: 'Notion' }),
      'merchant_locked',
      'card.locked_merchant',
      'The card is locked to merchant 129144841854217; 198847589798085 is a different merchant.',
    );
  });

  it('insufficient_funds when the program balance in the card currency is short', async () => {
    await api.post('/topups', { amount: 1_000, currency: 'gbp' });
    const { card } = await seedCard(api, { currency: 'gbp' }, {}, 0);
    expect((await authorize(api, card.id, 800, { country: 'GB' })).body.approved).toBe(true);
    declined(
      await authorize(api, card.id, 201, { country: 'GB' }),
      'insufficient_funds',
      'program.balance',
      "The program balance (2.00 GBP available) cannot cover 2.01 GBP; top up the program balance in the card's currency (POST /topups), then retry.",
    );
  });

  it('converts the merchant currency at the sandbox rate', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    const res = await authorize(api, card.id, 10_000, { country: 'DE' }, { currency: 'eur' });
    expect(res.body).toMatchObject({
      merchant_amount: 10_000,
      merchant_currency: 'eur',
      currency: 'usd',
      amount: 10_800,
      exchange_rate: 1.08,
    });
    const jpy = await authorize(api, card.id, 1_500, { country: 'JP' }, { currency: 'jpy' });
    expect(jpy.body).toMatchObject({ merchant_currency: 'jpy', amount: 1_005 });
  });

  it('snapshots dimensions (card wins over cardholder) onto authorizations and transactions', async () => {
    const { card } = await seedCard(
      api,
      { dimensions: { project: 'apollo', department: 'research' } },
      { dimensions: { department: 'eng', cost_center: 'CC-1' } },
      0,
    );
    const auth = await authorize(api, card.id, 100);
    expect(auth.body.dimensions).toEqual({ department: 'research', project: 'apollo', cost_center: 'CC-1' });
  });
});

import { describe, expect, it } from 'vitest';
import { type CardState, type DecisionInput, evaluateControls, spendingWindowStart } from '../src/index';

const base = (over: Partial<DecisionInput> = {}, card: CardState = {}): DecisionInput => ({
  now: '2026-11-04T12:00:00Z',
  amount: 1_000,
  merchant: { mcc: '7311', country: 'US', network_id: 'm1' },
  card: { status: 'active', usage: 'reusable', exp_month: 11, exp_year: 2029, ...card },
  cardholder: { status: 'active' },
  balance_available: 1_000_000,
  ...over,
});

describe('evaluateControls (pure)', () => {
  it('approves with a null control', () => {
    expect(evaluateControls(base())).toEqual({
      approved: true,
      reason: 'approved',
      message: 'Approved.',
      control: null,
    });
  });

  it('orders card state checks: canceled, single use, expiry, frozen', () => {
    expect(evaluateControls(base({}, { status: 'canceled', cancellation_reason: 'expired' })).reason).toBe(
      'card_expired',
    );
    expect(
      evaluateControls(base({}, { status: 'canceled', cancellation_reason: 'single_use_consumed' })).reason,
    ).toBe('single_use_consumed');
    expect(evaluateControls(base({}, { status: 'canceled', cancellation_reason: 'lost' })).reason).toBe(
      'card_canceled',
    );
    expect(
      evaluateControls(base({}, { status: 'frozen', usage: 'single_use', single_use_consumed: true })).reason,
    ).toBe('single_use_consumed');
    expect(evaluateControls(base({}, { status: 'frozen', exp_month: 10, exp_year: 2026 }))).toMatchObject({
      reason: 'card_expired',
      control: 'card.exp_year',
    });
    expect(evaluateControls(base({}, { status: 'frozen' })).control).toBe('card.status');
    expect(evaluateControls(base({ cardholder: { status: 'blocked' } })).control).toBe('cardholder.status');
  });

  it('checks merchant lock before spending controls', () => {
    const d = evaluateControls(
      base(
        {},
        {
          usage: 'merchant_locked',
          locked_merchant: 'other',
          spending_controls: { blocked_categories: ['advertising'] },
        },
      ),
    );
    expect(d).toMatchObject({ reason: 'merchant_locked', control: 'card.locked_merchant' });
  });

  it('runs every card control before any cardholder control', () => {
    const d = evaluateControls(
      base(
        {
          cardholder: { status: 'active', spending_controls: { blocked_categories: ['advertising'] } },
          usage: { card: { limits: [0], velocity_count: 0 } },
        },
        { spending_controls: { spending_limits: [{ amount: 10, interval: 'per_authorization' }] } },
      ),
    );
    expect(d).toMatchObject({ reason: 'spending_limit', control: 'card.spending_limits[0]' });
  });

  it('within a scope: categories, countries, velocity, then limits', () => {
    const controls = {
      blocked_merchant_countries: ['US'],
      velocity: { max_authorizations: 1, window_seconds: 60 },
      spending_limits: [{ amount: 1, interval: 'daily' as const }],
    };
    expect(
      evaluateControls(
        base({ usage: { card: { velocity_count: 1, limits: [5] } } }, { spending_controls: controls }),
      ).reason,
    ).toBe('country_blocked');
    expect(
      evaluateControls(
        base(
          { usage: { card: { velocity_count: 1, limits: [5] } } },
          { spending_controls: { ...controls, blocked_merchant_countries: [] } },
        ),
      ).reason,
    ).toBe('velocity_limit');
  });

  it('counts spend in the window: spent + amount may equal the limit, not exceed it', () => {
    const card = {
      spending_controls: { spending_limits: [{ amount: 5_000, interval: 'monthly' as const }] },
    };
    expect(evaluateControls(base({ usage: { card: { limits: [4_000] } } }, card)).approved).toBe(true);
    expect(evaluateControls(base({ usage: { card: { limits: [4_001] } } }, card)).reason).toBe(
      'spending_limit',
    );
  });

  it('declines insufficient funds last among platform checks', () => {
    expect(evaluateControls(base({ balance_available: 999 }))).toMatchObject({
      reason: 'insufficient_funds',
      control: 'program.balance',
    });
  });

  it('computes UTC windows (weekly from Monday)', () => {
    const now = new Date('2026-11-04T12:00:00Z'); // a Wednesday
    expect(spendingWindowStart('daily', now)?.toISOString()).toBe('2026-11-04T00:00:00.000Z');
    expect(spendingWindowStart('weekly', now)?.toISOString()).toBe('2026-11-02T00:00:00.000Z');
    expect(spendingWindowStart('monthly', now)?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(spendingWindowStart('yearly', now)?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(spendingWindowStart('all_time', now)?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(spendingWindowStart('per_authorization', now)).toBeNull();
    // a week runs Monday 00:00 to Sunday 24:00
    expect(spendingWindowStart('weekly', new Date('2026-11-08T23:59:59Z'))?.toISOString()).toBe(
      '2026-11-02T00:00:00.000Z',
    );
    expect(spendingWindowStart('weekly', new Date('2026-11-09T00:00:00Z'))?.toISOString()).toBe(
      '2026-11-09T00:00:00.000Z',
    );
  });
});

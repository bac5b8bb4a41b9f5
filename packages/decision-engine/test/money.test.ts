import { describe, expect, it } from 'vitest';
import { evaluateControls, formatAmount } from '../src/index';

describe('formatAmount: minor units as a person reads them', () => {
  it("uses the currency's own decimal digits, '.', no grouping and the ISO code", () => {
    expect(formatAmount(4000, 'usd')).toBe('40.00 USD');
    expect(formatAmount(1_000_000, 'EUR')).toBe('10000.00 EUR');
    expect(formatAmount(5, 'usd')).toBe('0.05 USD');
    expect(formatAmount(0, 'gbp')).toBe('0.00 GBP');
    expect(formatAmount(4000, 'jpy')).toBe('4000 JPY');
    expect(formatAmount(4283, 'bhd')).toBe('4.283 BHD');
    expect(formatAmount(-250, 'usd')).toBe('-2.50 USD');
  });

  it('says the amount is in minor units when it cannot know the digits', () => {
    expect(formatAmount(4000, undefined)).toBe('4000 (minor units)');
    expect(formatAmount(4000, 'not a code')).toBe('4000 (minor units of NOT A CODE)');
  });
});

describe('decline messages name amounts in the card currency', () => {
  const input = {
    now: '2026-11-04T12:00:00Z',
    merchant: { mcc: '7311', country: 'US' },
    card: { spending_controls: { spending_limits: [{ amount: 10_000, interval: 'monthly' as const }] } },
    usage: { card: { limits: [6_000] } },
  };

  it('a spending limit, in USD and in JPY', () => {
    expect(evaluateControls({ ...input, amount: 5_000, currency: 'usd' }).message).toBe(
      "Amount 50.00 USD would bring the card's monthly spend to 110.00 USD, over its limit of 100.00 USD.",
    );
    expect(evaluateControls({ ...input, amount: 5_000, currency: 'jpy' }).message).toBe(
      "Amount 5000 JPY would bring the card's monthly spend to 11000 JPY, over its limit of 10000 JPY.",
    );
  });

  it('a budget, in its currency', () => {
    const budgets = [
      {
        id: 'ibgt_1',
        name: 'Marketing',
        currency: 'usd',
        limits: [{ amount: 10_000, interval: 'monthly' as const }],
        usage: { limits: [6_000] },
      },
    ];
    expect(evaluateControls({ ...input, card: {}, amount: 5_000, currency: 'usd', budgets }).message).toBe(
      "Budget 'Marketing' (ibgt_1) has 40.00 USD left of its monthly limit of 100.00 USD; 50.00 USD would exceed it.",
    );
  });

  it('the program balance', () => {
    expect(
      evaluateControls({ ...input, card: {}, amount: 201, currency: 'eur', balance_available: 200 }).message,
    ).toBe(
      "The program balance (2.00 EUR available) cannot cover 2.01 EUR; top up the program balance in the card's currency (POST /topups), then retry.",
    );
  });
});

import { describe, expect, it } from 'vitest';
import { currencyExponent, evaluateControls, formatAmount } from '../src/index';

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

  it('places the point by ISO 4217 minor units, also where Intl (CLDR) shows other digits', () => {
    // CLDR displays IDR, HUF and COP without decimals and IQD with none; their ISO minor units are 2, 2, 2, 3
    expect(formatAmount(4000, 'idr')).toBe('40.00 IDR');
    expect(formatAmount(4000, 'HUF')).toBe('40.00 HUF');
    expect(formatAmount(4283, 'iqd')).toBe('4.283 IQD');
    expect(formatAmount(12_345, 'clf')).toBe('1.2345 CLF');
    // a well-formed code the table does not list has 2 digits
    expect(formatAmount(4000, 'xyz')).toBe('40.00 XYZ');
  });

  it('pads amounts smaller than one major unit, with the sign first, for 0, 2 and 3 digits', () => {
    expect(formatAmount(-5, 'usd')).toBe('-0.05 USD');
    expect(formatAmount(-5, 'jpy')).toBe('-5 JPY');
    expect(formatAmount(5, 'bhd')).toBe('0.005 BHD');
    expect(formatAmount(-50, 'kwd')).toBe('-0.050 KWD');
    expect(formatAmount(1000, 'bhd')).toBe('1.000 BHD');
    expect(formatAmount(0, 'jpy')).toBe('0 JPY');
  });

  it('says the amount is in minor units when it cannot know the digits', () => {
    expect(formatAmount(4000, undefined)).toBe('4000 (minor units)');
    expect(formatAmount(4000, null)).toBe('4000 (minor units)');
    expect(formatAmount(4000, '')).toBe('4000 (minor units)');
    expect(formatAmount(4000, 'not a code')).toBe('4000 (minor units of NOT A CODE)');
    expect(formatAmount(4000, 'us')).toBe('4000 (minor units of US)');
    expect(formatAmount(4000, 'usdx')).toBe('4000 (minor units of USDX)');
    expect(formatAmount(4000, 'u$d')).toBe('4000 (minor units of U$D)');
  });

  it('keeps an amount that is not a safe integer in minor units, as given', () => {
    expect(formatAmount(12.5, 'usd')).toBe('12.5 (minor units of USD)');
    expect(formatAmount(2 ** 53, 'usd')).toBe('9007199254740992 (minor units of USD)');
    expect(formatAmount(Number.NaN, 'usd')).toBe('NaN (minor units of USD)');
  });
});

describe('currencyExponent: ISO 4217 minor-unit digits', () => {
  it('is 0, 2, 3 or 4 by the code, in any case', () => {
    expect(
      ['jpy', 'KRW', 'xaf', 'usd', 'EUR', 'idr', 'bhd', 'KWD', 'clf', 'UYW'].map(currencyExponent),
    ).toEqual([0, 0, 0, 2, 2, 2, 3, 3, 4, 4]);
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

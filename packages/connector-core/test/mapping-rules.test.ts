import { describe, expect, it } from 'vitest';
// the modules themselves, not ../src/index.js (whose zod schemas, engine and CLI Stryker would load
// again for every mapping mutant)
import { MappingError, mapTransaction, resolveAccount } from '../src/mapping/map.js';
import type { MappingConfig } from '../src/mapping/schema.js';
import type { PlatformTransaction } from '../src/transaction.js';
import { thrown } from './helpers.js';

// Every rule of mapping/map.ts, one behaviour per test, with exact expected values.
const config: MappingConfig = { liabilityAccount: 'Card', defaultAccount: 'Other', rules: [] };
const tx = (over: Partial<PlatformTransaction> = {}): PlatformTransaction => ({
  id: 'itxn_1',
  type: 'capture',
  amount: 1_250,
  currency: 'usd',
  merchant_data: { name: 'Google Ads', mcc: '7311', category: 'advertising', country: 'US' },
  card: 'ic_1',
  cardholder: 'ich_1',
  dimensions: { department: 'marketing', project: 'apollo' },
  created_at: '2026-11-04T23:30:00.000Z',
  ...over,
});
const withRules = (...rules: MappingConfig['rules']): MappingConfig => ({ ...config, rules });
const account = (c: MappingConfig, t: PlatformTransaction) => resolveAccount(c, t).account;
/** The MappingError `mapTransaction` throws. */
const mappingError = (t: PlatformTransaction, c: MappingConfig = config) =>
  thrown(() => mapTransaction(c, t), MappingError);

describe('mapTransaction: the whole entry', () => {
  it('maps a charge: every field of the entry', () => {
    expect(mapTransaction(withRules({ category: 'advertising', account: 'Ads' }), tx())).toEqual({
      externalRef: 'itxn_1',
      date: '2026-11-04',
      kind: 'charge',
      currency: 'USD',
      counterparty: { name: 'Google Ads', mcc: '7311', country: 'US' },
      memo: 'OpenIssuing itxn_1',
      dimensions: { department: 'marketing', project: 'apollo' },
      lines: [
        {
          account: 'Ads',
          side: 'debit',
          amount: 1_250,
          role: 'expense',
          description: 'Card spend at Google Ads (MCC 7311)',
        },
        { account: 'Card', side: 'credit', amount: 1_250, role: 'liability' },
      ],
      source: { card: 'ic_1', cardholder: 'ich_1', category: 'advertising', mcc: '7311' },
    });
  });

  it('maps a refund with the sides reversed, and a transaction with nothing optional', () => {
    const bare = tx({ type: 'refund', merchant_data: null, card: null, cardholder: null, dimensions: null });
    expect(mapTransaction(config, bare)).toEqual({
      externalRef: 'itxn_1',
      date: '2026-11-04',
      kind: 'refund',
      currency: 'USD',
      counterparty: { name: 'Unknown merchant' },
      memo: 'OpenIssuing itxn_1',
      dimensions: {},
      lines: [
        {
          account: 'Other',
          side: 'credit',
          amount: 1_250,
          role: 'expense',
          description: 'Refund at Unknown merchant',
        },
        { account: 'Card', side: 'debit', amount: 1_250, role: 'liability' },
      ],
      source: {},
    });
  });

  it('names a merchant whose name is blank "Unknown merchant" and trims the others', () => {
    const named = (name: string | null) =>
      mapTransaction(config, tx({ merchant_data: { name, mcc: '7311' } })).counterparty.name;
    expect(named('   ')).toBe('Unknown merchant');
    expect(named(null)).toBe('Unknown merchant');
    expect(named('  Figma ')).toBe('Figma');
  });
});

describe('mapTransaction: dimensions and currencies', () => {
  it('renames dimensions as configured, dropping empty and unmapped ones', () => {
    const c = { ...config, dimensions: { class: 'project', department: 'department', location: 'site' } };
    const t = tx({ dimensions: { department: '', project: 'apollo', cost_center: 'cc1' } });
    expect(mapTransaction(c, t).dimensions).toEqual({ class: 'apollo' });
  });

  it('passes every non-empty dimension through under its own name when none are configured', () => {
    expect(mapTransaction(config, tx({ dimensions: { department: 'ops', project: '' } })).dimensions).toEqual(
      {
        department: 'ops',
      },
    );
  });

  it('takes the rate to the home currency from exchangeRates, keyed upper or lower case', () => {
    const home = (exchangeRates: Record<string, number>, homeCurrency = 'usd') =>
      mapTransaction({ ...config, homeCurrency, exchangeRates }, tx({ currency: 'eur' })).exchangeRate;
    expect(home({ EUR: 1.08 })).toBe(1.08);
    expect(home({ eur: 1.09 })).toBe(1.09);
    expect(home({ GBP: 1.2 })).toBeUndefined();
    // no rate for the home currency itself, and none without a home currency
    expect(home({ EUR: 1.08 }, 'EUR')).toBeUndefined();
    expect(home({ EUR: 1.08 }, 'eur')).toBeUndefined();
    expect(
      'exchangeRate' in mapTransaction({ ...config, exchangeRates: { EUR: 1.08 } }, tx({ currency: 'eur' })),
    ).toBe(false);
    expect(
      'exchangeRate' in mapTransaction({ ...config, homeCurrency: 'USD' }, tx({ currency: 'eur' })),
    ).toBe(false);
  });

  it('keeps the merchant amount and rate only when the merchant charged another currency', () => {
    const original = (over: Partial<PlatformTransaction>) => mapTransaction(config, tx(over)).original;
    expect(original({ merchant_amount: 1_100, merchant_currency: 'eur', exchange_rate: '1.1364' })).toEqual({
      amount: 1_100,
      currency: 'EUR',
      rate: 1.1364,
    });
    expect(original({ merchant_amount: 1_100, merchant_currency: 'eur', exchange_rate: 1.1364 })).toEqual({
      amount: 1_100,
      currency: 'EUR',
      rate: 1.1364,
    });
    expect(original({ merchant_amount: 1_250, merchant_currency: 'USD' })).toBeUndefined();
    expect(original({ merchant_amount: null, merchant_currency: 'eur' })).toBeUndefined();
    expect(original({ merchant_amount: 1_100, merchant_currency: null })).toBeUndefined();
    expect('original' in mapTransaction(config, tx({ merchant_currency: 'usd', merchant_amount: 1 }))).toBe(
      false,
    );
  });

  it('drops a rate that is not a positive finite number', () => {
    for (const exchange_rate of ['0', '-1.2', 'abc', 'Infinity', 0, -3, null]) {
      expect(
        mapTransaction(config, tx({ merchant_amount: 1_100, merchant_currency: 'eur', exchange_rate }))
          .original,
      ).toEqual({ amount: 1_100, currency: 'EUR', rate: undefined });
    }
  });
});

describe('mapTransaction: refusals name the field', () => {
  it('is a MappingError', () => {
    const error = mappingError(tx({ id: '' }));
    expect(error.name).toBe('MappingError');
    expect(error.message).toBe('transaction has no id');
  });

  it('refuses an amount that is not a positive integer; one minor unit is fine', () => {
    for (const amount of [0, -5, 12.5]) {
      expect(mappingError(tx({ amount })).message).toBe(
        `transaction itxn_1: amount must be a positive integer, got ${amount}`,
      );
    }
    expect(mapTransaction(config, tx({ amount: 1 })).lines[0]?.amount).toBe(1);
  });

  it('refuses an unknown type', () => {
    expect(mappingError(tx({ type: 'payout' as 'capture' })).message).toBe(
      'transaction itxn_1: unknown type "payout" (expected capture or refund)',
    );
  });

  it('refuses a currency that is not three letters', () => {
    for (const currency of ['us', 'usdx', 'xusd', 'u5d', '']) {
      expect(mappingError(tx({ currency })).message).toBe(
        `transaction itxn_1: invalid currency "${currency}"`,
      );
    }
    expect(mappingError(tx({ currency: undefined as unknown as string })).message).toBe(
      'transaction itxn_1: invalid currency "undefined"',
    );
  });

  it('refuses a created_at that is not a time', () => {
    expect(mappingError(tx({ created_at: 'yesterday' })).message).toBe(
      'transaction itxn_1: created_at "yesterday" is not an RFC 3339 time',
    );
  });

  it('never returns an unbalanced entry (an empty liability account is refused)', () => {
    expect(() => mapTransaction({ ...config, liabilityAccount: '' }, tx())).toThrow(
      'entry itxn_1: lines[1].account is empty — map it to a GL account',
    );
  });
});

describe('resolveAccount: which rule wins', () => {
  it('falls back to defaultAccount with no rule', () => {
    expect(resolveAccount(withRules({ category: 'travel', account: 'Travel' }), tx())).toEqual({
      account: 'Other',
      rule: null,
    });
  });

  it('matches a condition given as one value or as a list', () => {
    expect(account(withRules({ category: 'advertising', account: 'A' }), tx())).toBe('A');
    expect(account(withRules({ category: ['travel', 'advertising'], account: 'A' }), tx())).toBe('A');
    expect(account(withRules({ mcc: ['5812', '7311'], account: 'A' }), tx())).toBe('A');
    expect(account(withRules({ merchant: ['Figma', 'Google Ads'], account: 'A' }), tx())).toBe('A');
    expect(account(withRules({ card: ['ic_2', 'ic_1'], account: 'A' }), tx())).toBe('A');
    expect(account(withRules({ cardholder: ['ich_9', 'ich_1'], account: 'A' }), tx())).toBe('A');
  });

  it('needs every condition of a rule to match', () => {
    const rules = (over: Partial<MappingConfig['rules'][number]>) =>
      account(withRules({ category: 'advertising', account: 'A', ...over }), tx());
    expect(rules({ card: 'ic_2' })).toBe('Other');
    expect(rules({ cardholder: 'ich_2' })).toBe('Other');
    expect(rules({ merchant: 'Figma' })).toBe('Other');
    expect(rules({ mcc: '5812' })).toBe('Other');
    expect(rules({ dimension: { department: 'engineering' } })).toBe('Other');
    expect(rules({ dimension: { department: 'marketing', project: 'zeus' } })).toBe('Other');
    expect(rules({ dimension: { department: 'marketing', project: 'apollo' } })).toBe('A');
    expect(account(withRules({ cardholder: 'ich_2', account: 'A' }), tx())).toBe('Other');
    expect(account(withRules({ dimension: { department: 'x' }, account: 'A' }), tx())).toBe('Other');
    expect(account(withRules({ category: 'travel', account: 'A' }), tx({ merchant_data: null }))).toBe(
      'Other',
    );
    expect(account(withRules({ card: 'ic_1', account: 'A' }), tx({ card: null }))).toBe('Other');
    expect(account(withRules({ cardholder: 'ich_1', account: 'A' }), tx({ cardholder: null }))).toBe('Other');
    expect(
      account(withRules({ dimension: { department: 'x' }, account: 'A' }), tx({ dimensions: null })),
    ).toBe('Other');
  });

  it('matches an MCC range inclusively at both ends, and never an MCC that is missing', () => {
    const c = withRules({ mcc: '5811-5814', account: 'Meals' });
    const at = (mcc: string | null) => account(c, tx({ merchant_data: { name: 'Cafe', mcc } }));
    expect([at('5810'), at('5811'), at('5812'), at('5814'), at('5815')]).toEqual([
      'Other',
      'Meals',
      'Meals',
      'Meals',
      'Other',
    ]);
    const all = withRules({ mcc: '0000-9999', account: 'Any' });
    expect(account(all, tx({ merchant_data: { name: 'Cafe', mcc: '' } }))).toBe('Other');
    expect(account(all, tx({ merchant_data: { name: 'Cafe', mcc: null } }))).toBe('Other');
    expect(account(all, tx({ merchant_data: { name: 'Cafe', mcc: '0000' } }))).toBe('Any');
  });

  it('matches merchants case-insensitively, exactly or by a trailing * prefix', () => {
    const named = (pattern: string, name: string) =>
      account(withRules({ merchant: pattern, account: 'M' }), tx({ merchant_data: { name, mcc: '7311' } }));
    expect(named('google ads', 'Google Ads')).toBe('M');
    expect(named('Google', 'Google Ads')).toBe('Other');
    expect(named('google*', 'Google Ads')).toBe('M');
    expect(named('GOO*', 'google cloud')).toBe('M');
    expect(named('ads*', 'Google Ads')).toBe('Other');
    expect(named('*', 'anything')).toBe('M');
    expect(
      account(
        withRules({ merchant: 'x*', account: 'M' }),
        tx({ merchant_data: { name: null, mcc: '7311' } }),
      ),
    ).toBe('Other');
  });

  it('ranks card > cardholder > merchant > dimension > mcc > category, whatever the order written', () => {
    const kinds = [
      { category: 'advertising', account: 'category' },
      { mcc: '7311', account: 'mcc' },
      { dimension: { department: 'marketing' }, account: 'dimension' },
      { merchant: 'Google Ads', account: 'merchant' },
      { cardholder: 'ich_1', account: 'cardholder' },
      { card: 'ic_1', account: 'card' },
    ];
    for (let n = 1; n <= kinds.length; n++) {
      const rules = kinds.slice(0, n);
      const expected = rules.at(-1)?.account;
      expect(resolveAccount(withRules(...rules), tx())).toEqual({ account: expected, rule: n - 1 });
      expect(resolveAccount(withRules(...[...rules].reverse()), tx())).toEqual({
        account: expected,
        rule: 0,
      });
    }
  });

  it('a more important condition beats any number of lesser ones', () => {
    const many = {
      cardholder: 'ich_1',
      merchant: 'Google Ads',
      mcc: '7311',
      category: 'advertising',
      account: 'many',
    };
    expect(account(withRules(many, { card: 'ic_1', account: 'card' }), tx())).toBe('card');
  });

  it('with the same most important condition, more conditions win; a full tie goes to the rule written first', () => {
    const one = { category: 'advertising', mcc: '7311', account: 'two conditions' };
    const two = { mcc: '7311', account: 'one condition' };
    expect(account(withRules(two, one), tx())).toBe('two conditions');
    expect(account(withRules(one, two), tx())).toBe('two conditions');
    const first = { category: 'advertising', account: 'first' };
    const second = { category: ['advertising', 'travel'], account: 'second' };
    expect(resolveAccount(withRules(first, second), tx())).toEqual({ account: 'first', rule: 0 });
    expect(resolveAccount(withRules(second, first), tx())).toEqual({ account: 'second', rule: 0 });
  });
});

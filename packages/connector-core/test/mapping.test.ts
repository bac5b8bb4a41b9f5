import { describe, expect, it } from 'vitest';
import { z } from 'zod';
// the modules themselves, not ../src/index.js: Stryker loads this file again for every mapping and
// journal mutant, and the index would load the whole package (engine, CLI) each time
import { MappingConfigError, parseMappingConfig } from '../src/mapping/load.js';
import { mapTransaction, resolveAccount } from '../src/mapping/map.js';
import { at, makeTransactions, mapping, must } from './helpers.js';

describe('mapping rules', () => {
  const tx = {
    ...at(makeTransactions(1), 0),
    merchant_data: { name: 'Google Ads', mcc: '7311', category: 'advertising' },
  };

  it('maps a charge to a balanced entry: debit expense, credit card liability', () => {
    const e = mapTransaction(mapping, { ...tx, type: 'capture', card: 'ic_general', amount: 1234 });
    expect(e.lines).toEqual([
      expect.objectContaining({ account: 'Advertising', side: 'debit', amount: 1234, role: 'expense' }),
      expect.objectContaining({
        account: 'OpenIssuing Card',
        side: 'credit',
        amount: 1234,
        role: 'liability',
      }),
    ]);
    expect(e.externalRef).toBe(tx.id);
    expect(e.currency).toBe('USD');
    expect(e.dimensions).toEqual({ department: tx.dimensions?.department, class: 'Apollo' });
  });

  it('reverses the sides for refunds', () => {
    const e = mapTransaction(mapping, { ...tx, type: 'refund', card: 'ic_general' });
    expect(e.kind).toBe('refund');
    expect(e.lines.map((l) => [l.role, l.side])).toEqual([
      ['expense', 'credit'],
      ['liability', 'debit'],
    ]);
  });

  it('prefers the most specific rule: card beats category, merchant beats mcc, mcc ranges match', () => {
    expect(resolveAccount(mapping, { ...tx, card: 'ic_marketing' }).account).toBe('Marketing Ads');
    expect(resolveAccount(mapping, { ...tx, card: 'ic_general' }).account).toBe('Advertising');
    expect(
      resolveAccount(mapping, { ...tx, merchant_data: { name: 'figma', mcc: '5812', category: 'software' } })
        .account,
    ).toBe('Design Software');
    expect(resolveAccount(mapping, { ...tx, merchant_data: { name: 'Cafe', mcc: '5813' } }).account).toBe(
      'Meals',
    );
    expect(resolveAccount(mapping, { ...tx, merchant_data: { name: 'X', mcc: '1111' } })).toEqual({
      account: 'Uncategorized Expense',
      rule: null,
    });
  });

  it('carries the original currency and the configured rate to the home currency', () => {
    const e = mapTransaction(
      { ...mapping, homeCurrency: 'USD', exchangeRates: { EUR: 1.08 } },
      { ...tx, currency: 'eur', merchant_amount: 9000, merchant_currency: 'gbp', exchange_rate: '1.17' },
    );
    expect(e.currency).toBe('EUR');
    expect(e.exchangeRate).toBe(1.08);
    expect(e.original).toEqual({ amount: 9000, currency: 'GBP', rate: 1.17 });
  });

  it('rejects bad transactions with the field at fault', () => {
    expect(() => mapTransaction(mapping, { ...tx, amount: -5 })).toThrow(/amount must be a positive integer/);
    expect(() => mapTransaction(mapping, { ...tx, created_at: 'yesterday' })).toThrow(/created_at/);
  });
});

describe('mapping config file', () => {
  it('accepts a valid file', () => {
    const cfg = parseMappingConfig(JSON.stringify(mapping, null, 2));
    expect(cfg.rules).toHaveLength(5);
  });

  it('names the line and field of every problem', () => {
    const text = `{
  "liabilityAccount": "Card",
  "defaultAccount": "Other",
  "rules": [
    { "category": "advertising", "account": "Ads" },
    { "mcc": "58", "account": "Meals" },
    { "merchant": "AWS", "account": "" },
    { "account": "Nothing to match" },
    { "category": "fuel", "acount": "Fuel" }
  ]
}`;
    let err: MappingConfigError | undefined;
    try {
      parseMappingConfig(text, 'rules.json');
    } catch (e) {
      err = e as MappingConfigError;
    }
    expect(err).toBeInstanceOf(MappingConfigError);
    const issues = must(err, 'error').issues;
    const byLine = Object.fromEntries(issues.map((i) => [i.line, i]));
    expect(byLine[6]).toMatchObject({ path: 'rules.1.mcc', message: expect.stringMatching(/4-digit MCC/) });
    expect(byLine[7]).toMatchObject({
      path: 'rules.2.account',
      message: expect.stringMatching(/must not be empty/),
    });
    expect(byLine[8]).toMatchObject({
      path: 'rules.3',
      message: expect.stringMatching(/at least one condition/),
    });
    expect(issues.some((i) => i.line === 9 && i.path === 'rules.4.acount')).toBe(true);
    expect(must(err).message).toMatch(/rules\.json:6:/);
  });

  it('reports JSON syntax errors with their line', () => {
    expect(() => parseMappingConfig('{\n  "liabilityAccount": "Card",\n  "rules": [,]\n}', 'm.json')).toThrow(
      /m\.json:3:\d+ \(root\): invalid JSON/,
    );
  });
});

describe('connector sections in mapping.json', () => {
  const ext = { erpx: z.object({ companyCode: z.string().max(4, 'at most 4 characters') }).strict() };
  const text = `{
  "liabilityAccount": "21900000",
  "defaultAccount": "61000000",
  "erpx": { "companyCode": "TOOLONG" }
}`;

  it('rejects a section no connector declared', () => {
    expect(() => parseMappingConfig(text, 'mapping.json')).toThrow(
      /mapping\.json:4:11 erpx: Unrecognized key: "erpx"/,
    );
  });

  it("validates a declared section with the connector's schema and locates its errors", () => {
    const err = (() => {
      try {
        parseMappingConfig(text, 'mapping.json', ext);
      } catch (e) {
        return e as MappingConfigError;
      }
      throw new Error('expected a MappingConfigError');
    })();
    expect(err.issues).toEqual([
      { path: 'erpx.companyCode', line: 4, column: 28, message: 'at most 4 characters' },
    ]);
    const ok = parseMappingConfig(text.replace('TOOLONG', '1010'), 'mapping.json', ext) as { erpx?: unknown };
    expect(ok.erpx).toEqual({ companyCode: '1010' });
  });
});

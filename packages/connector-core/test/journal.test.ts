import { describe, expect, it } from 'vitest';
import {
  assertBalanced,
  expenseAccount,
  type JournalEntry,
  JournalError,
  type JournalLine,
  signedExpense,
} from '../src/journal.js';
import { thrown } from './helpers.js';

const line = (over: Partial<JournalLine>): JournalLine => ({
  account: 'Advertising',
  side: 'debit',
  amount: 1_000,
  role: 'expense',
  ...over,
});
const entry = (lines: JournalLine[], kind: JournalEntry['kind'] = 'charge'): JournalEntry => ({
  externalRef: 'itxn_1',
  date: '2026-11-04',
  kind,
  currency: 'USD',
  counterparty: { name: 'Ads Inc' },
  memo: 'Ads Inc',
  dimensions: {},
  lines,
  source: {},
});
const balanced = entry([line({}), line({ account: 'Card liability', side: 'credit', role: 'liability' })]);

/** The JournalError `assertBalanced` throws, so its exact message can be compared. */
const failure = (e: JournalEntry) => thrown(() => assertBalanced(e), JournalError);

describe('assertBalanced', () => {
  it('accepts a balanced entry, also with several lines per side', () => {
    expect(() => assertBalanced(balanced)).not.toThrow();
    const split = entry([
      line({ amount: 600 }),
      line({ amount: 400, account: 'Software' }),
      line({ amount: 1_000, side: 'credit', role: 'liability', account: 'Card liability' }),
    ]);
    expect(() => assertBalanced(split)).not.toThrow();
  });

  it('needs at least two lines', () => {
    const error = failure(entry([line({})]));
    expect(error.name).toBe('JournalError');
    expect(error.message).toBe('entry itxn_1: needs at least two lines, got 1');
    expect(failure(entry([])).message).toBe('entry itxn_1: needs at least two lines, got 0');
  });

  it('refuses a zero, negative or fractional amount, naming the line', () => {
    for (const amount of [0, -5, 10.5]) {
      const e = entry([line({}), line({ side: 'credit', role: 'liability', amount })]);
      expect(failure(e).message).toBe(
        `entry itxn_1: lines[1].amount must be a positive integer in minor units, got ${amount}`,
      );
    }
    // the smallest valid amount is one minor unit
    expect(() =>
      assertBalanced(entry([line({ amount: 1 }), line({ side: 'credit', role: 'liability', amount: 1 })])),
    ).not.toThrow();
  });

  it('refuses an empty account and says to map it', () => {
    const e = entry([line({ account: '' }), balanced.lines[1] as JournalLine]);
    expect(failure(e).message).toBe('entry itxn_1: lines[0].account is empty — map it to a GL account');
  });

  it('refuses debits that do not equal credits, with both sums', () => {
    const e = entry([line({ amount: 1_000 }), line({ side: 'credit', role: 'liability', amount: 999 })]);
    expect(failure(e).message).toBe(
      'entry itxn_1: debits (1000) do not equal credits (999) — every entry must balance',
    );
    // two debits are not balanced, however equal
    expect(failure(entry([line({}), line({})])).message).toBe(
      'entry itxn_1: debits (2000) do not equal credits (0) — every entry must balance',
    );
  });
});

describe('signedExpense and expenseAccount', () => {
  it('sums the expense lines only: positive for a charge, negative for a refund', () => {
    const split = [
      line({ amount: 600 }),
      line({ amount: 400, account: 'Software' }),
      line({ amount: 1_000, side: 'credit', role: 'liability', account: 'Card liability' }),
    ];
    expect(signedExpense(entry(split))).toBe(1_000);
    expect(signedExpense(entry(split, 'refund'))).toBe(-1_000);
    expect(signedExpense(entry([line({ role: 'liability' })]))).toBe(0);
  });

  it("names the entry's expense account, or '' when it has none", () => {
    const refund = entry(
      [
        line({ side: 'debit', role: 'liability', account: 'Card liability' }),
        line({ side: 'credit', role: 'expense', account: 'Travel' }),
      ],
      'refund',
    );
    expect(expenseAccount(refund)).toBe('Travel');
    expect(expenseAccount(entry([line({ role: 'liability' })]))).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { type BudgetState, type DecisionInput, evaluateControls } from '../src/index';

const base = (budgets: BudgetState[], over: Partial<DecisionInput> = {}): DecisionInput => ({
  now: '2026-11-04T12:00:00Z',
  amount: 50_000,
  merchant: { mcc: '7311', country: 'US', network_id: 'm1' },
  card: { status: 'active', usage: 'reusable', exp_month: 11, exp_year: 2029 },
  cardholder: { status: 'active' },
  balance_available: 10_000_000,
  budgets,
  ...over,
});

const marketing: BudgetState = {
  id: 'ibgt_mkt',
  name: 'Marketing',
  currency: 'usd',
  limits: [{ amount: 2_000_000, interval: 'monthly' }],
  usage: { limits: [1_960_000] },
};

describe('budgets in the decision engine', () => {
  it('declines with budget_exceeded, the budget limit as control, and the remaining amount in the message', () => {
    expect(evaluateControls(base([marketing]))).toEqual({
      approved: false,
      reason: 'budget_exceeded',
      control: 'budget.ibgt_mkt.limits[0]',
      message:
        "Budget 'Marketing' (ibgt_mkt) has 400.00 USD left of its monthly limit of 20000.00 USD; 500.00 USD would exceed it.",
    });
  });

  it('approves exactly up to the limit, and counts nothing outside a limit’s categories', () => {
    expect(evaluateControls(base([marketing], { amount: 40_000 })).approved).toBe(true);
    const cloud: BudgetState = {
      ...marketing,
      limits: [{ amount: 100, interval: 'monthly', categories: ['cloud_computing'] }],
      usage: { limits: [100] },
    };
    expect(evaluateControls(base([cloud])).approved).toBe(true);
    expect(evaluateControls(base([cloud], { merchant: { mcc: '7374', country: 'US' } })).reason).toBe(
      'budget_exceeded',
    );
  });

  it('declines one minor unit over the remaining budget, naming it in the budget currency (0, 2 and 3 decimals)', () => {
    const left = (currency: string, amount: number, spent: number): BudgetState => ({
      ...marketing,
      currency,
      limits: [{ amount, interval: 'weekly' }],
      usage: { limits: [spent] },
    });
    const cases = [
      {
        b: left('usd', 10_000, 6_000),
        exact: 4_000,
        text: '40.00 USD left of its weekly limit of 100.00 USD; 40.01 USD',
      },
      {
        b: left('jpy', 10_000, 6_000),
        exact: 4_000,
        text: '4000 JPY left of its weekly limit of 10000 JPY; 4001 JPY',
      },
      {
        b: left('bhd', 10_000, 6_000),
        exact: 4_000,
        text: '4.000 BHD left of its weekly limit of 10.000 BHD; 4.001 BHD',
      },
      // already over the limit (spend recorded elsewhere): nothing is left, never a negative amount
      {
        b: left('usd', 10_000, 10_005),
        exact: 0,
        text: '0.00 USD left of its weekly limit of 100.00 USD; 0.01 USD',
      },
    ];
    for (const { b, exact, text } of cases) {
      if (exact > 0)
        expect(evaluateControls(base([b], { amount: exact, currency: b.currency })).approved).toBe(true);
      expect(evaluateControls(base([b], { amount: exact + 1, currency: b.currency })).message).toBe(
        `Budget 'Marketing' (ibgt_mkt) has ${text} would exceed it.`,
      );
    }
  });

  it('checks card and cardholder controls first, budgets in the order given, and funds last', () => {
    const card = {
      status: 'active',
      exp_month: 11,
      exp_year: 2029,
      spending_controls: { spending_limits: [{ amount: 10, interval: 'daily' as const }] },
    };
    expect(evaluateControls(base([marketing], { card })).reason).toBe('spending_limit');
    const tight: BudgetState = {
      id: 'ibgt_a',
      name: 'A',
      limits: [{ amount: 1, interval: 'daily' }],
      usage: { limits: [0] },
    };
    expect(evaluateControls(base([tight, marketing])).control).toBe('budget.ibgt_a.limits[0]');
    expect(evaluateControls(base([marketing], { amount: 40_000, balance_available: 100 })).reason).toBe(
      'insufficient_funds',
    );
    // Usage omitted = nothing spent yet.
    expect(evaluateControls(base([{ ...marketing, usage: undefined }])).approved).toBe(true);
  });
});

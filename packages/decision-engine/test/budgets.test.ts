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

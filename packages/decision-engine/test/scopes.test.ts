import { describe, expect, it } from 'vitest';
import type { BudgetState, DecisionInput } from '../src/index';
import { limitScopes } from '../src/scopes';

const input: DecisionInput = {
  now: '2026-11-04T12:00:00Z',
  amount: 100,
  merchant: { mcc: '7311', country: 'US' },
};
const budget = (id: string): BudgetState => ({
  id,
  name: id,
  limits: [{ amount: 1_000, interval: 'monthly' }],
  usage: { limits: [10] },
});

describe('limitScopes: the scopes an authorization must pass, in order', () => {
  it('is the card, then the cardholder, when no budget governs the card', () => {
    for (const budgets of [undefined, null, []]) {
      expect(limitScopes({ ...input, budgets }).map((s) => s.name)).toEqual(['card', 'cardholder']);
    }
  });

  it('then one `budget` scope per budget, in the order given, holding only its limits and usage', () => {
    const scopes = limitScopes({ ...input, budgets: [budget('ibgt_b'), budget('ibgt_a')] });
    expect(scopes.map((s) => s.name)).toEqual(['card', 'cardholder', 'budget', 'budget']);
    expect(scopes.slice(2).map((s) => [s.controls, s.usage])).toEqual([
      [{ spending_limits: [{ amount: 1_000, interval: 'monthly' }] }, { limits: [10] }],
      [{ spending_limits: [{ amount: 1_000, interval: 'monthly' }] }, { limits: [10] }],
    ]);
  });
});

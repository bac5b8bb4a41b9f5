import { type ControlsInput, evaluateControls } from '@openissuing/platform';
import { describe, expect, it } from 'vitest';
import { evaluateSpendingControls } from '../src/index';
import { prng, randomInput } from './helpers/corpus';

// The SDK's local prediction against the platform's own decision engine, on a generated corpus.
const CASES = 5000;
const SEED = 20261123;

describe('evaluateSpendingControls ≡ the platform decision engine', () => {
  const r = prng(SEED);
  const corpus = Array.from({ length: CASES }, () => randomInput(r));

  it(`agrees on reason, control and message for ${CASES} generated cases (seed ${SEED})`, () => {
    const mismatches: string[] = [];
    for (const [i, input] of corpus.entries()) {
      const platform = evaluateControls(input as ControlsInput);
      const sdk = evaluateSpendingControls(input);
      if (JSON.stringify(sdk) !== JSON.stringify(platform)) {
        mismatches.push(
          `#${i}: platform ${JSON.stringify(platform)} sdk ${JSON.stringify(sdk)} input ${JSON.stringify(input)}`,
        );
      }
    }
    expect(mismatches.slice(0, 5), `${mismatches.length} of ${CASES} cases differ`).toEqual([]);
  });

  it('covers every reason and every control the engine can produce', () => {
    const reasons = new Map<string, number>();
    const controls = new Set<string>();
    for (const input of corpus) {
      const d = evaluateControls(input as ControlsInput);
      reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
      if (d.control) controls.add(d.control.replace(/\[\d+\]/, '[i]'));
    }
    for (const reason of [
      'approved',
      'spending_limit',
      'category_blocked',
      'country_blocked',
      'velocity_limit',
      'card_frozen',
      'card_canceled',
      'card_expired',
      'single_use_consumed',
      'merchant_locked',
      'insufficient_funds',
    ]) {
      expect(reasons.get(reason) ?? 0, `cases decided ${reason}`).toBeGreaterThanOrEqual(20);
    }
    expect([...controls].sort()).toEqual(
      [
        'card.status',
        'card.expires_at',
        'card.exp_year',
        'card.usage',
        'card.locked_merchant',
        'cardholder.status',
        'program.balance',
        ...['card', 'cardholder'].flatMap((s) =>
          [
            'blocked_categories',
            'allowed_categories',
            'blocked_merchant_countries',
            'allowed_merchant_countries',
            'velocity',
            'spending_limits[i]',
          ].map((c) => `${s}.${c}`),
        ),
      ].sort(),
    );
  });

  it("the two-argument form predicts from a card's controls and an authorization", () => {
    const controls = {
      spending_limits: [{ amount: 2500, interval: 'per_authorization' as const }],
      blocked_categories: ['gambling' as const],
    };
    expect(
      evaluateSpendingControls(controls, { amount: 3000, merchant_data: { mcc: '5734', country: 'US' } }),
    ).toMatchObject({
      approved: false,
      reason: 'spending_limit',
      control: 'card.spending_limits[0]',
    });
    expect(
      evaluateSpendingControls(controls, { amount: 100, merchant_data: { mcc: '7995', country: 'US' } }),
    ).toMatchObject({
      reason: 'category_blocked',
      control: 'card.blocked_categories',
    });
    expect(
      evaluateSpendingControls(controls, { amount: 100, merchant_data: { mcc: '5734', country: 'US' } }),
    ).toEqual({
      approved: true,
      reason: 'approved',
      message: 'Approved.',
      control: null,
    });
  });
});

import { type DecisionInput, evaluateControls } from '@openissuing/decision-engine';
import { describe, expect, it } from 'vitest';
// the generated corpus and the boundary table live with the decision engine
import { boundaryCases } from '../../decision-engine/test/boundaries';
import { prng, randomInput } from '../../decision-engine/test/corpus';
import { evaluateSpendingControls, type SpendingControlsInput } from '../src/index';

// evaluateSpendingControls runs @openissuing/decision-engine; these check that the SDK's entry point
// hands it everything (card, cardholder, usage, balance, now) and fills in the defaults it documents.
const CASES = 5000;
const SEED = 20261123;

describe('evaluateSpendingControls runs the decision engine', () => {
  it(`gives the engine's decision on ${CASES} generated cases (seed ${SEED})`, () => {
    const r = prng(SEED);
    const mismatches: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const input = randomInput(r);
      const engine = evaluateControls(input);
      const sdk = evaluateSpendingControls(input as SpendingControlsInput);
      if (JSON.stringify(sdk) !== JSON.stringify(engine)) mismatches.push(`#${i}: ${JSON.stringify(input)}`);
    }
    expect(mismatches.slice(0, 5), `${mismatches.length} of ${CASES} cases differ`).toEqual([]);
  });

  for (const c of boundaryCases) {
    it(`at the boundary: ${c.name}`, () => {
      expect(evaluateSpendingControls(c.input as unknown as SpendingControlsInput)).toEqual({
        approved: c.reason === 'approved',
        reason: c.reason,
        message: c.message,
        control: c.control,
      });
      expect(evaluateControls(c.input as unknown as DecisionInput)).toEqual(
        evaluateSpendingControls(c.input as unknown as SpendingControlsInput),
      );
    });
  }

  it('defaults `now` to the current instant', () => {
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const input = { amount: 100, merchant: { mcc: '5734', country: 'US' }, card: { expires_at: expiresAt } };
    expect(evaluateSpendingControls(input).reason).toBe('approved');
    expect(
      evaluateSpendingControls({ ...input, card: { expires_at: new Date(Date.now() - 1).toISOString() } }),
    ).toMatchObject({ reason: 'card_expired', control: 'card.expires_at' });
  });

  it("the two-argument form predicts from a card's controls and an authorization", () => {
    const controls = {
      spending_limits: [{ amount: 2500, interval: 'per_authorization' as const }],
      blocked_categories: ['gambling' as const],
    };
    expect(
      evaluateSpendingControls(controls, {
        amount: 3000,
        currency: 'usd',
        merchant_data: { mcc: '5734', country: 'US' },
      }),
    ).toEqual({
      approved: false,
      reason: 'spending_limit',
      message: "Amount 30.00 USD exceeds the card's per-authorization limit of 25.00 USD.",
      control: 'card.spending_limits[0]',
    });
    expect(
      evaluateSpendingControls(controls, { amount: 100, merchant_data: { mcc: '7995', country: 'US' } }),
    ).toEqual({
      approved: false,
      reason: 'category_blocked',
      message: 'Merchant category gambling (MCC 7995) is blocked for this card.',
      control: 'card.blocked_categories',
    });
    expect(
      evaluateSpendingControls(controls, { amount: 100, merchant_data: { mcc: '5734', country: 'US' } }),
    ).toEqual({ approved: true, reason: 'approved', message: 'Approved.', control: null });
  });
});

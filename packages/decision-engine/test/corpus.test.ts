import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateControls } from '../src/index';
import { prng, randomInput } from './corpus';

// The engine's answer to each of 5,000 generated inputs, pinned in corpus.decisions.jsonl (one line
// per case: [reason, control, message]). The file was produced by the platform's engine before the
// two copies (platform and SDK) became this package, and both agreed on every case; a line that
// changes in a diff is a decision that changed. After an intended change to the engine:
// `UPDATE_CORPUS=1 npx vitest run test/corpus.test.ts`, then review the diff of the .jsonl file.
const CASES = 5000;
const SEED = 20261123;
const GOLDEN = new URL('./corpus.decisions.jsonl', import.meta.url);

// Decisions are computed inside each test, never at collection time: a mutation-testing run
// activates a mutant per test, and decisions made while collecting would escape it.
const r = prng(SEED);
const corpus = Array.from({ length: CASES }, () => randomInput(r));
const decide = () => corpus.map((input) => evaluateControls(input));

describe('the decision corpus', () => {
  it(`decides each of ${CASES} generated cases (seed ${SEED}) as pinned`, () => {
    const actual = decide().map((d) => JSON.stringify([d.reason, d.control, d.message]));
    if (process.env.UPDATE_CORPUS) writeFileSync(GOLDEN, `${actual.join('\n')}\n`);
    const pinned = readFileSync(GOLDEN, 'utf8').trimEnd().split('\n');
    expect(pinned).toHaveLength(CASES);
    const mismatches = actual.flatMap((line, i) =>
      line === pinned[i] ? [] : [`#${i}: pinned ${pinned[i]} now ${line} input ${JSON.stringify(corpus[i])}`],
    );
    expect(mismatches.slice(0, 5), `${mismatches.length} of ${CASES} cases differ`).toEqual([]);
  });

  it('approved is exactly "no control fired"', () => {
    for (const d of decide()) expect(d.approved).toBe(d.reason === 'approved' && d.control === null);
  });

  it('covers every reason and every control the engine can produce', () => {
    const reasons = new Map<string, number>();
    const controls = new Set<string>();
    for (const d of decide()) {
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
});

import { type DecisionInput, type SpendingControls, spendingCategories } from '../src/index';

/**
 * The generated decision corpus: random inputs covering every branch of the engine. The same seed
 * gives the same inputs, so `corpus.decisions.jsonl` pins the engine's answer to each.
 */

/** A small deterministic PRNG (mulberry32), so a failing case can be reproduced from its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (p: number) => next() < p;
  const some = <T>(items: readonly T[], min: number, max: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    for (let n = int(min, Math.min(max, pool.length)); n > 0; n--)
      out.push(...pool.splice(int(0, pool.length - 1), 1));
    return out;
  };
  return { next, int, pick, chance, some };
}

export type Rng = ReturnType<typeof prng>;

export const CATEGORIES = Object.keys(spendingCategories) as (keyof typeof spendingCategories)[];
export const KNOWN_MCCS = CATEGORIES.flatMap((c) => spendingCategories[c].mccs);
export const MCCS = [...KNOWN_MCCS, '1520', '8999', '0742'];
export const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'JP', 'CA', 'KP', 'BR'];
const INTERVALS = ['per_authorization', 'daily', 'weekly', 'monthly', 'yearly', 'all_time'] as const;

/** Random controls; `apiValid` keeps to what the API accepts (upper-case countries). */
export function randomControls(r: Rng, apiValid = false): SpendingControls | null | undefined {
  if (r.chance(0.3)) return r.chance(0.5) ? null : undefined;
  const c: SpendingControls = {};
  if (r.chance(0.6)) {
    c.spending_limits = Array.from({ length: r.int(1, 3) }, () => ({
      amount: r.int(0, apiValid ? 6_000 : 20_000),
      interval: r.pick(INTERVALS),
      ...(r.chance(0.3) ? { categories: r.some(CATEGORIES, 1, 3) } : {}),
    }));
  }
  if (r.chance(0.25)) c.allowed_categories = r.some(CATEGORIES, 1, 6);
  if (r.chance(0.25)) c.blocked_categories = r.some(CATEGORIES, 1, 4);
  if (r.chance(0.2))
    c.allowed_merchant_countries = r
      .some(COUNTRIES, 1, 4)
      .map((x) => (!apiValid && r.chance(0.2) ? x.toLowerCase() : x));
  if (r.chance(0.2)) c.blocked_merchant_countries = r.some(COUNTRIES, 1, 3);
  if (r.chance(0.2))
    c.velocity = { max_authorizations: r.int(1, 5), window_seconds: r.pick([60, 3600, 86_400]) };
  return c;
}

/** Card currencies of the corpus: two decimals, none (JPY), three (BHD), and none given. */
const CURRENCIES = ['usd', 'eur', 'jpy', 'bhd', undefined] as const;

/** One random decision input covering every branch of the evaluator. */
export function randomInput(
  r: Rng,
): DecisionInput & { now: string; card: NonNullable<DecisionInput['card']> } {
  const now = new Date(Date.UTC(2026, 0, 1) + r.int(0, 2 * 365 * 86_400) * 1000);
  const usage = r.pick(['reusable', 'reusable', 'single_use', 'merchant_locked'] as const);
  const status = r.chance(0.75) ? 'active' : r.chance(0.5) ? 'frozen' : 'canceled';
  const cardControls = randomControls(r);
  const holderControls = randomControls(r);
  const scopeUsage = (c: SpendingControls | null | undefined) =>
    r.chance(0.8)
      ? {
          limits: (c?.spending_limits ?? []).map(() => r.int(0, 20_000)),
          velocity_count: r.int(0, 6),
        }
      : undefined;
  const amount = r.int(1, 15_000);
  // the currency is picked without drawing from r, so the inputs (and decisions) stay those pinned
  const currency = CURRENCIES[amount % CURRENCIES.length];
  return {
    now: now.toISOString(),
    amount,
    ...(currency ? { currency } : {}),
    merchant: {
      mcc: r.pick(MCCS),
      country: r.chance(0.1) ? r.pick(COUNTRIES).toLowerCase() : r.pick(COUNTRIES),
      network_id: r.pick(['m1', 'm2', 'm3']),
    },
    card: {
      status,
      ...(status === 'canceled'
        ? { cancellation_reason: r.pick([null, 'requested', 'lost', 'expired', 'single_use_consumed']) }
        : {}),
      usage,
      exp_month: r.int(1, 12),
      exp_year: now.getUTCFullYear() + r.pick([-1, 0, 0, 1, 2, 3]),
      ...(r.chance(0.15)
        ? { expires_at: new Date(now.getTime() + r.int(-86_400, 86_400) * 1000).toISOString() }
        : {}),
      ...(cardControls !== undefined ? { spending_controls: cardControls } : {}),
      ...(usage === 'merchant_locked' && r.chance(0.6) ? { locked_merchant: r.pick(['m1', 'm2']) } : {}),
      ...(usage === 'single_use' ? { single_use_consumed: r.chance(0.4) } : {}),
    },
    ...(r.chance(0.8)
      ? {
          cardholder: {
            status: r.chance(0.85) ? 'active' : r.pick(['inactive', 'blocked']),
            ...(holderControls !== undefined ? { spending_controls: holderControls } : {}),
          },
        }
      : {}),
    usage: { card: scopeUsage(cardControls), cardholder: scopeUsage(holderControls) },
    ...(r.chance(0.6)
      ? { balance_available: r.int(0, 20_000) }
      : r.chance(0.5)
        ? { balance_available: null }
        : {}),
  };
}

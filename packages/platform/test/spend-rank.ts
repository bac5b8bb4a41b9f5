import { currencyExponent } from '@openissuing/decision-engine';
import { USD_PER_UNIT } from '../src/authorization/fx';
import type { Json } from './helpers';

/**
 * The groups of report rows (or raw sums) in the spec's order, computed here independently of the
 * report: |net spend valued in USD at the reference rates| descending, then the key's bytes, `null`
 * last.
 */
export function rankedGroups(rows: Json[]): (string | null)[] {
  const weight = new Map<string | null, number>();
  for (const r of rows)
    weight.set(
      r.group,
      (weight.get(r.group) ?? 0) +
        (r.amount * (USD_PER_UNIT[r.currency] ?? 0)) / 10 ** currencyExponent(r.currency),
    );
  const bytes = (k: string | null) => (k === null ? null : Buffer.from(k));
  return [...weight]
    .sort(([ka, a], [kb, b]) => {
      const d = Math.abs(b) - Math.abs(a);
      if (Math.abs(d) > 1e-9) return d;
      const [x, y] = [bytes(ka), bytes(kb)];
      return x === null ? 1 : y === null ? -1 : Buffer.compare(x, y);
    })
    .map(([k]) => k);
}

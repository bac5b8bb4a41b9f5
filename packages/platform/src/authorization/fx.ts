import { currencyExponent } from '@openissuing/decision-engine';

/**
 * Sandbox foreign exchange: fixed reference rates against USD, converted by ISO 4217 minor units.
 * Deterministic so tests, the demo and the SDK agree on converted amounts.
 */
export const USD_PER_UNIT: Readonly<Record<string, number>> = {
  usd: 1,
  eur: 1.08,
  gbp: 1.27,
  chf: 1.13,
  cad: 0.73,
  aud: 0.66,
  jpy: 0.0067,
  sek: 0.095,
  nok: 0.093,
  dkk: 0.145,
  pln: 0.25,
  inr: 0.012,
  sgd: 0.74,
  brl: 0.2,
  mxn: 0.058,
};

export function isSupportedCurrency(currency: string): boolean {
  return currency in USD_PER_UNIT;
}

/**
 * Converts `amount` minor units of `from` into minor units of `to` (rounded half away from zero),
 * returning the rate used (units of `to` per unit of `from`, 6 significant decimals).
 *
 * @example
 * convert(1000, 'eur', 'usd') // { amount: 1080, exchange_rate: 1.08 }
 */
export function convert(amount: number, from: string, to: string): { amount: number; exchange_rate: number } {
  if (from === to) return { amount, exchange_rate: 1 };
  const f = USD_PER_UNIT[from];
  const t = USD_PER_UNIT[to];
  if (f === undefined || t === undefined) throw new Error(`currency: no sandbox rate for ${from}→${to}`);
  const rate = Number((f / t).toPrecision(6));
  const major = amount / 10 ** currencyExponent(from);
  const converted = Math.round(major * rate * 10 ** currencyExponent(to));
  return { amount: converted, exchange_rate: rate };
}

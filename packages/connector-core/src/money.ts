import { currencyExponent } from '@openissuing/decision-engine';

// One rule for where a currency's decimal point is (ISO 4217 minor units) and one for how an amount
// reads: both live in @openissuing/decision-engine (dependency-free; the platform and the SDK use it
// too), so the CLI summary, the ERP amounts and the decline messages never disagree.
export { currencyExponent, formatAmount as formatMoney } from '@openissuing/decision-engine';

/**
 * Converts an integer minor-unit amount to a decimal major-unit number (for ERPs that want decimals).
 *
 * @example
 * toMajor(1234, 'usd'); // 12.34
 */
export function toMajor(minor: number, currency: string): number {
  const exp = currencyExponent(currency);
  return Number((minor / 10 ** exp).toFixed(exp));
}

/**
 * Converts a decimal major-unit amount back to integer minor units (rounding half away from zero).
 *
 * @example
 * toMinor(12.34, 'usd'); // 1234
 */
export function toMinor(major: number, currency: string): number {
  const exp = currencyExponent(currency);
  return Math.round(major * 10 ** exp);
}

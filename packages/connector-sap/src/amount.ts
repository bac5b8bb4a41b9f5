import { currencyExponent } from '@openissuing/connector-core';

/**
 * Writes signed integer minor units as the decimal SAP expects, with as many decimals as the currency
 * has (JPY `12000`, USD `12.34`, KWD `1.234`) — string arithmetic, never floats.
 *
 * @example
 * formatAmount(-1234, 'USD'); // '-12.34'
 * formatAmount(1200, 'JPY'); // '1200'
 */
export function formatAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`amount ${minor} is not an integer in minor units`);
  const exp = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  return exp === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/**
 * Reads a decimal amount (`"-12.340"`, `"1200"`) back into signed integer minor units of the currency.
 * Throws when the value has more significant decimals than the currency allows.
 *
 * @example
 * parseAmount('-12.340', 'USD'); // -1234
 */
export function parseAmount(text: string, currency: string): number {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) throw new Error(`"${text}" is not a decimal amount`);
  const exp = currencyExponent(currency);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > exp) throw new Error(`"${text}" has more decimals than ${currency} allows (${exp})`);
  const minor = Number(`${m[2] || '0'}${frac.padEnd(exp, '0')}`);
  return m[1] === '-' ? -minor : minor;
}

/** Writes an exchange rate as an `xsd:decimal` (no exponent, at most 14 decimals as SAP's 28,14 allows). */
export function formatRate(rate: number): string {
  if (!(Number.isFinite(rate) && rate > 0))
    throw new Error(`exchange rate ${rate} must be a positive number`);
  return rate.toFixed(14).replace(/\.?0+$/, '');
}

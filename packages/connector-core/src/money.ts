/** ISO 4217 currencies whose minor unit is not 2 digits. Everything else uses 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/**
 * Number of minor-unit digits of an ISO 4217 currency.
 *
 * @example
 * currencyExponent('usd'); // 2
 * currencyExponent('JPY'); // 0
 */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

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

/**
 * Formats an integer minor-unit amount in major units with the currency's own decimals, for people
 * (CLI summaries, the HTML report).
 *
 * @example
 * formatMoney(58132, 'usd'); // "581.32 USD"
 * formatMoney(-1200, 'JPY'); // "-1200 JPY"
 */
export function formatMoney(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const units = Math.floor(abs / 10 ** exp);
  const cents = exp > 0 ? `.${String(abs % 10 ** exp).padStart(exp, '0')}` : '';
  return `${sign}${units}${cents} ${currency.toUpperCase()}`;
}

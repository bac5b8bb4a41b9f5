/**
 * ISO 4217 currencies whose minor unit is not 2 digits; every other well-formed code has 2. The
 * platform stores amounts in these minor units, so this table (not `Intl`, whose CLDR display digits
 * differ for e.g. IDR, HUF, COP and IQD and change between ICU versions) says where the decimal point
 * is — the same in every runtime, for the platform, the SDK and the connectors.
 */
const EXPONENTS: Readonly<Record<string, number>> = {
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
  CLF: 4,
  UYW: 4,
};

/**
 * The number of minor-unit digits of an ISO 4217 currency (case-insensitive): 0 for JPY, 3 for BHD,
 * 4 for CLF, 2 for every other code.
 *
 * @example
 * currencyExponent('usd'); // 2
 * currencyExponent('JPY'); // 0
 * currencyExponent('bhd'); // 3
 */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/**
 * An amount in minor units as a person reads it in its currency: the currency's ISO 4217 decimal
 * digits ({@link currencyExponent}), `.` as the decimal point, no grouping, then the code in capitals —
 * the same text in every locale and runtime. Without a currency, with one that is not three letters,
 * or with an amount that is not a safe integer, the amount stays in minor units and says so. Every
 * decline message that names an amount uses this (and connector-core's `formatMoney` is this).
 *
 * @example
 * formatAmount(4000, 'usd'); // '40.00 USD'
 * formatAmount(4000, 'jpy'); // '4000 JPY'
 * formatAmount(4283, 'bhd'); // '4.283 BHD'
 * formatAmount(4000, undefined); // '4000 (minor units)'
 */
export function formatAmount(minor: number, currency: string | null | undefined): string {
  const code = currency?.toUpperCase();
  if (!code) return `${minor} (minor units)`;
  if (!/^[A-Z]{3}$/.test(code) || !Number.isSafeInteger(minor)) return `${minor} (minor units of ${code})`;
  const digits = currencyExponent(code);
  const sign = minor < 0 ? '-' : '';
  const units = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  return `${sign}${whole} ${code}`;
}

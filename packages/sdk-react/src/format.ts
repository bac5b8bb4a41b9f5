import { currencyExponent } from '@openissuing/decision-engine';

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * `Intl` only for how a locale shows money (symbol, grouping, decimal sign); the number of decimals is
 * the currency's ISO 4217 exponent, the platform's minor units, never CLDR's display digits (which
 * differ for IDR, HUF, COP, IQD and 13 more).
 */
function currencyFormatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const digits = minorUnitDigits(currency);
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * How many minor-unit digits a currency's amounts have (USD 2, JPY 0, BHD 3, IDR 2): its ISO 4217
 * exponent, the decision engine's `currencyExponent` — the same rule the platform stores amounts by.
 *
 * @example
 * minorUnitDigits('jpy'); // 0
 * minorUnitDigits('idr'); // 2 (Intl would say 0)
 */
export function minorUnitDigits(currency: string): number {
  return currencyExponent(currency);
}

/**
 * Formats an integer amount in minor units for a locale: `Intl.NumberFormat` for the symbol and
 * grouping, the currency's ISO 4217 exponent for where the decimal point is.
 *
 * @example
 * formatAmount(123456, 'usd', 'en'); // "$1,234.56"
 * formatAmount(1000, 'jpy', 'zh-CN'); // "JP¥1,000"
 * formatAmount(150000, 'idr', 'en'); // "IDR 1,500.00"
 */
export function formatAmount(amount: number, currency: string, locale: string): string {
  return currencyFormatter(locale, currency).format(amount / 10 ** minorUnitDigits(currency));
}

/**
 * A short amount for a chart axis ("$2.5K", "IDR 1.5M"): minor units to major by the currency's ISO
 * 4217 exponent ({@link minorUnitDigits}), `Intl`'s compact notation for the locale.
 *
 * @example
 * formatCompactAmount(250000, 'usd', 'en'); // "$2.5K"
 * formatCompactAmount(150000000, 'idr', 'en'); // "IDR 1.5M"
 */
export function formatCompactAmount(amount: number, currency: string, locale: string): string {
  const major = amount / 10 ** minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    notation: 'compact',
  }).format(major);
}

/**
 * Parses what a person typed ("1,250.50", "99") into integer minor units, or `null` when it is not
 * a positive amount with at most the currency's number of decimals ({@link minorUnitDigits}).
 *
 * @example
 * parseAmount('99.95', 'usd'); // 9995
 * parseAmount('1.5', 'kwd'); // 1500
 */
export function parseAmount(input: string, currency: string): number | null {
  const cleaned = input.trim().replace(/[,\s]/g, '');
  const digits = minorUnitDigits(currency);
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(cleaned)) return null;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/**
 * Turns minor units back into the decimal string an input shows ({@link minorUnitDigits} decimals).
 *
 * @example
 * amountToInput(9995, 'usd'); // "99.95"
 * amountToInput(1500, 'kwd'); // "1.500"
 */
export function amountToInput(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(amount);
  const text = String(amount).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Formats an RFC 3339 timestamp as a short local date and time. */
export function formatDateTime(value: string, locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** `MM/YY` for a card's expiry. */
export function formatExpiry(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
}

/** Groups a PAN in fours for display ("4242 4242 4242 4242"). */
export function groupPan(pan: string): string {
  return pan.replace(/\D/g, '').replace(/(\d{4})(?=\d)/g, '$1 ');
}

const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express' };

/** The display name of a card brand as the API spells it (`visa` → `Visa`). */
export function brandName(brand: string | null | undefined): string {
  if (!brand) return 'Card';
  return BRANDS[brand.toLowerCase()] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

/**
 * A report period or window start as a UTC calendar date: "Nov 2026" for months, "Nov 2, 2026" otherwise.
 *
 * @example
 * formatPeriod('2026-11-01T00:00:00Z', 'month', 'en'); // "Nov 2026"
 * formatPeriod('2026-11-02T00:00:00Z', 'day', 'zh-CN'); // "2026年11月2日"
 */
export function formatPeriod(value: string, interval: 'day' | 'week' | 'month', locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const options: Intl.DateTimeFormatOptions =
    interval === 'month'
      ? { year: 'numeric', month: 'short', timeZone: 'UTC' }
      : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

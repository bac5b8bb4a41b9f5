const digitsByCurrency = new Map<string, number | null>();

/** The currency's own number of decimal digits (USD 2, JPY 0, BHD 3), or null for an unknown code. */
function currencyDigits(code: string): number | null {
  let digits = digitsByCurrency.get(code);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
          .maximumFractionDigits ?? null;
    } catch {
      digits = null;
    }
    digitsByCurrency.set(code, digits);
  }
  return digits;
}

/**
 * An amount in minor units as a person reads it in its currency: the currency's own decimal digits,
 * `.` as the decimal point, no grouping, then the ISO 4217 code in capitals — the same text in every
 * locale. Without a currency (or with a code the runtime does not know) the amount stays in minor units
 * and says so. Every decline message that names an amount uses this.
 *
 * @example
 * formatAmount(4000, 'usd'); // '40.00 USD'
 * formatAmount(4000, 'jpy'); // '4000 JPY'
 * formatAmount(4000, undefined); // '4000 (minor units)'
 */
export function formatAmount(minor: number, currency: string | null | undefined): string {
  const code = currency?.toUpperCase();
  const digits = code ? currencyDigits(code) : null;
  if (digits === null || code === undefined || !Number.isSafeInteger(minor)) {
    return code ? `${minor} (minor units of ${code})` : `${minor} (minor units)`;
  }
  const sign = minor < 0 ? '-' : '';
  const units = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  return `${sign}${whole} ${code}`;
}

import { describe, expect, it } from 'vitest';
import {
  amountToInput,
  formatAmount,
  formatCompactAmount,
  minorUnitDigits,
  parseAmount,
} from '../src/format';

// Intl puts a no-break space between an ISO code and the number ("IDR 1,500.00").
const NBSP = '\u00a0';

describe('amounts are ISO 4217 minor units, shown with the locale by Intl', () => {
  it('takes the digits from the ISO exponent, not from Intl (which shows IDR and HUF with 0)', () => {
    expect(minorUnitDigits('idr')).toBe(2);
    expect(minorUnitDigits('HUF')).toBe(2);
    expect(minorUnitDigits('jpy')).toBe(0);
    expect(minorUnitDigits('kwd')).toBe(3);
    expect(minorUnitDigits('bhd')).toBe(3);
    expect(minorUnitDigits('usd')).toBe(2);
  });

  it('formats IDR, JPY, KWD, BHD and USD in en', () => {
    expect(formatAmount(150_000, 'idr', 'en')).toBe(`IDR${NBSP}1,500.00`);
    expect(formatAmount(150_050, 'IDR', 'en')).toBe(`IDR${NBSP}1,500.50`);
    expect(formatAmount(123_456, 'jpy', 'en')).toBe('¥123,456');
    expect(formatAmount(1_234_567, 'kwd', 'en')).toBe(`KWD${NBSP}1,234.567`);
    expect(formatAmount(4_280, 'bhd', 'en')).toBe(`BHD${NBSP}4.280`);
    expect(formatAmount(123_456, 'usd', 'en')).toBe('$1,234.56');
    expect(formatAmount(5, 'usd', 'en')).toBe('$0.05');
  });

  it('formats IDR, JPY, KWD, BHD and USD in zh-CN', () => {
    expect(formatAmount(150_000, 'idr', 'zh-CN')).toBe(`IDR${NBSP}1,500.00`);
    expect(formatAmount(123_456, 'jpy', 'zh-CN')).toBe('JP¥123,456');
    expect(formatAmount(1_234_567, 'kwd', 'zh-CN')).toBe(`KWD${NBSP}1,234.567`);
    expect(formatAmount(4_283, 'bhd', 'zh-CN')).toBe(`BHD${NBSP}4.283`);
    expect(formatAmount(123_456, 'usd', 'zh-CN')).toBe('US$1,234.56');
  });

  it('shortens chart-axis amounts by the same digits', () => {
    expect(formatCompactAmount(150_000_000, 'idr', 'en')).toBe(`IDR${NBSP}1.5M`);
    expect(formatCompactAmount(1_500_000, 'kwd', 'en')).toBe(`KWD${NBSP}1.5K`);
    expect(formatCompactAmount(1_234_567, 'jpy', 'en')).toBe('¥1.2M');
    expect(formatCompactAmount(250_000, 'usd', 'en')).toBe('$2.5K');
  });

  it('parses typed amounts into minor units by the same digits', () => {
    expect(parseAmount('1,500.50', 'idr')).toBe(150_050);
    expect(parseAmount('1500', 'idr')).toBe(150_000);
    expect(parseAmount('1.5', 'kwd')).toBe(1_500);
    expect(parseAmount('4.283', 'bhd')).toBe(4_283);
    expect(parseAmount('99.95', 'usd')).toBe(9_995);
    expect(parseAmount('1000', 'jpy')).toBe(1_000);
  });

  it('rejects more decimals than the currency has, and decimals for JPY', () => {
    expect(parseAmount('1.234', 'idr')).toBeNull();
    expect(parseAmount('1.2345', 'kwd')).toBeNull();
    expect(parseAmount('10.5', 'jpy')).toBeNull();
    expect(parseAmount('0', 'usd')).toBeNull();
  });

  it('turns minor units back into what an input shows, and round-trips', () => {
    expect(amountToInput(150_050, 'idr')).toBe('1500.50');
    expect(amountToInput(1_500, 'kwd')).toBe('1.500');
    expect(amountToInput(5, 'bhd')).toBe('0.005');
    expect(amountToInput(1_000, 'jpy')).toBe('1000');
    expect(amountToInput(9_995, 'usd')).toBe('99.95');
    for (const [amount, currency] of [
      [150_050, 'idr'],
      [1_500, 'kwd'],
      [4_283, 'bhd'],
      [1_000, 'jpy'],
      [9_995, 'usd'],
    ] as const) {
      expect(parseAmount(amountToInput(amount, currency), currency)).toBe(amount);
    }
  });
});

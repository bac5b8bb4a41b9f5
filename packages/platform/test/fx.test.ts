import { describe, expect, it } from 'vitest';
import { convert } from '../src/authorization/fx';

describe('convert', () => {
  it('converts currencies deterministically', () => {
    expect(convert(1_000, 'eur', 'usd')).toEqual({ amount: 1_080, exchange_rate: 1.08 });
    expect(convert(1_000, 'usd', 'usd')).toEqual({ amount: 1_000, exchange_rate: 1 });
  });

  it("converts by each side's ISO 4217 minor units (JPY has none)", () => {
    // 1,000 JPY × 0.0067 = 6.70 USD; 1.00 USD ÷ 0.0067 = 149.254 JPY, rounded to 149 (no decimals)
    expect(convert(1_000, 'jpy', 'usd')).toEqual({ amount: 670, exchange_rate: 0.0067 });
    expect(convert(100, 'usd', 'jpy')).toEqual({ amount: 149, exchange_rate: 149.254 });
  });
});

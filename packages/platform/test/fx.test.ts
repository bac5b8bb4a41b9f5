import { describe, expect, it } from 'vitest';
import { convert } from '../src/authorization/fx';

describe('convert', () => {
  it('converts currencies deterministically', () => {
    expect(convert(1_000, 'eur', 'usd')).toEqual({ amount: 1_080, exchange_rate: 1.08 });
    expect(convert(1_000, 'usd', 'usd')).toEqual({ amount: 1_000, exchange_rate: 1 });
  });
});

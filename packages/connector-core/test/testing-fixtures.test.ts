import { describe, expect, it } from 'vitest';
import { sampleTransactions } from '../src/testing/index.js';

describe('sampleTransactions', () => {
  it('options change only the fields they name, never the seeded sequence', () => {
    const plain = sampleTransactions(40, 7);
    const sap = sampleTransactions(40, 7, {
      start: Date.parse('2026-12-01T00:00:00Z'),
      currency: 'eur',
      country: 'DE',
      card: 'ic_de',
      cardholder: 'ich_de',
      merchantNames: { fuel: 'Shell & Co <Hamburg>' },
    });
    const fuel = plain.findIndex((t) => t.merchant_data?.category === 'fuel');
    expect(plain[fuel]?.merchant_data?.name).toBe('Shell: Station 12');
    expect(sap[fuel]?.merchant_data).toEqual({
      name: 'Shell & Co <Hamburg>',
      mcc: '5541',
      category: 'fuel',
      country: 'DE',
    });
    expect(sap[0]).toMatchObject({
      currency: 'eur',
      card: 'ic_de',
      cardholder: 'ich_de',
      created_at: '2026-12-01T00:00:00.000Z',
    });
    expect(sap[1]?.created_at).toBe('2026-12-01T00:01:37.000Z');
    const shape = (t: (typeof plain)[number]) => [t.id, t.type, t.amount, t.merchant_data?.mcc, t.dimensions];
    expect(sap.map(shape)).toEqual(plain.map(shape));
    expect(plain[0]).toMatchObject({ currency: 'usd', card: 'ic_general', cardholder: 'ich_1' });
    expect(plain[0]?.created_at).toBe('2026-11-01T09:00:00.000Z');
  });
});

import { describe, expect, it } from 'vitest';
import { newId, randomChars } from '../src/lib/ids';

// Issue #12 (found by the fuzz test): a request id such as req_01M8SC06070070123737C4STX0 carried a
// run of 14 digits — time and sequence digits followed by random ones — so an error body "echoed" a
// card-number-like run the request never held. Ids now never hold 12 digits in a row.

describe('ids', () => {
  it('never extend a run of digits to 12, however many digit bytes come', () => {
    const digits = new Uint8Array(14).fill(3); // every byte maps to the digit '3'
    for (let before = 0; before <= 11; before++) {
      const text = '7'.repeat(before) + randomChars(digits, before);
      expect(text, `after ${before} digits`).not.toMatch(/\d{12}/);
      expect(text).toMatch(/^[0-9A-HJKMNP-TV-Z]+$/);
    }
  });

  it('keep every other byte as it was (uniform Crockford base32)', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(randomChars(bytes, 0)).toBe('0123456789ABCDEFGHJKMNPQRSTVWXYZ');
  });

  it('of 100 000 fresh ids, none holds 12 digits in a row', () => {
    const ids = Array.from({ length: 100_000 }, () => newId('request'));
    expect(ids.filter((id) => /\d{12}/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

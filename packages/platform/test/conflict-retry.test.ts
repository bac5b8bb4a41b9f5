import { describe, expect, it } from 'vitest';
import { retriesConflict } from '../src/db/database';

// The one rule both of createAuthorization's retry loops use: a deadlock victim (40P01) or a
// serialization failure (40001) is run again, up to five retries; any other error is not.
describe('retriesConflict', () => {
  const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
  const serialization = Object.assign(new Error('could not serialize access'), { code: '40001' });
  const wrapped = new Error('Failed query', { cause: deadlock }); // as Drizzle wraps driver errors

  it('retries deadlocks and serialization failures, also when wrapped', () => {
    expect(retriesConflict(deadlock, 0)).toBe(true);
    expect(retriesConflict(serialization, 4)).toBe(true);
    expect(retriesConflict(wrapped, 2)).toBe(true);
  });

  it('stops after five retries', () => {
    expect(retriesConflict(deadlock, 5)).toBe(false);
    expect(retriesConflict(serialization, 6)).toBe(false);
  });

  it('does not retry other errors', () => {
    expect(retriesConflict(Object.assign(new Error('check violation'), { code: '23514' }), 0)).toBe(false);
    expect(retriesConflict(new Error('no code'), 0)).toBe(false);
    expect(retriesConflict(undefined, 0)).toBe(false);
  });
});

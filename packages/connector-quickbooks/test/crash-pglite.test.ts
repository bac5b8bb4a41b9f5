import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, killRepeatedly } from './crash-helpers.js';

afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('crash safety with the embedded PGlite state store', () => {
  it('books every transaction exactly once after the sync process is SIGKILLed 4 times and resumed', async () => {
    const { kills } = await killRepeatedly('pglite', 600, 0, { dataDir: './state' });
    expect(kills).toBeGreaterThanOrEqual(3);
  });
});

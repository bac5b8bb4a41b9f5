import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../src/index';

// Issue #12: `serve` with a persistent data folder printed a new secret key on every start.

const dir = mkdtempSync(join(tmpdir(), 'oi-sandbox-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function keyOf(options: Parameters<typeof startPlatform>[0]) {
  const platform = await startPlatform(options);
  try {
    const res = await fetch(`${platform.url}/balance`, {
      headers: { Authorization: `Bearer ${platform.apiKey}` },
    });
    expect(res.status).toBe(200);
    return platform.apiKey;
  } finally {
    await platform.close();
  }
}

describe('the sandbox secret key of a data folder', () => {
  it('is the same on every start, and an explicit key still wins', { timeout: 180_000 }, async () => {
    const saved = process.env.OPENISSUING_API_KEY;
    delete process.env.OPENISSUING_API_KEY;
    try {
      const dataDir = join(dir, 'data');
      const first = await keyOf({ dataDir });
      expect(first).toMatch(/^sk_test_/);
      expect(await keyOf({ dataDir })).toBe(first);
      process.env.OPENISSUING_API_KEY = 'sk_test_from_the_environment';
      expect(await keyOf({ dataDir })).toBe('sk_test_from_the_environment');
      delete process.env.OPENISSUING_API_KEY;
      // A fresh folder gets its own key (each start of a PGlite folder takes seconds: few of them).
      expect(await keyOf({ dataDir: join(dir, 'other') })).not.toBe(first);
    } finally {
      if (saved === undefined) delete process.env.OPENISSUING_API_KEY;
      else process.env.OPENISSUING_API_KEY = saved;
    }
  });
});

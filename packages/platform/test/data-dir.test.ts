import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, start } from './helpers';

// `openissuing serve` defaults to `.openissuing/data`: a nested folder that does not exist yet.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'openissuing-data-dir-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('PGlite data directory', () => {
  it('creates missing parent folders and keeps the data across a restart', async () => {
    const dataDir = join(root, '.openissuing', 'data');
    const apiKey = 'sk_test_data_dir_suite_key';
    const first = await start({ dataDir, apiKey });
    const created = await first.api.post('/cardholders', {
      type: 'company',
      name: 'Acme Corp',
      email: 'finance@acme.example',
    });
    expect(created.status).toBe(201);
    await first.platform.close();

    const second = await start({ dataDir, apiKey });
    try {
      const again = await client(second.platform).get(`/cardholders/${created.body.id}`);
      expect(again.status).toBe(200);
      expect(again.body.name).toBe('Acme Corp');
    } finally {
      await second.platform.close();
    }
  });
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, start } from './helpers';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start({ apiKey: 'sk_test_cli_suite_key' }));
});
afterAll(async () => {
  await platform.close();
});

describe('openissuing CLI', () => {
  it('seed loads the demo data set into a running platform', async () => {
    expect(existsSync(cli), 'build the package first (npm run build -w @openissuing/platform)').toBe(true);
    const { stdout } = await run(process.execPath, [cli, 'seed', '--url', platform.url], {
      env: { ...process.env, OPENISSUING_API_KEY: platform.apiKey },
    });
    const seeded = JSON.parse(stdout) as { cards: Record<string, string> };
    expect(Object.keys(seeded.cards)).toHaveLength(6);
    const cards = (await api.get('/cards?limit=100')).body.data;
    expect(cards.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(Object.values(seeded.cards)),
    );
  });

  it('explains bad usage', async () => {
    const failed = await run(process.execPath, [cli, 'serve', '--port', 'abc'], { env: process.env }).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain("--port: 'abc' is not a port number");
  });
});

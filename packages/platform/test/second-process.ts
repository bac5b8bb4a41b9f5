import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type Client, client, TEST_DATABASE_URL } from './helpers';

/**
 * Starts a second platform process (the built CLI's `serve`) on the same PostgreSQL schema, for
 * tests that two processes never overspend; returns its client and how to stop it.
 *
 * @example
 * const second = await startSecondProcess(schema, apiKey);
 * await second.api.post('/test_helpers/authorizations', { … });
 * await second.stop();
 */
export async function startSecondProcess(
  schema: string,
  apiKey: string,
): Promise<{ api: Client; stop: () => Promise<void> }> {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  expect(existsSync(cli), 'build the package first (npm run build -w @openissuing/platform)').toBe(true);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const proc = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
    env: { ...process.env, DATABASE_URL: url.toString(), OPENISSUING_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  try {
    const otherUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proc.stderr?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      proc.once('exit', (code) => reject(new Error(`second process exited (${code}): ${out}`)));
    });
    return { api: client({ url: otherUrl, apiKey, close: async () => {} }), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

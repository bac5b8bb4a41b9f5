/**
 * Starts the sandbox platform as a separate process (its CLI, PGlite in memory, a free port on
 * 127.0.0.1) for the examples' smoke tests.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export async function startSandboxProcess(
  apiKey: string,
): Promise<{ url: string; apiKey: string; close(): Promise<void> }> {
  const platformDir = dirname(createRequire(import.meta.url).resolve('@openissuing/platform/package.json'));
  const child = spawn(
    process.execPath,
    [join(platformDir, 'dist/cli.js'), 'serve', '--memory', '--port', '0'],
    {
      // Request logs stay out of the smoke test's output unless LOG_LEVEL asks for them.
      env: { LOG_LEVEL: 'warn', ...process.env, OPENISSUING_API_KEY: apiKey, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`the platform exited (${code}) before listening:\n${out}`)),
    );
  });
  return {
    url,
    apiKey,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Smoke test: starts the sandbox platform (its CLI, in memory, on a free port), runs the quickstart
 * against it, and checks what it printed.
 *
 *   npm run build -w @openissuing/platform -w @openissuing/sdk && npm test -w @openissuing/example-quickstart
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSandboxProcess } from './sandbox.ts';

const here = dirname(fileURLToPath(import.meta.url));
const sandbox = await startSandboxProcess('sk_test_quickstart_smoke');
try {
  const { stdout } = await promisify(execFile)(process.execPath, [join(here, 'index.ts')], {
    env: { ...process.env, OPENISSUING_BASE_URL: sandbox.url, OPENISSUING_API_KEY: sandbox.apiKey },
    timeout: 30_000,
  });
  process.stdout.write(stdout);
  for (const expected of [
    /Issued card ic_\w+ ending \d{4}/,
    /Google Ads: predicted approved, platform says approved/,
    /Lucky Casino: predicted category_blocked, platform says category_blocked \(card\.allowed_categories/,
    /Transaction itxn_\w+: capture 12000 usd \{ department: 'marketing', cost_center: 'CC-4100' \}/,
    /As expected: 404 resource_missing/,
  ]) {
    if (!expected.test(stdout)) throw new Error(`quickstart output lacks ${expected}`);
  }
  console.log('quickstart smoke test: ok');
} finally {
  await sandbox.close();
}

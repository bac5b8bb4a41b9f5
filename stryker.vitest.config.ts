import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The fast tests that cover the mutated code (stryker.groups.mjs): pure decision-engine and webhook
// tests, and the connector-core engine suites on in-memory PGlite. Tests that spawn the CLI or start a
// platform over HTTP run the built packages, not the mutated sources, and are left out.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'decision-engine',
          root: fileURLToPath(new URL('./packages/decision-engine', import.meta.url)),
          include: ['test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'sdk',
          root: fileURLToPath(new URL('./packages/sdk-js', import.meta.url)),
          include: ['test/webhooks.test.ts'],
        },
      },
      {
        test: {
          name: 'connector-core',
          root: fileURLToPath(new URL('./packages/connector-core', import.meta.url)),
          include: [
            'test/engine.test.ts',
            'test/engine-faults.test.ts',
            'test/engine-flow.test.ts',
            'test/jobs.test.ts',
            'test/mapping.test.ts',
            'test/reconcile.test.ts',
          ],
          testTimeout: 30_000,
        },
      },
    ],
  },
});

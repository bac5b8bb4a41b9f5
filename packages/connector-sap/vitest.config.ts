import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CAP logs every failed remote call at warn level; the tests provoke hundreds on purpose
    env: { CDS_LOG_LEVELS_REMOTE: 'error' },
  },
});

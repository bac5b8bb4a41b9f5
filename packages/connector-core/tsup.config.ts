import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

export default defineConfig(
  packageBuild({
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing/index.ts',
      cli: 'src/cli/main.ts',
      emulator: 'src/cli/emulator.ts',
    },
    external: [
      '@electric-sql/pglite',
      'pg',
      'cli-progress',
      'zod',
      '@openissuing/decision-engine',
      '@openissuing/sdk',
      '@openissuing/platform',
      'vitest',
    ],
    // import.meta.url in the CommonJS build too (the state-store template is found beside the build)
    shims: true,
    // the initialised PGlite template shipped in dist/ (src/state/pglite-template.ts)
    onSuccess: 'node scripts/build-pglite-template.mjs',
  }),
);

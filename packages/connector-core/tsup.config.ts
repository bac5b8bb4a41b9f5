import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
    external: ['@electric-sql/pglite', 'pg', 'cli-progress', 'zod', '@openissuing/sdk'],
  }),
);

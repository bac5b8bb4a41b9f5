import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', 'testing-msw': 'src/testing/msw.ts' },
    external: ['@openissuing/connector-core', 'csv-parse', 'csv-stringify', 'fflate', 'msw', 'zod'],
  }),
);

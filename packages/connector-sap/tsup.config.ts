import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', cap: 'src/cap/service.ts' },
    external: ['@openissuing/connector-core', '@sap/cds', 'fast-xml-parser', 'zod'],
  }),
);

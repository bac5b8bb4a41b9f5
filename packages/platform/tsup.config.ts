import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// One build: the library entry plus the CLI (`openissuing`) and the `npm run demo` program.
export default defineConfig(
  packageBuild({ entry: { index: 'src/index.ts', cli: 'src/cli.ts', demo: 'src/demo.ts' } }),
);

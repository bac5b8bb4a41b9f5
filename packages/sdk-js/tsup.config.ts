import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `index` is the universal entry (browsers, workers, Deno, Bun); `index.node` adds node:crypto's
// synchronous HMAC for faster webhook verification and is what the "node" export condition serves.
export default defineConfig(
  packageBuild({ entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts' } }),
);

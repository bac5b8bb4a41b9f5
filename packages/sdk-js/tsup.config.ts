import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `index` is the universal entry (browsers, workers, Deno, Bun); `index.node` adds node:crypto's
// synchronous HMAC for faster webhook verification and is what the "node" export condition serves.
// The helper entries are also their own chunks, so a bundle that only uses the client and webhooks
// drops them (and zod) entirely.
export default defineConfig(
  packageBuild({
    entry: {
      index: 'src/index.ts',
      'index.node': 'src/index.node.ts',
      'spend-controls': 'src/spend-controls/index.ts',
      authorization: 'src/authorization-handler/index.ts',
      webhooks: 'src/webhooks/index.ts',
      schemas: 'src/schemas/index.ts',
    },
  }),
);

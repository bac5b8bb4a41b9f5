import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts' },
    external: ['react', 'react-dom', '@openissuing/sdk'],
    // Every widget uses hooks: mark the bundle as a client module for React Server Components.
    // Rollup's extra tree-shaking pass would drop this directive, so rely on esbuild's alone.
    banner: { js: "'use client';" },
    treeshake: false,
    esbuildOptions(options) {
      options.jsx = 'automatic';
    },
    onSuccess: 'cp src/styles.css dist/styles.css',
  }),
);

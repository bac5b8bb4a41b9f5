import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

const directive = "'use client';";

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts' },
    external: ['react', 'react-dom', '@openissuing/sdk', '@openissuing/decision-engine'],
    // Every widget uses hooks: mark the bundle as a client module for React Server Components.
    // Rollup's extra tree-shaking pass would drop this directive, so rely on esbuild's alone.
    banner: { js: directive },
    treeshake: false,
    esbuildOptions(options) {
      options.jsx = 'automatic';
    },
    async onSuccess() {
      await copyFile('src/styles.css', 'dist/styles.css');
      // The CJS build puts interop helpers before the banner; a directive only counts when first.
      const cjs = await readFile('dist/index.cjs', 'utf8');
      if (!cjs.startsWith(directive)) await writeFile('dist/index.cjs', `${directive}\n${cjs}`);
    },
  }),
);

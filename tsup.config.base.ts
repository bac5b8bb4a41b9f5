import type { Options } from 'tsup';

/**
 * The one build configuration every publishable package shares: ESM + CJS + `.d.ts`/`.d.cts`,
 * tree-shakeable, source maps, no minification (consumers' bundlers minify).
 *
 * @example
 * // packages/sdk-js/tsup.config.ts
 * import { defineConfig } from 'tsup';
 * import { packageBuild } from '../../tsup.config.base';
 * export default defineConfig(packageBuild({ entry: { index: 'src/index.ts' } }));
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    target: 'es2022',
    outDir: 'dist',
    ...overrides,
  };
}

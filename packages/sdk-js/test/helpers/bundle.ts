import { build } from 'esbuild';

/** Bundles an entry for a non-Node runtime (browser or worker) the way a user's bundler would. */
export async function bundle(entry: string, conditions: string[] = ['browser']): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

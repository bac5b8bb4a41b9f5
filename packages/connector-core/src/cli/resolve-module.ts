import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports a connector module named in `openissuing-sync.json`: a path (relative to the config file)
 * or a package name. A package name is imported as an ES module first — the same build of
 * `@openissuing/connector-core` the CLI runs — and resolved from the config file's folder (then the
 * working directory) only when the CLI cannot see it.
 */
export async function importConnectorModule(specifier: string, configDir: string): Promise<unknown> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  if (isPath) return import(pathToFileURL(resolve(configDir, specifier)).href);
  try {
    return await import(specifier);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
  }
  for (const base of [configDir, process.cwd()]) {
    try {
      return await import(
        pathToFileURL(createRequire(resolve(base, 'package.json')).resolve(specifier)).href
      );
    } catch {
      // try the next base
    }
  }
  throw new Error(
    `connector.module "${specifier}" cannot be found from ${configDir}: install it there (npm install ${specifier}) or give a path`,
  );
}

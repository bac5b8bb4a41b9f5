import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A freshly initialised, empty PGlite data directory as a gzipped tarball. `initdb` inside PGlite
 * takes 4–12 s on a busy machine; unpacking this takes about 1 s, so a new user's first
 * `openissuing-sync run` does not sit silent. The build writes one into `dist/` (keyed by the PGlite
 * version it was made with); otherwise the first store created on a machine leaves one in the OS temp
 * directory for the next. A template that does not match the installed PGlite is never used.
 */

const FILE = 'pglite-template.tar.gz';

function here(): string {
  return dirname(fileURLToPath(import.meta.url));
}

/** The installed PGlite's version (the template key). */
export function pgliteVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    let dir = dirname(req.resolve('@electric-sql/pglite'));
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      try {
        const pkg = req(join(dir, 'package.json')) as { name?: string; version?: string };
        if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
      } catch {
        // keep walking up
      }
    }
  } catch {
    // not resolvable from here
  }
  return 'unknown';
}

/** Where templates may be: the package's dist (shipped), then the OS temp directory (cached). */
async function candidates(): Promise<string[]> {
  const { tmpdir } = await import('node:os');
  const version = pgliteVersion();
  return [
    join(here(), `${FILE}`),
    join(here(), '..', '..', 'dist', FILE),
    join(tmpdir(), `openissuing-sync-pglite-${version}.tar.gz`),
  ];
}

let cached: Blob | null | undefined;

/** The template matching the installed PGlite, or null. */
export async function loadStateTemplate(): Promise<Blob | null> {
  if (cached !== undefined) return cached;
  const { readFile } = await import('node:fs/promises');
  const version = pgliteVersion();
  for (const path of await candidates()) {
    try {
      const meta = JSON.parse(await readFile(`${path}.json`, 'utf8')) as { pglite?: string };
      if (meta.pglite !== version) continue;
      cached = new Blob([await readFile(path)]);
      return cached;
    } catch {
      // not there, or unreadable: try the next
    }
  }
  cached = null;
  return null;
}

/** Forgets a template that failed to load. */
export function dropStateTemplate(): void {
  cached = null;
}

/**
 * Writes a template from an empty, freshly initialised database (`dump`: its gzipped data directory)
 * to `path` (default: the OS temp cache). Atomic; failures are ignored (the template only saves time).
 */
export async function saveStateTemplate(dump: Blob, path?: string): Promise<void> {
  const { rename, writeFile } = await import('node:fs/promises');
  const target = path ?? ((await candidates())[2] as string);
  const tmp = `${target}.${process.pid}.${Date.now()}`;
  try {
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await writeFile(`${tmp}.json`, JSON.stringify({ pglite: pgliteVersion() }));
    await rename(`${tmp}.json`, `${target}.json`);
    await rename(tmp, target);
    cached = dump;
  } catch {
    // read-only temp directory: the next store is created the slow way
  }
}

// Writes dist/pglite-template.tar.gz: an initialised, empty PGlite data directory, so a new state
// store starts in about a second instead of running initdb (see src/state/pglite-template.ts, which
// reads it and checks the `pglite` version recorded beside it).
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const req = createRequire(import.meta.url);
let dir = dirname(req.resolve('@electric-sql/pglite'));
let version = 'unknown';
for (let i = 0; i < 5; i++, dir = dirname(dir)) {
  try {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    if (pkg.name === '@electric-sql/pglite') {
      version = pkg.version;
      break;
    }
  } catch {}
}
const db = new PGlite();
await db.waitReady;
const dump = await db.dumpDataDir('gzip');
await db.close();
const out = new URL('../dist/pglite-template.tar.gz', import.meta.url);
await writeFile(out, Buffer.from(await dump.arrayBuffer()));
await writeFile(
  new URL('../dist/pglite-template.tar.gz.json', import.meta.url),
  JSON.stringify({ pglite: version }),
);

#!/usr/bin/env node
/**
 * Checks every publishable package the way a user meets it: its package.json metadata, its runtime
 * dependencies (no test tooling), and the files `npm pack` would publish (no tests, no oversized type
 * declarations). Run after the build (`npm test` does): `node scripts/check-packages.ts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { isTestTool } from './test-tools.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A declaration file with more type code than this slows every consumer's type check (the zod
 * schemas were 542 kB). Type code is the file printed without comments: tsc skips JSDoc in
 * declaration files (TypeScript 5.3+ `jsDocParsingMode`), so the spec's descriptions, which the
 * SDK's types carry for editor hovers, cost a consumer's type check next to nothing.
 */
const MAX_DECLARATION_BYTES = 300_000;

/** The bytes of type code in a declaration file: the file printed without its comments. */
function typeCodeBytes(path: string): number {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  return Buffer.byteLength(ts.createPrinter({ removeComments: true }).printFile(source));
}

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string };
  repository?: { url?: string; directory?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const problems: string[] = [];

for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', dir);
  if (!existsSync(join(pkgDir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Manifest;
  if (pkg.private) continue;
  const where = `packages/${dir} (${pkg.name})`;
  const fail = (message: string) => problems.push(`${where}: ${message}`);

  if (!existsSync(join(pkgDir, 'LICENSE'))) fail('no LICENSE file; copy the root LICENSE into the package');
  if (pkg.license !== 'MIT') fail(`"license" is ${JSON.stringify(pkg.license)}; the project is MIT`);
  if (!pkg.repository?.url || pkg.repository.directory !== `packages/${dir}`)
    fail('"repository" needs "url" and "directory": "packages/<folder>"');
  if (!pkg.homepage) fail('"homepage" is missing');
  if (!pkg.bugs?.url) fail('"bugs.url" is missing');
  if (!pkg.keywords || pkg.keywords.length < 3) fail('"keywords" needs at least three entries');

  for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
    if (isTestTool(name))
      fail(
        `test tool "${name}" is a runtime dependency; make it a devDependency, or an optional peer for a ./testing entry`,
      );
    if (name.startsWith('@openissuing/') && range === '*')
      fail(`"${name}": "*" is not a range users can rely on; use "^<version>"`);
  }
  for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
    if (isTestTool(name) && !pkg.peerDependenciesMeta?.[name]?.optional)
      fail(`test tool "${name}" is a required peer; mark it optional in "peerDependenciesMeta"`);
    if (range === '*' || range.startsWith('>='))
      fail(`peer "${name}": "${range}" has no upper bound; use a real range`);
  }

  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: pkgDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { files: { path: string; size: number }[]; size: number; unpackedSize: number }[];
  if (!packed) throw new Error(`npm pack --dry-run printed nothing for ${where}`);
  for (const file of packed.files) {
    if (/(^|\/)test\/|\.test\.|\.test-d\.|__tests__/.test(file.path))
      fail(`the tarball contains a test file: ${file.path}`);
    if (/\.d\.c?ts$/.test(file.path) && file.size > MAX_DECLARATION_BYTES) {
      const code = typeCodeBytes(join(pkgDir, file.path));
      if (code > MAX_DECLARATION_BYTES)
        fail(
          `${file.path} has ${code} bytes of type code without comments (limit ${MAX_DECLARATION_BYTES}); declare a shorter public type`,
        );
    }
  }
  if (!packed.files.some((f) => f.path === 'LICENSE')) fail('the tarball has no LICENSE');
  console.log(
    `check-packages: ${pkg.name.padEnd(36)} ${String(packed.files.length).padStart(4)} files, ${(packed.size / 1024).toFixed(0).padStart(5)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0).padStart(5)} kB unpacked`,
  );
}

if (problems.length > 0) {
  console.error(`check-packages: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check-packages: metadata, dependencies and tarball contents are fine');

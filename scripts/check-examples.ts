#!/usr/bin/env node
/**
 * Proves that every example works once a user copies it out of the monorepo. For each folder under
 * examples/ it copies the tracked files into a fresh folder outside the repo, points its
 * `@openissuing/*` dependencies at tarballs packed from this checkout (`npm pack`, exactly what
 * `npm publish` would upload), installs from the npm registry like a user would, then runs the
 * example's own `build` and `test` scripts (a TypeScript example's test type-checks it first). It also refuses a tsconfig that extends a
 * file outside the example and a test tool among the example's runtime dependencies. It prints what
 * each install cost (packages, MB).
 *
 *   npx turbo run build && node scripts/check-examples.ts [example…] [--keep]
 *
 * Needs the npm registry (not part of `npm test`, which stays offline-friendly); about a minute
 * per example with a warm npm cache. `--keep` leaves the folders in /tmp for a look.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTestTool } from './test-tools.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  overrides?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** A clean environment: nothing from the monorepo's `npm run` (workspace flags, its bin folder). */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  env.PATH = (env.PATH ?? '')
    .split(':')
    .filter((p) => !p.startsWith(root))
    .join(':');
  env.PATH = `${dirname(process.execPath)}:${env.PATH}`;
  return env;
}

function sh(cwd: string, command: string, args: string[]): string {
  return execFileSync(command, args, {
    cwd,
    env: userEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function step(cwd: string, label: string, command: string, args: string[]): void {
  const started = Date.now();
  try {
    execFileSync(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; status?: number };
    throw new Error(
      `${label} failed (exit ${e.status}) in ${cwd}:\n${(e.stdout ?? '').slice(-4000)}\n${(e.stderr ?? '').slice(-4000)}`,
    );
  }
  console.log(`check-examples:   ${label} ok (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

/** Packs every published package; returns name → tarball path. */
function packAll(into: string): Map<string, string> {
  const tarballs = new Map<string, string>();
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', dir);
    if (!existsSync(join(pkgDir, 'package.json'))) continue;
    const pkg = readJson<Manifest>(join(pkgDir, 'package.json'));
    if (pkg.private) continue;
    const [packed] = JSON.parse(
      sh(pkgDir, 'npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', into]),
    ) as { filename: string }[];
    if (!packed) throw new Error(`npm pack printed nothing for ${pkg.name}`);
    tarballs.set(pkg.name, join(into, packed.filename));
  }
  return tarballs;
}

/** The example's tracked files, copied as a user would copy the folder from the repository. */
function copyExample(name: string, into: string): void {
  const files = sh(root, 'git', ['ls-files', '-z', `examples/${name}`])
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const target = join(into, relative(`examples/${name}`, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(root, file), target);
  }
}

/** Problems a copied example would have that need no install to see. */
function staticProblems(dir: string, pkg: Manifest): string[] {
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /^tsconfig.*\.json$/.test(f))) {
    const extendsPath = (readJson<{ extends?: string | string[] }>(join(dir, file)).extends ?? []) as
      | string
      | string[];
    for (const base of [extendsPath].flat())
      if (base.startsWith('..')) problems.push(`${file} extends ${base}, a file outside the example`);
  }
  for (const name of Object.keys(pkg.dependencies ?? {}))
    if (isTestTool(name))
      problems.push(`test tool "${name}" is a runtime dependency; make it a devDependency`);
  return problems;
}

/** Points every `@openissuing/*` dependency, direct or transitive, at its packed tarball. */
function useTarballs(pkg: Manifest, dir: string, tarballs: Map<string, string>): Manifest {
  const spec = (name: string) => {
    const tarball = tarballs.get(name);
    if (!tarball) throw new Error(`${pkg.name} depends on ${name}, which no package in packages/ publishes`);
    return `file:${relative(dir, tarball)}`;
  };
  const rewrite = (deps?: Record<string, string>) =>
    deps &&
    Object.fromEntries(
      Object.entries(deps).map(([n, r]) => [n, n.startsWith('@openissuing/') ? spec(n) : r]),
    );
  return {
    ...pkg,
    dependencies: rewrite(pkg.dependencies),
    devDependencies: rewrite(pkg.devDependencies),
    overrides: { ...pkg.overrides, ...Object.fromEntries([...tarballs.keys()].map((n) => [n, spec(n)])) },
  };
}

/** Installed packages (each folder holding a package.json under node_modules) and their size. */
export function installCost(dir: string): { packages: number; megabytes: number } {
  const listed = sh(dir, 'npm', ['ls', '--all', '--parseable']).split('\n').filter(Boolean);
  const packages = new Set(listed.slice(1)).size;
  const kilobytes = Number(sh(dir, 'du', ['-sk', 'node_modules']).split('\t')[0]);
  return { packages, megabytes: Math.round(kilobytes / 102.4) / 10 };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const examples = readdirSync(join(root, 'examples')).filter(
    (e) =>
      existsSync(join(root, 'examples', e, 'package.json')) && (wanted.length === 0 || wanted.includes(e)),
  );
  for (const w of wanted)
    if (!examples.includes(w)) throw new Error(`check-examples: no example "${w}" under examples/`);
  for (const dir of ['packages/sdk-js/dist', 'packages/platform/dist'])
    if (!existsSync(join(root, dir)))
      throw new Error(`check-examples: ${dir} is missing; run npx turbo run build`);

  const work = mkdtempSync(join(tmpdir(), 'openissuing-examples-'));
  const tarballDir = join(work, 'tarballs');
  mkdirSync(tarballDir);
  const tarballs = packAll(tarballDir);
  console.log(`check-examples: packed ${tarballs.size} packages into ${tarballDir}`);

  const failures: string[] = [];
  for (const example of examples) {
    const dir = join(work, example);
    console.log(`check-examples: ${example} → ${dir}`);
    try {
      copyExample(example, dir);
      const pkg = readJson<Manifest>(join(dir, 'package.json'));
      const problems = staticProblems(dir, pkg);
      if (problems.length > 0) throw new Error(problems.join('\n'));
      writeFileSync(
        join(dir, 'package.json'),
        `${JSON.stringify(useTarballs(pkg, dir, tarballs), null, 2)}\n`,
      );
      step(dir, 'npm install', 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
      const cost = installCost(dir);
      console.log(`check-examples:   install: ${cost.packages} packages, ${cost.megabytes} MB node_modules`);
      for (const script of ['build', 'test'])
        if (pkg.scripts?.[script]) step(dir, `npm run ${script}`, 'npm', ['run', script]);
      if (!pkg.scripts?.test) throw new Error('the example has no "test" script that runs it');
    } catch (error) {
      failures.push(`${example}: ${(error as Error).message}`);
      console.log(`check-examples:   FAILED`);
    }
  }
  if (!keep) rmSync(work, { recursive: true, force: true });
  if (failures.length > 0) {
    console.error(
      `check-examples: ${failures.length} example(s) do not work on their own:\n${failures.join('\n\n')}`,
    );
    process.exit(1);
  }
  console.log(`check-examples: ${examples.length} example(s) install, build and run outside the repo`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();

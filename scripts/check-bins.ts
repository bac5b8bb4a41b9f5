#!/usr/bin/env node
/**
 * Runs every command-line program a published package declares in its `bin` the way a new user first
 * does: `--help`, `-h`, `--version` and `-v`, at the top level and on every command its help lists. Each
 * must exit 0 and print to stdout: the help names the command, `--version` the package's version. Run after the build
 * (`npm test` does): `node scripts/check-bins.ts`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: string | Record<string, string>;
}

interface Program {
  where: string;
  name: string;
  version: string;
  file: string;
}

/** The `bin` entries of every published package under packages/. */
function programs(): Program[] {
  const found: Program[] = [];
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const pkg = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (pkg.private || !pkg.bin) continue;
    const bins = typeof pkg.bin === 'string' ? { [pkg.name.replace(/^@[^/]+\//, '')]: pkg.bin } : pkg.bin;
    for (const [name, file] of Object.entries(bins)) {
      found.push({
        where: `packages/${dir} (${pkg.name})`,
        name,
        version: pkg.version,
        file: join(root, 'packages', dir, file),
      });
    }
  }
  return found;
}

/**
 * The commands a program's top-level help lists, in either layout the CLIs use: a "Commands:" section
 * (`  serve     run the sandbox…`) or usage lines (`  openissuing-sync run [--config …]`).
 */
export function commandsIn(help: string, program: string): string[] {
  const commands = new Set<string>();
  const section = /^Commands:\n((?: {2}\S.*\n?)+)/m.exec(help);
  for (const line of section?.[1]?.split('\n') ?? []) {
    const m = /^ {2}([a-z][a-z0-9-]*)(?: {2,}|$)/.exec(line);
    if (m?.[1]) commands.add(m[1]);
  }
  const usage = new RegExp(
    `^\\s+${program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ([a-z][a-z0-9-]*)\\b`,
    'gm',
  );
  for (const m of help.matchAll(usage)) if (m[1]) commands.add(m[1]);
  return [...commands];
}

async function answer(file: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [file, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', NO_COLOR: '1' },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; signal?: string };
    return { code: e.code ?? e.signal ?? 'failed', stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function main(): Promise<void> {
  const problems: string[] = [];
  const list = programs();
  if (list.length === 0) throw new Error('check-bins: no package declares a bin; is this the repo root?');
  for (const program of list) {
    const fail = (message: string) => problems.push(`${program.where} ${program.name}: ${message}`);
    if (!existsSync(program.file)) {
      fail(`${program.file} does not exist; build first (npx turbo run build)`);
      continue;
    }
    const top = await answer(program.file, ['--help']);
    const commands = commandsIn(top.stdout, program.name);
    const runs = [[], ...commands.map((c) => [c])].flatMap((prefix) =>
      ['--help', '-h', '--version', '-v'].map((flag) => [...prefix, flag]),
    );
    for (const args of runs) {
      const out = await answer(program.file, args);
      const shown = `${program.name} ${args.join(' ')}`;
      if (out.code !== 0) {
        fail(`\`${shown}\` exited ${out.code}: ${(out.stderr || out.stdout).trim().split('\n')[0]}`);
        continue;
      }
      if (out.stdout.trim() === '') fail(`\`${shown}\` printed nothing on stdout`);
      const asksVersion = args.at(-1) === '--version' || args.at(-1) === '-v';
      if (asksVersion && !out.stdout.includes(program.version))
        fail(`\`${shown}\` printed ${JSON.stringify(out.stdout.trim())}, not the version ${program.version}`);
      const subject = [program.name, ...args.slice(0, -1)].join(' ');
      if (!asksVersion && !out.stdout.includes(subject))
        fail(`\`${shown}\` printed help that does not name \`${subject}\``);
    }
    console.log(
      `check-bins: ${program.name.padEnd(22)} ${runs.length} runs exit 0 (commands: ${commands.join(', ') || 'none'})`,
    );
  }
  if (problems.length > 0) {
    console.error(`check-bins: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('check-bins: every command of every package bin answers --help, -h, --version and -v');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();

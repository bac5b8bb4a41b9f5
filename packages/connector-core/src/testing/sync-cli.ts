import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `openissuing-sync` program (`dist/cli.js` of connector-core). */
export function syncCliPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // beside this build (dist/testing.js), or the package's dist when running from src/testing
  for (const p of [
    join(here, 'cli.js'),
    join(here, '..', 'cli.js'),
    join(here, '..', '..', 'dist', 'cli.js'),
  ])
    if (existsSync(p)) return p;
  throw new Error('openissuing-sync is not built: run the connector-core build first (npx turbo run build)');
}

export interface SyncCliOptions {
  /** The project directory: the working directory, and where `openissuing-sync.json` is. */
  dir: string;
  /** Added to this process's environment (credentials of an emulator, a database URL…). */
  env?: Record<string, string>;
  /** The config file. @default DIR/openissuing-sync.json */
  config?: string;
  /** Keep `--progress` output (otherwise `--no-progress` is passed). @default false */
  progress?: boolean;
}

export interface SyncCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From start to exit. */
  ms: number;
}

/**
 * Starts `openissuing-sync <args> --config DIR/openissuing-sync.json --no-progress` in DIR, as a user
 * would run it; `done` resolves, once its output is read to the end, with its exit code and all it printed. Keep `child` to kill it
 * (SIGKILL tests).
 *
 * @example
 * const { code, stderr } = await startSyncCli(['run'], { dir, env: emulator.env }).done;
 */
export function startSyncCli(
  args: string[],
  options: SyncCliOptions,
): { child: ChildProcess; done: Promise<SyncCliResult> } {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      syncCliPath(),
      ...args,
      '--config',
      options.config ?? join(options.dir, 'openissuing-sync.json'),
      ...(options.progress ? [] : ['--no-progress']),
    ],
    { cwd: options.dir, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<SyncCliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })),
  );
  return { child, done };
}

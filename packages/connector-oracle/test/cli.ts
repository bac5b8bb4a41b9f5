import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
/** connector-core's built `openissuing-sync`. */
export const syncCli = join(
  dirname(require.resolve('@openissuing/connector-core/package.json')),
  'dist',
  'cli.js',
);
/** This package's build, as a config's `connector.module`. */
export const connectorModule = resolve(import.meta.dirname, '..', 'dist', 'index.js');
/** The emulator's integration user, as the connector reads it from the environment. */
export const emulatorEnv = {
  ORACLE_FUSION_USERNAME: 'integration.user',
  ORACLE_FUSION_PASSWORD: 'emulator-password',
};

/**
 * Starts `openissuing-sync <args> --config DIR/openissuing-sync.json --no-progress` in DIR with the
 * emulator's credentials; `done` resolves with its exit code and output.
 */
export function startSync(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(
    process.execPath,
    [syncCli, ...args, '--config', join(dir, 'openissuing-sync.json'), '--no-progress'],
    { cwd: dir, env: { ...process.env, ...emulatorEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) =>
    child.on('exit', (code) => r({ code, stdout, stderr })),
  );
  return { child, done };
}

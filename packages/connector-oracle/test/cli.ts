import { resolve } from 'node:path';
import { startSyncCli } from '@openissuing/connector-core/testing';

/** This package's build, as a config's `connector.module`. */
export const connectorModule = resolve(import.meta.dirname, '..', 'dist', 'index.js');
/** The emulator's integration user, as the connector reads it from the environment. */
export const emulatorEnv = {
  ORACLE_FUSION_USERNAME: 'integration.user',
  ORACLE_FUSION_PASSWORD: 'emulator-password',
};

/** Starts `openissuing-sync <args>` in DIR (see {@link startSyncCli}) with the emulator's credentials. */
export function startSync(dir: string, args: string[], env: Record<string, string> = {}) {
  return startSyncCli(args, { dir, env: { ...emulatorEnv, ...env } });
}

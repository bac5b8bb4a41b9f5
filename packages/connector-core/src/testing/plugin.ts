import type { ErpAdapter } from '../erp.js';
import type { MappingConfig } from '../mapping/schema.js';

/**
 * What every connector's `./testing` export provides, named `erpEmulator`: a runnable emulator of its
 * ERP, described well enough for the `openissuing-emulator` CLI, `npm run demo:erp` and the
 * conformance suite ({@link describeErpAdapter}) to use it without knowing the ERP.
 *
 * The convention: `@openissuing/connector-<erp>/testing` exports `erpEmulator: ErpEmulatorPlugin` with
 * `erp: '<erp>'`. Adding a connector to the CLI and the demo is installing that package.
 *
 * @example
 * // packages/connector-sap/src/testing/plugin.ts
 * export const erpEmulator: ErpEmulatorPlugin = { erp: 'sap', title: 'SAP S/4HANA', start: async (o) => … };
 */
export interface ErpEmulatorPlugin {
  /** The CLI name, also the package suffix: `quickbooks` → `@openissuing/connector-quickbooks`. */
  erp: string;
  /** The ERP as people call it (`QuickBooks Online`). */
  title: string;
  start(options?: ErpEmulatorStartOptions): Promise<RunningErpEmulator>;
}

export interface ErpEmulatorStartOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Server processing time per request (ms). */
  latencyMs?: number;
  /** Scale the ERP's rate-limit windows down for tests (ms for what is a minute in the ERP). */
  windowMs?: number;
  /** Smaller batches and fewer requests in flight for the connector config (kill tests land mid-run). */
  connectorLimits?: { maxBatchSize?: number; maxConcurrent?: number };
}

/** A running emulator and everything needed to point `openissuing-sync` at it. */
export interface RunningErpEmulator {
  /** Base URL of the emulator on loopback. */
  url: string;
  /** The `connector` block of `openissuing-sync.json`. */
  connector: { module: string; options: Record<string, unknown> };
  /** Environment variables the connector reads (the emulator's own credentials, never real secrets). */
  env: Record<string, string>;
  /** Files the connector options refer to, relative to the config file (e.g. an OAuth token file). */
  files: Record<string, string>;
  /** Mapping rules that fit the emulator's seeded chart of accounts. */
  mapping: MappingConfig;
  /** A connector talking to this emulator, in-process (tests and the demo). */
  createAdapter(): Promise<ErpAdapter>;
  control: ErpEmulatorControl;
  close(): Promise<void>;
}

/** What the conformance suite needs to steer an emulator. */
export interface ErpEmulatorControl {
  /** How many times each external reference is booked in the ERP (exactly once means 1). */
  bookings(): Map<string, number>;
  /** Fails that share of requests transiently (before or after applying); 0 turns it off. */
  setTransientFaults(rate: number, random?: () => number): void;
  /** Applies the next posting request, then loses its response (the in-doubt case). */
  loseNextResponse(): void;
  /**
   * Makes `account` (as the emulator's `mapping` names it: `Meals` in QuickBooks, a G/L number in SAP)
   * unusable in the ERP, so entries mapped to it are rejected; returns how the connector reports the
   * ERP's rejection (its own message text).
   */
  rejectAccount(account: string): { message: RegExp };
  /** Undoes {@link rejectAccount}. */
  restoreAccount(account: string): void;
  /** Counters for the suite's reports: requests served, faults injected. */
  stats(): { requests: number; faults: number };
}

/**
 * Loads the `erpEmulator` of `@openissuing/connector-<erp>/testing` (resolved from the caller's project
 * first, then from this package).
 *
 * @example
 * const plugin = await loadErpEmulator('quickbooks');
 */
export async function loadErpEmulator(erp: string): Promise<ErpEmulatorPlugin> {
  if (!/^[a-z][a-z0-9-]*$/.test(erp))
    throw new Error(`"${erp}" is not an ERP name (quickbooks, sap, oracle, …)`);
  const specifier = `@openissuing/connector-${erp}/testing`;
  const { importConnectorModule } = await import('../cli/resolve-module.js');
  let mod: { erpEmulator?: ErpEmulatorPlugin };
  try {
    mod = (await importConnectorModule(specifier, process.cwd())) as typeof mod;
  } catch (err) {
    throw new Error(
      `no emulator for "${erp}": install @openissuing/connector-${erp} (its ./testing export provides it) — ${(err as Error).message}`,
    );
  }
  if (!mod.erpEmulator || mod.erpEmulator.erp !== erp) {
    throw new Error(
      `${specifier} does not export erpEmulator for "${erp}" (see @openissuing/connector-core's README)`,
    );
  }
  return mod.erpEmulator;
}

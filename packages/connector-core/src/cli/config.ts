import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { SyncEngine, type SyncEvent } from '../engine.js';
import type { ErpAdapter } from '../erp.js';
import { loadMappingConfig } from '../mapping/load.js';
import type { MappingConfig, MappingExtensions } from '../mapping/schema.js';
import {
  ArraySource,
  SdkTransactionSource,
  type TransactionListClient,
  type TransactionSource,
} from '../source.js';
import { openPGlite, openPostgres } from '../state/driver.js';
import { StateStore } from '../state/store.js';
import type { PlatformTransaction } from '../transaction.js';
import { importConnectorModule } from './resolve-module.js';

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable NAME (the secret stays in the environment)');

/** The `openissuing-sync` configuration file. Secrets are never in it: it names environment variables. */
export const syncConfigSchema = z
  .object({
    mapping: z.string().min(1, 'path to the mapping rules JSON file'),
    source: z.union([
      z
        .object({
          platform: z
            .object({ baseUrl: z.string().url(), apiKeyEnv: envName.default('OPENISSUING_API_KEY') })
            .strict(),
        })
        .strict(),
      z.object({ file: z.string().min(1) }).strict(),
    ]),
    state: z
      .union([
        z.object({ dataDir: z.string().min(1) }).strict(),
        z.object({ databaseUrlEnv: envName, schema: z.string().optional() }).strict(),
        z.object({ memory: z.literal(true) }).strict(),
      ])
      .default({ dataDir: '.openissuing-sync' }),
    connector: z
      .object({ module: z.string().min(1), options: z.record(z.string(), z.unknown()).default({}) })
      .strict(),
    retry: z
      .object({
        maxAttempts: z.number().int().positive().optional(),
        baseMs: z.number().int().nonnegative().optional(),
        maxMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** How often running ERP jobs are polled: baseMs, doubling per poll up to maxMs. */
    jobPoll: z
      .object({
        baseMs: z.number().int().positive().optional(),
        maxMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    pageSize: z.number().int().positive().max(1000).optional(),
  })
  .strict();

export type SyncConfig = z.infer<typeof syncConfigSchema> & { configDir: string };

/** What the CLI hands a connector besides its options. */
export interface ConnectorContext {
  configDir: string;
  env: NodeJS.ProcessEnv;
  /** The validated mapping rules, with the connector's own sections (see `mappingExtensions`). */
  mapping?: MappingConfig;
  /** The platform SDK client when the source is the platform (e.g. to look cards up). */
  platformClient?: unknown;
}

/** What a connector package exports for the CLI. */
export interface ConnectorModule {
  createConnector(
    options: Record<string, unknown>,
    context: ConnectorContext,
  ): ErpAdapter | Promise<ErpAdapter>;
  /** Sections the connector adds to mapping.json, e.g. `{ sap: sapMappingSchema }`. */
  mappingExtensions?: MappingExtensions;
}

/**
 * Reads and validates an `openissuing-sync` config file; errors name the field.
 *
 * @example
 * const config = await loadSyncConfig('./openissuing-sync.json');
 */
export async function loadSyncConfig(path: string): Promise<SyncConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read sync config ${path}: ${(err as Error).message}`);
  }
  const r = syncConfigSchema.safeParse(raw);
  if (!r.success) {
    throw new Error(
      `${path} is invalid:\n${r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`,
    );
  }
  return { ...r.data, configDir: dirname(resolve(path)) };
}

async function readTransactionsFile(path: string): Promise<PlatformTransaction[]> {
  const text = await readFile(path, 'utf8');
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as PlatformTransaction[];
  return trimmed
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as PlatformTransaction);
}

export interface OpenedSync {
  engine: SyncEngine;
  store: StateStore;
  adapter: ErpAdapter;
  source: TransactionSource;
  mapping: MappingConfig;
  /** The SDK client when the source is the platform (for webhook verification). */
  client: unknown;
  close(): Promise<void>;
}

/**
 * Wires a config into a ready engine: state store, source, mapping rules and the connector.
 *
 * @example
 * const sync = await openSync(await loadSyncConfig('openissuing-sync.json'));
 * await sync.engine.run();
 * await sync.close();
 */
export async function openSync(
  config: SyncConfig,
  options: { env?: NodeJS.ProcessEnv; onEvent?: (e: SyncEvent) => void } = {},
): Promise<OpenedSync> {
  const env = options.env ?? process.env;
  const at = (p: string) => resolve(config.configDir, p);
  const mod = (await importConnectorModule(
    config.connector.module,
    config.configDir,
  )) as Partial<ConnectorModule>;
  if (typeof mod.createConnector !== 'function') {
    throw new Error(`connector.module "${config.connector.module}" does not export createConnector(options)`);
  }
  const mapping = await loadMappingConfig(at(config.mapping), mod.mappingExtensions);

  let source: TransactionSource;
  let client: unknown = null;
  if ('file' in config.source) {
    source = new ArraySource(await readTransactionsFile(at(config.source.file)));
  } else {
    const apiKey = env[config.source.platform.apiKeyEnv];
    if (!apiKey)
      throw new Error(`set ${config.source.platform.apiKeyEnv} to your OpenIssuing secret key (sk_…)`);
    const sdkName = '@openissuing/sdk'; // resolved at run time: core does not need the SDK's types
    const sdk = (await import(sdkName)) as {
      OpenIssuing: new (o: { apiKey: string; baseUrl: string }) => TransactionListClient;
    };
    client = new sdk.OpenIssuing({ apiKey, baseUrl: config.source.platform.baseUrl });
    source = new SdkTransactionSource(client as TransactionListClient);
  }

  const state = config.state;
  let driver: Awaited<ReturnType<typeof openPGlite>>;
  if ('memory' in state) driver = await openPGlite();
  else if ('dataDir' in state) driver = await openPGlite(at(state.dataDir));
  else {
    const url = env[state.databaseUrlEnv];
    if (!url) throw new Error(`set ${state.databaseUrlEnv} to a postgres:// URL for the sync state store`);
    driver = await openPostgres(url, state.schema ? { schema: state.schema } : {});
  }
  const store = new StateStore(driver);
  await store.init();

  let adapter: ErpAdapter;
  try {
    adapter = await mod.createConnector(config.connector.options, {
      configDir: config.configDir,
      env,
      mapping,
      ...(client ? { platformClient: client } : {}),
    });
  } catch (err) {
    // an open PostgreSQL pool would keep the process alive after the error
    await store.close();
    throw err;
  }

  const engine = new SyncEngine({
    adapter,
    store,
    mapping,
    source,
    ...(config.retry ? { retry: config.retry } : {}),
    ...(config.pageSize ? { pageSize: config.pageSize } : {}),
    ...(config.jobPoll
      ? { jobPoll: Object.fromEntries(Object.entries(config.jobPoll).filter(([, v]) => v !== undefined)) }
      : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  return {
    engine,
    store,
    adapter,
    source,
    mapping,
    client,
    close: async () => {
      await adapter.close?.();
      await store.close();
    },
  };
}

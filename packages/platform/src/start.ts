import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { API_VERSION, openapiDocument } from './api-spec';
import type { Context, ProgramSettings } from './context';
import { type Database, openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { sql } from './db/sql';
import { createApp } from './http/app';
import { answerClientError } from './http/client-error';
import { keepConnectionsAlive } from './http/keep-alive';
import { PostgresTokenStore } from './http/postgres-token-store';
import { bucketSize, MemoryRateLimiter, type RateLimitOptions } from './http/rate-limit';
import {
  purgeIdleRateLimitBuckets,
  RATE_LIMIT_BUCKET_IDLE_SECONDS,
  RATE_LIMIT_PURGE_EVERY_MS,
} from './http/rate-limit-retention';
import { RedisTokenStore } from './http/redis-token-store';
import { registerAssets, registerRoutes } from './http/routes';
import { SharedRateLimiter } from './http/shared-rate-limit';
import { SpecValidator } from './http/validation';
import { DataCipher } from './lib/crypto';
import { newId } from './lib/ids';
import { createLogger, type Logger } from './lib/logger';
import { startSpendRollups } from './reports/spend-rollup';
import { DEFAULT_CARD_REQUEST_POLICY } from './services/approval-policy';
import { EPHEMERAL_KEY_TTL_SECONDS, registerSecretKey } from './services/keys';
import { sandboxSecretKey } from './services/sandbox-key';
import { realtimeHook } from './webhooks/realtime';
import { DeliveryWorker } from './webhooks/worker';

/** Options of {@link startPlatform}. */
export interface PlatformOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; when absent (and no databaseUrl) the database lives in memory. */
  dataDir?: string;
  /**
   * Fixed sandbox secret key (`sk_test_…`); otherwise `OPENISSUING_API_KEY`; otherwise one generated
   * once per database and kept in it (encrypted), so a data folder keeps its key across restarts.
   */
  apiKey?: string;
  /** PostgreSQL schema (created if missing) — isolates tests sharing one database. */
  schema?: string;
  /** AES-256 key for card data (32 bytes, base64 or hex); default `OPENISSUING_DATA_KEY`, else a dev key kept in the database. */
  dataKey?: string;
  /**
   * Per-key rate limit. On PostgreSQL the bucket is shared by every process on the database; on the
   * embedded database it is in memory. @default { requestsPerSecond: 1000, burst: 2000 }
   */
  rateLimit?: RateLimitOptions;
  /** Webhook retry delays in ms after failed attempt 1, 2, …. @default the spec's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h */
  webhookRetryScheduleMs?: number[];
  /** How often the spend-report rollup job runs (milliseconds). @default 2000 */
  spendRollupIntervalMs?: number | undefined;
  /** How often the outbox is polled for due deliveries, in ms. @default 1000 */
  webhookPollIntervalMs?: number;
  /** Per-attempt webhook timeout in ms (the spec documents 15 s; tests shorten it). @default 15000 */
  webhookAttemptTimeoutMs?: number;
  /** Ephemeral key lifetime in seconds (the API documents 15 minutes; tests shorten it). @default 900 */
  ephemeralKeyTtlSeconds?: number;
  /**
   * The clock every service reads (card expiry, ephemeral-key lifetime, timestamps) — for tests that
   * move time forward instead of sleeping. @default () => new Date()
   * @example
   * let offset = 0;
   * const platform = await startPlatform({ now: () => new Date(Date.now() + offset) });
   * offset += 16 * 60 * 1000; // ephemeral keys made before now have expired
   */
  now?: () => Date;
  /** Program settings to apply at start (as PATCH /program would): webhook fallback and timeout, display origins. */
  program?: Partial<
    Pick<
      ProgramSettings,
      'authorization_webhook_fallback' | 'authorization_webhook_timeout_ms' | 'allowed_display_origins'
    >
  >;
  /**
   * Redis URL for the rate limiter's token buckets (shared by every process that uses it); takes
   * precedence over the PostgreSQL buckets. @default `OPENISSUING_REDIS_URL`
   */
  redisUrl?: string;
  /** Prefix of the rate limiter's Redis keys. @default `OPENISSUING_REDIS_KEY_PREFIX`, else 'openissuing:ratelimit:' */
  redisKeyPrefix?: string;
  /** PostgreSQL pool size. @default 20 */
  poolSize?: number;
  /**
   * PostgreSQL only: commit without waiting for the WAL flush. Much higher authorization
   * throughput; a PostgreSQL crash may lose the last fraction of a second of acknowledged writes.
   * @default false
   */
  asyncCommit?: boolean;
  /**
   * Structured logs: one line per request (method, path, status, duration, request id), webhook
   * deliveries and unexpected errors; never bodies, keys or card data.
   * @default a pino logger on stderr at `LOG_LEVEL` (else `warn`), JSON unless stderr is a terminal
   */
  logger?: Logger;
  /** Receives unexpected errors (never request bodies, PANs or secrets). @default the logger, at `error` */
  onError?: (error: unknown, requestId: string) => void;
}

/** A running platform. */
export interface Platform {
  /** Base URL, e.g. `http://127.0.0.1:53124` (paths have no /v1 prefix). */
  url: string;
  /** The sandbox secret key to send as `Authorization: Bearer …`. */
  apiKey: string;
  /** Stops the HTTP server, the webhook worker and closes the database. */
  close(): Promise<void>;
}

/** Program settings of a new sandbox. */
export const DEFAULT_PROGRAM = {
  authorization_webhook_fallback: 'decline',
  authorization_webhook_timeout_ms: 2000,
  allowed_display_origins: [] as string[],
  reporting_currency: 'usd',
  card_request_policy: DEFAULT_CARD_REQUEST_POLICY,
} as const;

async function loadDataKey(db: Database, explicit: string | undefined): Promise<DataCipher> {
  const fromEnv = explicit ?? process.env.OPENISSUING_DATA_KEY;
  if (fromEnv) return DataCipher.fromEnv(fromEnv);
  // Sandbox: a generated dev key, kept with the data so a restart (or a second process) can read it.
  const candidate = (await import('node:crypto')).randomBytes(32).toString('base64');
  const rows = await db.rows<{ data: { key: string } }>(sql`
    WITH ins AS (INSERT INTO program (id, data) VALUES ('dev_data_key', ${JSON.stringify({ key: candidate })}::jsonb)
                 ON CONFLICT (id) DO NOTHING RETURNING data)
    SELECT data FROM ins UNION ALL SELECT data FROM program WHERE id = 'dev_data_key' LIMIT 1`);
  return DataCipher.fromEnv(rows[0]?.data.key ?? candidate);
}

async function loadProgram(db: Database, initial: PlatformOptions['program']): Promise<ProgramSettings> {
  const rows = await db.rows<{ data: ProgramSettings }>(sql`SELECT data FROM program WHERE id = 'program'`);
  const program: ProgramSettings = {
    id: newId('program'),
    object: 'program',
    created_at: new Date().toISOString(),
    ...DEFAULT_PROGRAM,
    allowed_display_origins: [],
    ...(rows[0]?.data ?? {}),
    ...(initial ?? {}),
  };
  if (initial) {
    await db.rows(sql`INSERT INTO program (id, data) VALUES ('program', ${JSON.stringify(program)}::jsonb)
      ON CONFLICT (id) DO UPDATE SET data = program.data || ${JSON.stringify(initial)}::jsonb`);
  } else if (!rows[0]) {
    // Another process may create it at the same moment: keep whichever came first.
    await db.rows(
      sql`INSERT INTO program (id, data) VALUES ('program', ${JSON.stringify(program)}::jsonb) ON CONFLICT (id) DO NOTHING`,
    );
  } else {
    return program;
  }
  const saved = await db.rows<{ data: ProgramSettings }>(sql`SELECT data FROM program WHERE id = 'program'`);
  return saved[0] ? { ...DEFAULT_PROGRAM, ...saved[0].data } : program;
}

/**
 * Starts the OpenIssuing platform: migrates the database, starts the webhook worker and serves the
 * API on 127.0.0.1 (a random port by default).
 *
 * @example
 * import { startPlatform } from '@openissuing/platform';
 * const platform = await startPlatform();            // in-memory PGlite, random port
 * const res = await fetch(`${platform.url}/cards`, { headers: { Authorization: `Bearer ${platform.apiKey}` } });
 * await platform.close();
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const db = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    schema: options.schema,
    poolSize: options.poolSize,
    asyncCommit: options.asyncCommit,
  });
  let redis: RedisTokenStore | undefined;
  try {
    await migrate(db);
    await db.saveTemplate?.();
    const cipher = await loadDataKey(db, options.dataKey);
    let program = await loadProgram(db, options.program);
    let worker: DeliveryWorker | undefined;
    const log = options.logger ?? createLogger({ fallbackLevel: 'warn' });
    const ctx: Context = {
      db,
      cipher,
      now: options.now ?? (() => new Date()),
      notifyOutbox: () => worker?.kick(),
      endpointsChanged: () => worker?.endpointsChanged(),
      program: () => program,
      ephemeralKeyTtlSeconds: options.ephemeralKeyTtlSeconds ?? EPHEMERAL_KEY_TTL_SECONDS,
      log,
    };
    // Redis when configured; else on PostgreSQL the bucket every process shares; embedded: memory.
    const redisUrl = options.redisUrl ?? process.env.OPENISSUING_REDIS_URL;
    const bucketsInDatabase = !redisUrl && db.kind === 'postgres';
    const { rate, burst } = bucketSize(options.rateLimit);
    let lastBucketPurge = 0;
    worker = new DeliveryWorker(ctx, {
      // Program settings changed by another process sharing the database take effect within a poll.
      onPoll: async () => {
        const rows = await db.rows<{ data: ProgramSettings }>(
          sql`SELECT data FROM program WHERE id = 'program'`,
        );
        if (rows[0]) program = { ...DEFAULT_PROGRAM, ...rows[0].data };
        // Idle rate-limit buckets are full again: delete them now and then, a bounded batch.
        if (bucketsInDatabase && Date.now() - lastBucketPurge >= RATE_LIMIT_PURGE_EVERY_MS) {
          lastBucketPurge = Date.now();
          await purgeIdleRateLimitBuckets(db, Math.max(RATE_LIMIT_BUCKET_IDLE_SECONDS, burst / rate));
        }
      },
      ...(options.webhookRetryScheduleMs ? { retryScheduleMs: options.webhookRetryScheduleMs } : {}),
      ...(options.webhookPollIntervalMs ? { pollIntervalMs: options.webhookPollIntervalMs } : {}),
      ...(options.webhookAttemptTimeoutMs ? { attemptTimeoutMs: options.webhookAttemptTimeoutMs } : {}),
    });
    const apiKey = options.apiKey ?? process.env.OPENISSUING_API_KEY ?? (await sandboxSecretKey(db, cipher));
    if (!/^sk_test_[A-Za-z0-9_-]{8,}$/.test(apiKey)) {
      throw new Error(
        'apiKey (or OPENISSUING_API_KEY): a sandbox secret key looks like sk_test_ followed by at least 8 letters, digits, - or _, for example sk_test_local_sandbox_key.',
      );
    }
    await registerSecretKey(ctx, apiKey);
    const realtime = realtimeHook(ctx);
    redis = redisUrl
      ? new RedisTokenStore(redisUrl, options.redisKeyPrefix ?? process.env.OPENISSUING_REDIS_KEY_PREFIX)
      : undefined;
    // A shared store that fails makes the limiter fall back to this process's memory (never a 5xx).
    // The buckets refill on the platform's clock (options.now), so a test with a standing clock sees
    // exactly the burst and nothing that refilled while a slow machine served the requests.
    const platformNow = options.now;
    const nowMs = platformNow ? () => platformNow().getTime() : Date.now;
    const limiter = redis
      ? new SharedRateLimiter(redis, options.rateLimit, log, nowMs)
      : db.kind === 'postgres'
        ? new SharedRateLimiter(new PostgresTokenStore(db), options.rateLimit, log, nowMs)
        : new MemoryRateLimiter(options.rateLimit, nowMs);
    const { app, op, raw } = createApp({
      ctx,
      validator: new SpecValidator(openapiDocument as Record<string, unknown>),
      limiter,
      apiVersion: API_VERSION,
      onError:
        options.onError ??
        ((error, requestId) => log.error({ err: error, request_id: requestId }, 'unexpected error')),
    });
    registerAssets(app);
    const deliveries = worker;
    registerRoutes(op, raw, {
      ctx,
      realtime,
      attemptOptions: () => deliveries.attemptOptions,
      saveProgram: async (p) => {
        await db.rows(sql`UPDATE program SET data = ${JSON.stringify(p)}::jsonb WHERE id = 'program'`);
        program = p;
      },
    });
    const host = options.host ?? '127.0.0.1';
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve(
        { fetch: app.fetch, port: options.port ?? 0, hostname: host, overrideGlobalObjects: false },
        () => resolve(s),
      );
      s.once('error', reject);
    });
    server.on('clientError', answerClientError);
    keepConnectionsAlive(server as Server);
    worker.start();
    const rollups = startSpendRollups(db, {
      intervalMs: options.spendRollupIntervalMs ?? 2000,
      onError: (error) => log.error({ err: error }, 'spend rollup failed; retrying on the next run'),
    });
    const address = server.address() as AddressInfo;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    let closed = false;
    return {
      url: `http://${urlHost === '0.0.0.0' ? '127.0.0.1' : urlHost}:${address.port}`,
      apiKey,
      async close() {
        if (closed) return;
        closed = true;
        await worker?.stop();
        await rollups.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await redis?.close();
        await db.close();
      },
    };
  } catch (error) {
    await redis?.close();
    await db.close().catch(() => {});
    throw error;
  }
}

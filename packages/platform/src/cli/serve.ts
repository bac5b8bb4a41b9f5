import { type Command, UsageError } from './command';

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  memory: { type: 'boolean' },
  'data-dir': { type: 'string' },
  seed: { type: 'boolean' },
  'rate-limit': { type: 'string' },
  'async-commit': { type: 'boolean' },
  'pool-size': { type: 'string' },
} as const;

export const serve: Command<typeof options> = {
  name: 'serve',
  summary: 'run the sandbox platform (PGlite in a folder or in memory, or PostgreSQL)',
  usage: `Usage: openissuing serve [options]

Runs the sandbox issuing platform and prints its URL and secret key.

Options:
  --port <port>          TCP port (default 4100; 0 picks a free one)
  --host <host>          interface to bind (default 127.0.0.1)
  --data-dir <dir>       PGlite data folder (default .openissuing/data)
  --memory               keep the database in memory (gone when the process stops)
  --seed                 load the demo data set (cardholders, cards with spending controls)
  --rate-limit <req/s>   requests per second per key (default 1000, burst twice that)
  --async-commit         PostgreSQL: commit without waiting for the WAL flush — far higher
                         authorization throughput; a PostgreSQL crash can lose the last
                         fraction of a second of acknowledged writes
  --pool-size <n>        PostgreSQL connections at most (default 20), opened as needed and then
                         kept open; requests beyond it wait in the process, not in the database
  -h, --help             show this help
  -v, --version          show the version

Environment:
  DATABASE_URL            use PostgreSQL instead of the embedded PGlite
  OPENISSUING_API_KEY     fixed sandbox secret key (sk_test_ and at least 8 more letters, digits,
                          - or _); otherwise one is generated once per data folder (or database),
                          kept there, and printed on every start
  OPENISSUING_DATA_KEY    AES-256 key (base64 or hex) for card numbers; otherwise a dev key is kept
                          in the database
  OPENISSUING_POOL_SIZE   like --pool-size
  OPENISSUING_RATE_LIMIT  like --rate-limit (on PostgreSQL the limit is shared by every process)
  OPENISSUING_REDIS_URL   keep the rate-limit buckets in Redis instead (shared by every process);
                          OPENISSUING_REDIS_KEY_PREFIX sets their key prefix
  LOG_LEVEL               trace, debug, info (default), warn, error or silent; logs go to stderr,
                          as JSON lines unless stderr is a terminal

Examples:
  openissuing serve --memory --seed
  OPENISSUING_API_KEY=sk_test_local_sandbox_key openissuing serve --port 4100`,
  options,
  async run(values) {
    if (values.memory && values['data-dir'])
      throw new UsageError('--memory and --data-dir exclude each other; pick one.');
    const port = values.port ? Number(values.port) : 4100;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port: '${values.port}' is not a port number (0-65535).`);
    const dataDir = values.memory
      ? undefined
      : (values['data-dir'] ?? (process.env.DATABASE_URL ? undefined : '.openissuing/data'));
    const rate = values['rate-limit'] ?? process.env.OPENISSUING_RATE_LIMIT;
    const requestsPerSecond = rate ? Number(rate) : undefined;
    if (requestsPerSecond !== undefined && !(requestsPerSecond > 0)) {
      throw new UsageError(`--rate-limit: '${rate}' is not a positive number of requests per second.`);
    }
    const pool = values['pool-size'] ?? process.env.OPENISSUING_POOL_SIZE;
    const poolSize = pool ? Number(pool) : undefined;
    if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize >= 1 && poolSize <= 1000)) {
      throw new UsageError(`--pool-size: '${pool}' is not a whole number of connections from 1 to 1000.`);
    }
    // Loaded here, not at the top: `--help` and the other commands start without the database stack.
    const [{ createLogger }, { startPlatform }, { seedDemoData }] = await Promise.all([
      import('../lib/logger'),
      import('../start'),
      import('../seed'),
    ]);
    const logger = createLogger({ fallbackLevel: 'info' });
    const platform = await startPlatform({
      port,
      logger,
      ...(requestsPerSecond ? { rateLimit: { requestsPerSecond } } : {}),
      ...(values['async-commit'] ? { asyncCommit: true } : {}),
      ...(poolSize ? { poolSize } : {}),
      host: values.host ?? '127.0.0.1',
      ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
      ...(dataDir ? { dataDir } : {}),
    });
    const storage = process.env.DATABASE_URL
      ? 'PostgreSQL (DATABASE_URL)'
      : dataDir
        ? `PGlite in ${dataDir}`
        : 'PGlite in memory';
    logger.info({ url: platform.url, storage }, 'listening');
    console.log(`OpenIssuing sandbox listening on ${platform.url}  (${storage})`);
    if (!process.env.OPENISSUING_API_KEY)
      console.log(
        dataDir || process.env.DATABASE_URL
          ? `Secret key: ${platform.apiKey}   (kept with the data: the same on every start; OPENISSUING_API_KEY overrides it)`
          : `Secret key: ${platform.apiKey}   (in memory: a new one each start; set OPENISSUING_API_KEY to fix it)`,
      );
    if (values.seed) {
      const seeded = await seedDemoData(platform);
      console.log(`Seeded demo data: ${Object.keys(seeded.cards).length} cards for 2 cardholders.`);
    }
    const stop = async () => {
      await platform.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return await new Promise<number>(() => {});
  },
};

#!/usr/bin/env node
/**
 * `openissuing` — run the sandbox platform.
 *
 *   openissuing serve [--port 4100] [--host 127.0.0.1] [--memory | --data-dir <dir>]
 *   openissuing seed  [--url http://127.0.0.1:4100] (uses OPENISSUING_API_KEY)
 *
 * DATABASE_URL selects PostgreSQL; OPENISSUING_API_KEY fixes the sandbox secret key (otherwise one
 * is generated and printed); OPENISSUING_DATA_KEY is the AES-256 key for card data.
 */
import { parseArgs } from 'node:util';
import { seedDemoData } from './seed';
import { startPlatform } from './start';

const USAGE = `Usage:
  openissuing serve [--port <p>] [--host <h>] [--memory | --data-dir <dir>] [--seed] [--rate-limit <req/s>] [--async-commit]
  openissuing seed  [--url <platform url>]

Environment:
  DATABASE_URL          use PostgreSQL instead of the embedded PGlite
  OPENISSUING_API_KEY   fixed sandbox secret key (sk_test_…); otherwise one is generated and printed
  OPENISSUING_DATA_KEY  AES-256 key (base64 or hex) for card numbers; otherwise a dev key is kept in the database
  OPENISSUING_RATE_LIMIT  requests per second per key (default 1000; burst twice that)

--async-commit (PostgreSQL): commit without waiting for the WAL flush — far higher authorization
throughput; a PostgreSQL crash can lose the last fraction of a second of acknowledged writes.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      memory: { type: 'boolean' },
      'data-dir': { type: 'string' },
      seed: { type: 'boolean' },
      'rate-limit': { type: 'string' },
      'async-commit': { type: 'boolean' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'serve') {
    if (values.memory && values['data-dir'])
      throw new Error('--memory and --data-dir exclude each other; pick one.');
    const port = values.port ? Number(values.port) : 4100;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port: '${values.port}' is not a port number (0-65535).`);
    const dataDir = values.memory
      ? undefined
      : (values['data-dir'] ?? (process.env.DATABASE_URL ? undefined : '.openissuing/data'));
    const rate = values['rate-limit'] ?? process.env.OPENISSUING_RATE_LIMIT;
    const requestsPerSecond = rate ? Number(rate) : undefined;
    if (requestsPerSecond !== undefined && !(requestsPerSecond > 0)) {
      throw new Error(`--rate-limit: '${rate}' is not a positive number of requests per second.`);
    }
    const platform = await startPlatform({
      port,
      ...(requestsPerSecond ? { rateLimit: { requestsPerSecond } } : {}),
      ...(values['async-commit'] ? { asyncCommit: true } : {}),
      host: values.host ?? '127.0.0.1',
      ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
      ...(dataDir ? { dataDir } : {}),
    });
    const storage = process.env.DATABASE_URL
      ? 'PostgreSQL (DATABASE_URL)'
      : dataDir
        ? `PGlite in ${dataDir}`
        : 'PGlite in memory';
    console.log(`OpenIssuing sandbox listening on ${platform.url}  (${storage})`);
    if (!process.env.OPENISSUING_API_KEY)
      console.log(`Secret key: ${platform.apiKey}   (set OPENISSUING_API_KEY to keep it fixed)`);
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
  }
  if (command === 'seed') {
    const apiKey = process.env.OPENISSUING_API_KEY;
    if (!apiKey) throw new Error('seed: set OPENISSUING_API_KEY to the secret key the server printed.');
    const url = values.url ?? 'http://127.0.0.1:4100';
    const seeded = await seedDemoData({ url, apiKey });
    console.log(JSON.stringify(seeded, null, 2));
    return 0;
  }
  console.error(`Unknown command '${command}'.\n${USAGE}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, seedCard, TEST_DATABASE_URL, uniqueSchema } from './helpers';

// A real `openissuing serve` process on PostgreSQL: afterwards every table of its schema and
// everything it printed are searched for the card data and secrets the flow handled.
const schema = uniqueSchema('secrets');
const apiKey = 'sk_test_secrets_suite_key_9f3b2c1d';
let child: ChildProcess;
let output = '';
let api: Client;
let baseUrl: string;
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  expect(existsSync(cli), 'build the package first (npm run build -w @openissuing/platform)').toBe(true);
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();

  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  child = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
    env: { ...process.env, DATABASE_URL: url.toString(), OPENISSUING_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`platform exited (${code}): ${output}`)));
  });
  api = client({ url: baseUrl, apiKey, close: async () => {} });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function everyRowOfTheSchema(): Promise<string> {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    const tables = await db.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    expect(tables.rows.length).toBeGreaterThan(3);
    let dump = '';
    for (const { table_name } of tables.rows) {
      const rows = await db.query(`SELECT * FROM "${schema}"."${table_name}"`);
      dump += `${table_name}: ${JSON.stringify(rows.rows)}\n`;
    }
    return dump;
  } finally {
    await db.end();
  }
}

describe('secrets and card data', () => {
  it('are stored encrypted or hashed, and never printed', async () => {
    const { card } = await seedCard(api);
    const key = await api.post('/ephemeral_keys', { card: card.id });
    expect(key.status).toBe(201);
    const ephemeralSecret: string = key.body.secret;
    const details = await client({ url: baseUrl, apiKey: ephemeralSecret, close: async () => {} }).get(
      `/cards/${card.id}/details`,
    );
    expect(details.status).toBe(200);
    const pan: string = details.body.number;
    const cvc: string = details.body.cvc;
    expect(pan).toMatch(/^\d{16}$/);

    const endpoint = await api.post('/webhook_endpoints', { url: receiverUrl, enabled_events: ['*'] });
    expect(endpoint.status).toBe(201);
    const firstSecret: string = endpoint.body.secret;
    const rotated = await api.post(`/webhook_endpoints/${endpoint.body.id}/rotate_secret`, {});
    expect(rotated.status).toBe(200);
    const secondSecret: string = rotated.body.secret;
    expect(firstSecret).toMatch(/^whsec_/);
    expect(secondSecret).not.toBe(firstSecret);

    // Activity that reaches the webhook worker and the error paths: a signed delivery and bad input
    // that carries a card number where it does not belong.
    await api.post('/cardholders', { type: 'individual', name: 'Grace Hopper', email: 'grace@example.com' });
    const bad = await api.post('/cards', { cardholder: card.cardholder, type: 'virtual', currency: pan });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'parameter_invalid', param: 'currency' });
    expect(JSON.stringify(bad.body)).not.toContain(pan);

    const dump = await everyRowOfTheSchema();
    expect(dump).toContain(card.id); // the dump really holds the platform's data
    expect(dump).toContain(card.last4);
    expect(dump).toMatch(/v1\.[\w-]+\.[\w-]+\.[\w-]+/); // AES-GCM sealed values are there instead
    for (const [what, secret] of [
      ['PAN', pan],
      ['secret key', apiKey],
      ['ephemeral key', ephemeralSecret],
      ['first webhook secret', firstSecret],
      ['rotated webhook secret', secondSecret],
    ] as const) {
      expect(dump.includes(secret), `${what} stored in plain text`).toBe(false);
    }
    expect(dump).not.toMatch(new RegExp(`"cvc"\\s*:\\s*"?${cvc}`));

    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(output).toContain('listening on');
    for (const secret of [pan, apiKey, ephemeralSecret, firstSecret, secondSecret]) {
      expect(output.includes(secret), 'a secret reached the platform output').toBe(false);
    }
  });
});

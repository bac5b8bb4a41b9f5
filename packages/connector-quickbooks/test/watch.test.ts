import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSyncCli } from '@openissuing/connector-core/testing';
import { startPlatform } from '@openissuing/platform';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { startQuickBooksEmulator } from '../src/testing/index.js';
import { bookings, mapping } from './helpers.js';

const connectorModule = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('openissuing-sync watch', () => {
  it('keeps pulling new platform transactions from its cursor and stops cleanly on SIGTERM', async () => {
    const platform = await startPlatform();
    cleanup.push(() => platform.close());
    const qbo = await startQuickBooksEmulator({ limits: { windowMs: 2000 } });
    cleanup.push(() => qbo.close());
    const dir = await mkdtemp(join(tmpdir(), 'oi-qbo-watch-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
    await writeFile(join(dir, 'tokens.json'), JSON.stringify(qbo.emulator.issueTokens()));
    await writeFile(
      join(dir, 'openissuing-sync.json'),
      JSON.stringify({
        mapping: './mapping.json',
        source: { platform: { baseUrl: platform.url, apiKeyEnv: 'OPENISSUING_API_KEY' } },
        state: { memory: true },
        connector: {
          module: connectorModule,
          options: {
            realmId: qbo.emulator.realmId,
            endpoint: qbo.endpoint,
            tokenUrl: qbo.tokenUrl,
            tokenFile: './tokens.json',
          },
        },
      }),
    );
    const client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
    await client.topups.create({ amount: 10_000_000, currency: 'usd' });
    const holder = await client.cardholders.create({
      type: 'individual',
      name: 'Alan Turing',
      email: 'alan@example.com',
    });
    const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
    const spend = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const auth = await client.testHelpers.authorizations.create({
          card: card.id,
          amount: 1_000 + i,
          merchant_data: { name: 'Figma', mcc: '5734', country: 'US' },
        });
        await client.testHelpers.authorizations.capture(auth.id, {});
      }
    };
    await spend(3);

    const { child, done } = startSyncCli(['watch', '--interval', '1'], {
      dir,
      env: {
        OPENISSUING_API_KEY: platform.apiKey,
        QUICKBOOKS_CLIENT_ID: qbo.emulator.clientId,
        QUICKBOOKS_CLIENT_SECRET: qbo.emulator.clientSecret,
      },
    });
    const exited = done.then((r) => r.code);
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });

    await until('the first 3 purchases', () => qbo.emulator.purchases().length === 3);
    await spend(4);
    await until('all 7 purchases', () => qbo.emulator.purchases().length === 7);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const booked = bookings(qbo.emulator.purchases());
    for await (const t of client.transactions.list({ limit: 100 })) expect(booked.get(t.id)).toBe(1);
    expect(booked.size).toBe(7);
  });
});

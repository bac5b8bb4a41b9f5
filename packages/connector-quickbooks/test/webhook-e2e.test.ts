import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookConsumer, type PlatformEvent } from '@openissuing/connector-core';
import { startPlatform } from '@openissuing/platform';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startQuickBooksEmulator } from '../src/testing/index.js';
import { adapterFor, bookings, closeStores, mapping, memoryStore, must, SyncEngine } from './helpers.js';

let platform: Awaited<ReturnType<typeof startPlatform>>;
let qbo: RunningEmulator;
let receiver: Server;
const deliveries: Array<{ body: string; headers: Record<string, string> }> = [];
let consume: ((body: string, headers: Record<string, string>) => Promise<{ ingested: number }>) | null = null;

beforeAll(async () => {
  platform = await startPlatform();
  qbo = await startQuickBooksEmulator({ limits: { windowMs: 2000 } });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = req.headers as Record<string, string>;
      deliveries.push({ body, headers });
      if (!consume) return void res.writeHead(503).end();
      consume(body, headers).then(
        () => res.writeHead(204).end(),
        (err: Error) => res.writeHead(400).end(err.message),
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await qbo?.close();
  await platform?.close();
  await closeStores();
});

describe('end to end via transaction.created webhooks', () => {
  it('books each transaction pushed by a signed webhook exactly once, ignoring redeliveries', async () => {
    const client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
    const { port } = receiver.address() as AddressInfo;
    const endpoint = await client.webhookEndpoints.create({
      url: `http://127.0.0.1:${port}/hooks`,
      enabled_events: ['transaction.created'],
    });
    const secret = String((endpoint as { secret?: string }).secret);
    expect(secret).toMatch(/^whsec_/);

    const store = await memoryStore();
    const engine = new SyncEngine({ adapter: adapterFor(qbo), store, mapping });
    consume = createWebhookConsumer({
      engine,
      unwrap: (body, headers) => client.webhooks.unwrap(body, headers, secret) as Promise<PlatformEvent>,
    });

    await client.topups.create({ amount: 10_000_000, currency: 'usd' });
    const holder = await client.cardholders.create({
      type: 'individual',
      name: 'Grace Hopper',
      email: 'grace@example.com',
    });
    const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
    for (let i = 0; i < 6; i++) {
      const auth = await client.testHelpers.authorizations.create({
        card: card.id,
        amount: 2_000 + i * 111,
        merchant_data: { name: i % 2 ? 'AWS' : 'Google Ads', mcc: i % 2 ? '4816' : '7311', country: 'US' },
      });
      await client.testHelpers.authorizations.capture(auth.id, {});
    }
    // wait for the platform's outbox to deliver all six
    for (let i = 0; i < 300 && (await store.counts()).pending < 6; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await store.counts()).pending).toBe(6);

    // a redelivery of the same event is verified again and ignored
    const first = must(
      deliveries.find((d) => d.body.includes('transaction.created')),
      'a transaction.created delivery',
    );
    expect(await consume(first.body, first.headers)).toEqual({ type: 'transaction.created', ingested: 0 });
    // a forged delivery is refused
    await expect(consume(first.body.replace('capture', 'refund'), first.headers)).rejects.toMatchObject({
      name: 'WebhookVerificationError',
      reason: 'no_matching_signature',
    });

    await engine.drain();
    const txs = [];
    for await (const t of client.transactions.list({ limit: 100 })) txs.push(t);
    const booked = bookings(qbo.emulator.purchases());
    expect(txs).toHaveLength(6);
    for (const t of txs) expect(booked.get(t.id)).toBe(1);
    await store.close();
  });
});

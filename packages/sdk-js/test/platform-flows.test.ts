import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTRIES, MCCS, prng, randomControls } from '../../decision-engine/test/corpus';
import {
  type Authorization,
  type Card,
  type Cardholder,
  categoryForMcc,
  createAuthorizationHandler,
  evaluateSpendingControls,
  OpenIssuing,
  parseWebhookEvent,
  type SpendingControlsInput,
  spendingWindowStart,
  webhooks,
} from '../src/index.node';
import { type Sandbox, seedCard, startSandbox } from './helpers/platform';
import { serveFetchHandler, startFlakyProxy } from './helpers/servers';

let sandbox: Sandbox;
let client: OpenIssuing;

beforeAll(async () => {
  sandbox = await startSandbox();
  client = sandbox.client;
});
afterAll(() => sandbox?.close());

describe('a retried POST after a dropped connection', () => {
  it('creates one card, not two: the retry reuses the Idempotency-Key and gets the stored response', async () => {
    const proxy = await startFlakyProxy(sandbox.platform.url, /^POST \/cards /);
    try {
      const viaProxy = new OpenIssuing({ apiKey: sandbox.platform.apiKey, baseUrl: proxy.url });
      const holder = await viaProxy.cardholders.create({
        type: 'individual',
        name: 'Retry',
        email: 'r@example.com',
      });
      const { data: card, response } = await viaProxy.cards
        .create({ cardholder: holder.id, type: 'virtual', currency: 'usd' })
        .withResponse();

      const posts = proxy.requests.filter((r) => r.startsWith('POST /cards '));
      expect(posts).toHaveLength(2); // the first answer was lost, the SDK retried once
      const keys = posts.map((r) => /idempotency-key: (.+)/i.exec(r)?.[1]);
      expect(keys[0]).toBeTruthy();
      expect(keys[1]).toBe(keys[0]);
      expect(response.headers.get('idempotent-replayed')).toBe('true');
      const cards = (await client.cards.list({ cardholder: holder.id })).data;
      expect(cards.map((c) => c.id)).toEqual([card.id]);
    } finally {
      await proxy.close();
    }
  });

  it('without retries the caller sees a ConnectionError (and the card exists once)', async () => {
    const proxy = await startFlakyProxy(sandbox.platform.url, /^POST \/cards /);
    try {
      const viaProxy = new OpenIssuing({
        apiKey: sandbox.platform.apiKey,
        baseUrl: proxy.url,
        maxRetries: 0,
      });
      const holder = await client.cardholders.create({
        type: 'individual',
        name: 'NoRetry',
        email: 'n@example.com',
      });
      await expect(
        viaProxy.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' }),
      ).rejects.toMatchObject({ name: 'ConnectionError' });
      expect((await client.cards.list({ cardholder: holder.id })).data).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});

describe('evaluateSpendingControls predicts the real platform', () => {
  interface Tracked {
    card: string;
    cardholder: string;
    amount: number;
    mcc: string;
    created_at: string;
  }

  function usageFor(
    controls: Card['spending_controls'] | Cardholder['spending_controls'] | undefined,
    approved: Tracked[],
    now: Date,
  ) {
    const limits = (controls?.spending_limits ?? []).map((limit) => {
      const start = spendingWindowStart(limit.interval, now);
      if (!start) return 0;
      return approved
        .filter((a) => new Date(a.created_at) >= start)
        .filter((a) => !limit.categories?.length || limit.categories.includes(categoryForMcc(a.mcc)))
        .reduce((sum, a) => sum + a.amount, 0);
    });
    const window = controls?.velocity?.window_seconds ?? 0;
    const velocity_count = approved.filter(
      (a) => new Date(a.created_at).getTime() > now.getTime() - window * 1000,
    ).length;
    return { limits, velocity_count };
  }

  it('matches reason, control and message on every authorization of a generated workload', async () => {
    const r = prng(424242);
    await client.topups.create({ amount: 60_000, currency: 'usd' });
    const cards: Card[] = [];
    for (let h = 0; h < 8; h++) {
      const holder = await client.cardholders.create({
        type: 'individual',
        name: `Holder ${h}`,
        email: `h${h}@example.com`,
        ...(r.chance(0.6) ? { spending_controls: randomControls(r, true) ?? {} } : {}),
      } as never);
      for (let c = 0; c < 2; c++) {
        const usage = h === 0 ? 'single_use' : h === 1 ? 'merchant_locked' : 'reusable';
        cards.push(
          await client.cards.create({
            cardholder: holder.id,
            type: 'virtual',
            currency: 'usd',
            usage,
            ...(r.chance(0.7) ? { spending_controls: randomControls(r, true) ?? {} } : {}),
          } as never),
        );
      }
    }
    const expiring = (await seedCard(client, { expires_at: new Date(Date.now() + 800).toISOString() }, {}, 0))
      .card;
    await client.cards.freeze((cards[4] as Card).id);
    await client.cards.cancel((cards[6] as Card).id);
    await client.cardholders.update((cards[8] as Card).cardholder, { status: 'inactive' });
    // Let the platform's sweep cancel the expired card first, so its state cannot change mid-step.
    for (let i = 0; i < 100 && (await client.cards.retrieve(expiring.id)).status !== 'canceled'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    cards.push(expiring);
    const plain = { mcc: '5734', country: 'US', network_id: 'acme' };
    const limited = (
      await seedCard(
        client,
        { spending_controls: { spending_limits: [{ amount: 2_000, interval: 'daily' }] } },
        {},
        0,
      )
    ).card;
    const throttled = (
      await seedCard(
        client,
        { spending_controls: { velocity: { max_authorizations: 1, window_seconds: 3600 } } },
        {},
        0,
      )
    ).card;
    const free = (await seedCard(client, {}, {}, 0)).card;
    // Scripted first (each decline reason at least once), then a random workload.
    const plan: Array<{ card: Card; amount?: number; merchant?: typeof plain }> = [
      { card: expiring },
      { card: limited, amount: 1_500, merchant: plain },
      { card: limited, amount: 1_500, merchant: plain },
      { card: throttled, amount: 100, merchant: plain },
      { card: throttled, amount: 100, merchant: plain },
      { card: free, amount: 9_000_000, merchant: plain },
      ...Array.from({ length: 110 }, () => ({ card: r.pick(cards) })),
    ];

    const approved: Tracked[] = [];
    const reasons = new Set<string>();
    const mismatches: string[] = [];
    for (const [i, step] of plan.entries()) {
      const card = await client.cards.retrieve(step.card.id);
      const cardholder = await client.cardholders.retrieve(card.cardholder);
      const balance = await client.balance.retrieve();
      const merchant = step.merchant ?? {
        mcc: r.pick(MCCS),
        country: r.pick(COUNTRIES),
        network_id: r.pick(['acme', 'globex']),
      };
      if (i === 80) await client.topups.create({ amount: 3_000, currency: 'usd' });
      const available =
        i === 80 ? undefined : (balance.available.find((m) => m.currency === 'usd')?.amount ?? 0);
      const auth: Authorization = await client.testHelpers.authorizations.create({
        card: card.id,
        amount: step.amount ?? r.int(1, 3_000),
        merchant_data: { name: 'Merchant', ...merchant },
      });
      if (available === undefined) continue; // balance changed under us; skip predicting this one
      const now = new Date(auth.created_at);
      const input: SpendingControlsInput = {
        now,
        amount: auth.amount,
        currency: card.currency,
        merchant,
        card: {
          status: card.status,
          cancellation_reason: card.cancellation_reason,
          usage: card.usage,
          exp_month: card.exp_month,
          exp_year: card.exp_year,
          expires_at: card.expires_at,
          spending_controls: card.spending_controls,
          locked_merchant: card.locked_merchant,
          single_use_consumed: approved.some((a) => a.card === card.id),
        },
        cardholder: { status: cardholder.status, spending_controls: cardholder.spending_controls },
        usage: {
          card: usageFor(
            card.spending_controls,
            approved.filter((a) => a.card === card.id),
            now,
          ),
          cardholder: usageFor(
            cardholder.spending_controls,
            approved.filter((a) => a.cardholder === cardholder.id),
            now,
          ),
        },
        balance_available: available,
      };
      const predicted = evaluateSpendingControls(input);
      const actual = auth.decision;
      reasons.add(actual.reason);
      if (
        predicted.reason !== actual.reason ||
        predicted.control !== actual.control ||
        predicted.message !== actual.message ||
        predicted.approved !== auth.approved
      ) {
        mismatches.push(`#${i} platform ${JSON.stringify(actual)} sdk ${JSON.stringify(predicted)}`);
      }
      if (auth.approved) {
        approved.push({
          card: card.id,
          cardholder: cardholder.id,
          amount: auth.amount,
          mcc: merchant.mcc,
          created_at: auth.created_at,
        });
      }
    }
    expect(mismatches).toEqual([]);
    expect([...reasons].sort()).toEqual(
      expect.arrayContaining([
        'approved',
        'card_canceled',
        'card_expired',
        'card_frozen',
        'category_blocked',
        'country_blocked',
        'insufficient_funds',
        'merchant_locked',
        'single_use_consumed',
        'spending_limit',
        'velocity_limit',
      ]),
    );
  }, 120_000); // a few hundred sequential requests: ~10 s on a quiet machine, over 30 s when it is shared
});

describe('webhook deliveries from the platform', () => {
  interface Delivery {
    headers: IncomingHttpHeaders;
    body: string;
  }
  let server: Server;
  let url: string;
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function waitFor(predicate: (d: Delivery) => boolean): Promise<Delivery> {
    for (let i = 0; i < 200; i++) {
      const hit = deliveries.find(predicate);
      if (hit) return hit;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('no matching delivery arrived');
  }

  it('unwraps signed deliveries into typed events, and keeps verifying across a secret rotation', async () => {
    const endpoint = await client.webhookEndpoints.create({ url, enabled_events: ['cardholder.created'] });
    const secret = endpoint.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const holder = await client.cardholders.create({
      type: 'company',
      name: 'Hooked',
      email: 'hook@example.com',
    });
    const delivery = await waitFor((d) => d.body.includes(holder.id));
    const event = await webhooks.unwrap(delivery.body, delivery.headers, secret);
    expect(event.type).toBe('cardholder.created');
    expect(parseWebhookEvent(event)).toEqual(event); // the platform's payload matches the spec's schema
    if (event.type === 'cardholder.created') expect(event.data.object.id).toBe(holder.id);
    await expect(
      webhooks.unwrap(delivery.body, delivery.headers, `${secret.slice(0, -4)}AAA=`),
    ).rejects.toMatchObject({
      reason: 'no_matching_signature',
    });

    const rotated = await client.webhookEndpoints.rotateSecret(endpoint.id, { expires_in_seconds: 3600 });
    const newSecret = rotated.secret as string;
    expect(newSecret).not.toBe(secret);
    const next = await client.cardholders.create({
      type: 'company',
      name: 'Rotated',
      email: 'rot@example.com',
    });
    const after = await waitFor((d) => d.body.includes(next.id));
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(2);
    await expect(webhooks.unwrap(after.body, after.headers, newSecret)).resolves.toMatchObject({
      type: 'cardholder.created',
    });
    await expect(webhooks.unwrap(after.body, after.headers, secret)).resolves.toMatchObject({
      type: 'cardholder.created',
    });
    await client.webhookEndpoints.delete(endpoint.id);
  });
});

describe('createAuthorizationHandler answering the platform in real time', () => {
  it('approves, declines with a reason, and falls back when decide throws or is too slow', async () => {
    const errors: unknown[] = [];
    let handler: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
    const server = await serveFetchHandler((request) => handler(request));
    try {
      const endpoint = await client.webhookEndpoints.create({
        url: server.url,
        enabled_events: ['authorization.request'],
      });
      handler = createAuthorizationHandler(
        async (authorization) => {
          if (authorization.amount === 1313) throw new Error('risk service down');
          if (authorization.amount === 4242) await new Promise((resolve) => setTimeout(resolve, 1_500));
          return authorization.amount <= 5_000 || { approved: false, reason: 'Over 50.00 needs a manager' };
        },
        {
          secret: endpoint.secret as string,
          timeoutMs: 300,
          fallback: 'decline',
          onError: (e) => errors.push(e),
        },
      );
      const { card } = await seedCard(client);
      const authorize = (amount: number) =>
        client.testHelpers.authorizations.create({
          card: card.id,
          amount,
          merchant_data: { name: 'Shop', mcc: '5734', country: 'US' },
        });
      expect((await authorize(100)).decision.reason).toBe('approved');
      expect((await authorize(9_000)).decision).toMatchObject({
        reason: 'webhook_declined',
        message: 'Over 50.00 needs a manager',
      });
      const thrown = await authorize(1313);
      expect(thrown).toMatchObject({ approved: false, decision: { reason: 'webhook_declined' } });
      const slow = await authorize(4242);
      expect(slow).toMatchObject({ approved: false, decision: { reason: 'webhook_declined' } });
      expect(errors.map(String).join('\n')).toMatch(/risk service down[\s\S]*300 ms/);
      await client.webhookEndpoints.delete(endpoint.id);
    } finally {
      await server.close();
    }
  });
});

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOptions } from '../src/index';
import { authorize, type Client, seedCard, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';
import { eventually } from './receiver';

// Issue #12: on the embedded database (PGlite, one connection) the real-time authorization webhook
// was awaited inside the authorization's transaction, so one slow webhook held every other request
// — 64 authorizations in flight took up to 6.6 s each. The webhook is now asked outside it.
// Issue #15: PostgreSQL mode still asked inside, holding the card's lock and a pool connection for
// up to 2 s; it now asks outside too. With a one-connection pool it shows the same way.

const schema = uniqueSchema('rt_outside');
const modes: Array<{ name: string; options: PlatformOptions; cleanup?: () => Promise<void> }> = [
  { name: 'embedded (PGlite)', options: {} },
  {
    name: 'PostgreSQL, a one-connection pool',
    options: { databaseUrl: TEST_DATABASE_URL, schema, poolSize: 1 },
    cleanup: async () => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  },
];

describe.each(modes)('real-time webhook asked outside the transaction: $name', (mode) => {
  let platform: Awaited<ReturnType<typeof start>>['platform'];
  let api: Client;
  const held: Array<{ res: ServerResponse; body: string }> = [];
  /** Questions open at the webhook right now, and the most at once. */
  const open = { now: 0, max: 0 };
  let server: ReturnType<typeof createServer>;

  beforeAll(async () => {
    ({ platform, api } = await start({
      ...mode.options,
      program: { authorization_webhook_timeout_ms: 2000 },
    }));
    // A webhook that answers only when the test says so.
    server = createServer((req, res) => {
      open.now += 1;
      open.max = Math.max(open.max, open.now);
      res.on('close', () => {
        open.now -= 1;
      });
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => held.push({ res, body }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realtime`;
    expect(
      (await api.post('/webhook_endpoints', { url, enabled_events: ['authorization.request'] })).status,
    ).toBe(201);
  });
  afterAll(async () => {
    for (const h of held) h.res.destroy();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await platform.close();
    await mode.cleanup?.();
  });

  const answer = (approved: boolean) => {
    for (const h of held.splice(0)) {
      h.res.writeHead(200, { 'content-type': 'application/json' });
      h.res.end(JSON.stringify({ approved }));
    }
  };

  it('is asked about several authorizations at once, and other requests are served meanwhile', async () => {
    const cards = [];
    for (let i = 0; i < 4; i++) cards.push((await seedCard(api, {}, {}, i === 0 ? 1_000_000 : 0)).card);
    open.max = 0;
    const pending = cards.map((c) => authorize(api, c.id, 1_000));
    // All the questions are open at the webhook together (they used to queue one behind the other,
    // each holding the one connection until answered or timed out, so never two were open at once).
    await eventually(() => open.now === cards.length);
    const balance = await api.get('/balance');
    expect(balance.status).toBe(200);
    expect(open.now).toBe(cards.length); // served while every question is still unanswered
    const sent = held.map((h) => JSON.parse(h.body) as { id: string; data: { object: { id: string } } });
    answer(true);
    const results = await Promise.all(pending);
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ approved: true, status: 'pending' });
    }
    // The authorizations the webhook was asked about are the ones recorded, with the very events sent.
    const ids = results.map((r) => r.body.id as string).sort();
    expect(sent.map((e) => e.data.object.id).sort()).toEqual(ids);
    const events = (await api.get('/events?type=authorization.request&limit=100')).body.data as Array<{
      id: string;
      data: { object: { id: string } };
    }>;
    const recorded = events.filter((e) => ids.includes(e.data.object.id));
    expect(recorded.map((e) => e.id).sort()).toEqual(sent.map((e) => e.id).sort());
  });

  it('a decline by the webhook is recorded, and a limit used up while it was asked still declines', async () => {
    const { card } = await seedCard(
      api,
      { spending_controls: { spending_limits: [{ amount: 1_500, interval: 'daily' }] } },
      {},
      0,
    );
    const first = authorize(api, card.id, 1_000);
    const second = authorize(api, card.id, 1_000);
    await eventually(() => open.now === 2);
    answer(true);
    const results = await Promise.all([first, second]);
    const approved = results.filter((r) => r.body.approved);
    expect(approved).toHaveLength(1);
    expect(results.find((r) => !r.body.approved)?.body.decision.reason).toBe('spending_limit');

    const other = (await seedCard(api, {}, {}, 0)).card;
    const declined = authorize(api, other.id, 500);
    await eventually(() => open.now === 1);
    answer(false);
    expect((await declined).body).toMatchObject({
      approved: false,
      decision: { reason: 'webhook_declined' },
    });
  });
});

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { PlatformOptions } from '../src/index';
import { authorize, seedCard, start, TEST_DATABASE_URL, uniqueSchema } from './helpers';
import { eventually, startReceiver } from './receiver';

// Issue #12: in embedded mode the real-time webhook is asked outside the authorization's
// transaction, and the decision is taken again under the lock. An authorization declined in that
// second decision (a limit used up while the webhook was asked) left the `authorization.request`
// event it had been sent unrecorded. In both modes, every question the webhook receives is now an
// event in the list, and the events delivered to other endpoints are the same.
// Issue #15: PostgreSQL mode asked inside the card's lock (the card's second authorization waited
// for the first one's webhook, holding a pool connection); it now asks outside, like embedded mode.

interface Mode {
  name: string;
  options: () => PlatformOptions;
  cleanup?: () => Promise<void>;
}

const schema = uniqueSchema('rt_events');
const modes: Mode[] = [
  { name: 'embedded (PGlite)', options: () => ({}) },
  {
    name: 'PostgreSQL',
    options: () => ({ databaseUrl: TEST_DATABASE_URL, schema }),
    cleanup: async () => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  },
];

/** A real-time webhook that holds its questions until released, then approves each at once. */
async function heldWebhook() {
  const held: ServerResponse[] = [];
  const questions: Array<{ id: string; data: { object: { id: string } } }> = [];
  let released = false;
  const approve = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"approved":true}');
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      questions.push(JSON.parse(body));
      if (released) approve(res);
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/realtime`,
    questions,
    held,
    release() {
      released = true;
      for (const res of held.splice(0)) approve(res);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe.each(modes)('real-time webhook questions are recorded events: $name', (mode) => {
  it('records the question of an authorization declined after the webhook was asked', async () => {
    const webhook = await heldWebhook();
    const others = await startReceiver();
    const { platform, api } = await start({
      ...mode.options(),
      program: { authorization_webhook_timeout_ms: 2000 },
    });
    try {
      const realtime = await api.post('/webhook_endpoints', {
        url: webhook.url,
        enabled_events: ['authorization.request'],
      });
      expect(realtime.status).toBe(201);
      expect((await api.post('/webhook_endpoints', { url: others.url, enabled_events: ['*'] })).status).toBe(
        201,
      );
      const { card } = await seedCard(
        api,
        { spending_controls: { spending_limits: [{ amount: 1_500, interval: 'daily' }] } },
        {},
        1_000_000,
      );
      // Two authorizations of one card that the limit allows only one of: both are asked about at
      // once, since neither holds the card's lock while its webhook thinks.
      const pending = [authorize(api, card.id, 1_000), authorize(api, card.id, 1_000)];
      await eventually(() => webhook.held.length === 2);
      webhook.release();
      const results = await Promise.all(pending);
      for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
      const approved = results.filter((r) => r.body.approved);
      const declined = results.filter((r) => !r.body.approved);
      expect(approved).toHaveLength(1);
      expect(declined).toHaveLength(1);
      expect(declined[0]?.body.decision.reason).toBe('spending_limit');
      const ids = results.map((r) => r.body.id as string);

      // Every question the webhook received is an authorization.request event, with the same id and
      // object — and nothing else is. That includes the declined authorization.
      const listed = (await api.get('/events?type=authorization.request&limit=100')).body.data as Array<{
        id: string;
        data: { object: { id: string } };
      }>;
      expect(webhook.questions).toHaveLength(2);
      expect(listed.map((e) => e.id).sort()).toEqual(webhook.questions.map((q) => q.id).sort());
      for (const q of webhook.questions) {
        const event = listed.find((e) => e.id === q.id);
        expect(event?.data.object).toEqual(q.data.object);
        expect(ids).toContain(q.data.object.id);
      }
      expect(webhook.questions.map((q) => q.data.object.id)).toContain(declined[0]?.body.id);

      // Both authorizations are created events, delivered to the other endpoint; a question never is.
      const created = (await api.get('/events?type=authorization.created&limit=100')).body.data as Array<{
        data: { object: { id: string; approved: boolean } };
      }>;
      expect(created.map((e) => e.data.object.id).sort()).toEqual([...ids].sort());
      const delivered = () =>
        others.received.map((r) => JSON.parse(r.body) as { type: string; data: { object: { id: string } } });
      await eventually(
        () => delivered().filter((e) => e.type === 'authorization.created').length === ids.length,
      );
      expect(
        delivered()
          .filter((e) => e.type.startsWith('authorization.'))
          .map((e) => `${e.type} ${e.data.object.id}`)
          .sort(),
      ).toEqual(ids.map((id) => `authorization.created ${id}`).sort());
    } finally {
      await platform.close();
      await webhook.close();
      await others.close();
      await mode.cleanup?.();
    }
  });
});

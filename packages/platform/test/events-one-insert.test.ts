import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database';
import { eventsCte } from '../src/services/events';

// Several events of one statement go into ONE events INSERT and one outbox INSERT (eventsCte):
// each event is written as if alone — its envelope, its scope columns, its condition — and each
// subscribed endpoint gets one delivery per queued event, never one for authorization.request.

describe('eventsCte: several events in one INSERT (embedded database)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({});
    await db.rows(sql`INSERT INTO webhook_endpoints (id, status, created_at, secret_encrypted, data) VALUES
      ('we_all', 'enabled', now(), 'x', '{"enabled_events": ["*"]}'),
      ('we_cards', 'enabled', now(), 'x', '{"enabled_events": ["card.updated"]}'),
      ('we_off', 'disabled', now(), 'x', '{"enabled_events": ["*"]}')`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('writes each event once, with its own envelope, and queues one delivery per subscriber', async () => {
    const now = new Date('2026-12-01T10:00:00.000Z');
    const card = { id: 'ic_1', object: 'card', effective_dimensions: { department: 'ads' } };
    const { ids, cte } = eventsCte([
      {
        type: 'authorization.created',
        object: sql`x.data`,
        now,
        from: sql`FROM (SELECT '{"id": "iauth_1", "dimensions": {"team": "a"}}'::jsonb AS data) x`,
      },
      { type: 'authorization.request', object: { id: 'iauth_1', dimensions: {} }, now },
      { type: 'card.updated', object: card, now, previous_attributes: { locked_merchant: null } },
      // Conditional on an empty CTE: not written.
      { type: 'balance.updated', object: sql`'{}'::jsonb`, now, from: sql`FROM (SELECT 1 WHERE false) t` },
    ]);
    await db.rows(sql`WITH ${cte} SELECT 1`);
    const events = await db.rows<{
      id: string;
      type: string;
      data: Record<string, unknown>;
      object_id: string | null;
      dimensions: unknown;
    }>(sql`SELECT id, type, data, object_id, dimensions FROM events ORDER BY id`);
    expect(events.map((e) => e.id)).toEqual(ids.slice(0, 3));
    expect(events.map((e) => [e.type, e.object_id, e.dimensions])).toEqual([
      ['authorization.created', 'iauth_1', { team: 'a' }],
      ['authorization.request', 'iauth_1', {}],
      ['card.updated', 'ic_1', { department: 'ads' }],
    ]);
    expect(events[0]?.data).toEqual({
      id: ids[0],
      object: 'event',
      type: 'authorization.created',
      created_at: now.toISOString(),
      api_version: expect.any(String),
      data: { object: { id: 'iauth_1', dimensions: { team: 'a' } } },
    });
    expect((events[2]?.data as { data: unknown } | undefined)?.data).toEqual({
      object: card,
      previous_attributes: { locked_merchant: null },
    });
    const deliveries = await db.rows<{ endpoint_id: string; type: string }>(
      sql`SELECT o.endpoint_id, e.type FROM webhook_outbox o JOIN events e ON e.id = o.event_id ORDER BY 1, 2`,
    );
    expect(deliveries.map((d) => `${d.endpoint_id} ${d.type}`)).toEqual([
      'we_all authorization.created',
      'we_all card.updated',
      'we_cards card.updated',
    ]);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorize,
  type Client,
  client,
  type Json,
  seedCard,
  start,
  TEST_DATABASE_URL,
  uniqueSchema,
} from './helpers';

// A scoped key's events list on a long history: the scope is a condition on the event row's own
// `dimensions` (GIN-indexed), not a lookup of each event's object. On PostgreSQL, with a history
// of 20,000 events beside the real ones, and the real write paths for the rest.
const schema = uniqueSchema('events_many');
let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;
let scoped: Client;
const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
type Obj = Record<string, Json>;

async function scopedEvents(): Promise<Obj[]> {
  const out: Obj[] = [];
  let cursor = '';
  for (;;) {
    const page = (await scoped.get(`/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).body;
    out.push(...page.data);
    if (!page.has_more) return out;
    cursor = page.next_cursor;
  }
}

beforeAll(async () => {
  ({ platform, api } = await start({ databaseUrl: TEST_DATABASE_URL, schema }));
  await db.connect();
  const key = await api.post('/api_keys', {
    name: 'Marketing events',
    permissions: ['events:read'],
    dimension_scope: { department: 'marketing' },
  });
  scoped = client(platform, key.body.secret);
});
afterAll(async () => {
  await platform?.close();
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.end();
});

describe('events list under a dimension scope, many events', () => {
  it('lists exactly the in-scope events of a 20,000-event history, through every page, and follows moves', async () => {
    const m = await seedCard(api, {}, { dimensions: { department: 'marketing' } });
    const s = await seedCard(api, {}, { dimensions: { department: 'sales' } }, 0);
    for (const card of [m.card.id, s.card.id]) {
      const a = await authorize(api, card, 1_000);
      await api.post(`/test_helpers/authorizations/${a.body.id}/capture`, {});
    }
    // History: 20,000 more events, copies (new ids, earlier times) of the two authorizations'
    // `authorization.created` events, one in five of marketing's, with the columns as written.
    await db.query(
      `INSERT INTO ${schema}.events (id, type, created_at, data, object_id, dimensions)
       SELECT 'evt_Hist' || g, e.type, e.created_at - g * interval '1 second',
         e.data || jsonb_build_object('id', 'evt_Hist' || g,
           'created_at', to_char((e.created_at - g * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
         e.object_id, e.dimensions
       FROM generate_series(1, 20000) g
       JOIN ${schema}.events e ON e.type = 'authorization.created'
         AND e.dimensions->>'department' = CASE WHEN g % 5 = 0 THEN 'marketing' ELSE 'sales' END`,
    );
    await db.query(`ANALYZE ${schema}.events`);
    const all = (await db.query(`SELECT id, dimensions FROM ${schema}.events`)).rows;
    const expected = all
      .filter((r) => r.dimensions?.department === 'marketing')
      .map((r) => r.id)
      .sort();
    expect(expected.length).toBeGreaterThan(4_000);

    const listed = await scopedEvents();
    expect(listed.map((e) => e.id).sort()).toEqual(expected);
    const types = new Set(listed.map((e) => e.type));
    for (const t of ['cardholder.created', 'card.created', 'authorization.created', 'transaction.created'])
      expect(types, t).toContain(t);
    expect(types).not.toContain('topup.created');
    expect(types).not.toContain('balance.updated');
    expect(JSON.stringify(listed)).not.toContain(s.card.id);

    // Moving the sales cardholder into marketing brings its own and its card's events along.
    await api.patch(`/cardholders/${s.cardholder.id}`, { dimensions: { department: 'marketing' } });
    const moved = await scopedEvents();
    const ids = new Set(moved.map((e) => e.data.object.id));
    expect(ids).toContain(s.cardholder.id);
    expect(ids).toContain(s.card.id);
    // Its authorization keeps the snapshot it was made with (sales), as transactions do.
    const salesAuth = (await api.get(`/authorizations?card=${s.card.id}`)).body.data[0];
    expect(ids).not.toContain(salesAuth.id);
  });
});

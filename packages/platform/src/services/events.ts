import { SQL, sql } from 'drizzle-orm';
import { API_VERSION } from '../api-spec';
import type { Queryable } from '../db/database';
import { newId } from '../lib/ids';

export interface PlatformEvent {
  id: string;
  object: 'event';
  type: string;
  created_at: string;
  api_version: string;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
}

/**
 * SQL CTEs that record an event and enqueue one outbox row per enabled webhook endpoint subscribed
 * to its type (or to `*`, which never includes `authorization.request`). Compose them into one
 * statement with other CTEs (`WITH a AS (…), ${cte} SELECT 1`) so a change and its event are written
 * in a single round trip. `object` is a JSON value or a jsonb SQL expression; `from` (e.g. `FROM b`)
 * makes the event conditional on rows of another CTE, which the expression may reference. Give each
 * event in one statement its own `alias`.
 */
export function eventCte(
  type: string,
  object: unknown,
  now: Date,
  previous_attributes?: Record<string, unknown>,
  from: SQL = sql``,
  alias = 'ev',
): { id: string; cte: SQL } {
  const id = newId('event');
  // Fixed aliases keep the statement text constant, so the server can reuse its plan.
  const e = sql.identifier(`${alias}_e`);
  const o = sql.identifier(`${alias}_o`);
  const createdAt = now.toISOString();
  const objectSql: SQL = object instanceof SQL ? object : sql`${JSON.stringify(object)}::jsonb`;
  const dataSql = previous_attributes
    ? sql`jsonb_build_object('object', ${objectSql}, 'previous_attributes', ${JSON.stringify(previous_attributes)}::jsonb)`
    : sql`jsonb_build_object('object', ${objectSql})`;
  const deliver = type !== 'authorization.request';
  const cte = sql`${e} AS (
      INSERT INTO events (id, type, created_at, data)
      SELECT ${id}, ${type}, ${createdAt}::timestamptz,
        jsonb_build_object('id', ${id}::text, 'object', 'event', 'type', ${type}::text, 'created_at', ${createdAt}::text,
                           'api_version', ${API_VERSION}::text, 'data', ${dataSql})
      ${from}
      RETURNING id
    ),
    ${o} AS (
      INSERT INTO webhook_outbox (id, endpoint_id, event_id, status, next_attempt_at, created_at)
      SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, ${e}.id, 'pending', ${createdAt}::timestamptz, ${createdAt}::timestamptz
      FROM webhook_endpoints w, ${e}
      WHERE ${deliver}::boolean AND w.status = 'enabled'
        AND (w.data->'enabled_events' ? ${type}::text OR (w.data->'enabled_events' ? '*' AND ${type}::text <> 'authorization.request'))
    )`;
  return { id, cte };
}

/** Records an event (and its outbox rows) in its own statement, inside the caller's transaction. */
export async function emitEvent(
  q: Queryable,
  type: string,
  object: unknown,
  now: Date,
  previous_attributes?: Record<string, unknown>,
): Promise<{ id: string; created_at: string }> {
  const { id, cte } = eventCte(type, object, now, previous_attributes);
  await q.rows(sql`WITH ${cte} SELECT 1`);
  return { id, created_at: now.toISOString() };
}

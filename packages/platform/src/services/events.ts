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

/** The Balance object (all currencies), as a SQL expression evaluated inside the transaction. */
export const BALANCE_OBJECT_SQL = sql`(SELECT jsonb_build_object(
    'object', 'balance',
    'available', coalesce(jsonb_agg(jsonb_build_object('amount', available, 'currency', currency) ORDER BY currency), '[]'::jsonb),
    'pending', coalesce(jsonb_agg(jsonb_build_object('amount', pending, 'currency', currency) ORDER BY currency), '[]'::jsonb))
  FROM balances)`;

/**
 * Records an event and, in the same statement, enqueues one outbox row per enabled webhook
 * endpoint subscribed to its type (or to `*`, which never includes `authorization.request`).
 * Runs inside the caller's transaction, so the event exists exactly when the change that caused it does.
 * `object` is a JSON value, or a SQL expression yielding jsonb (see {@link BALANCE_OBJECT_SQL}).
 */
export async function emitEvent(
  q: Queryable,
  type: string,
  object: unknown,
  now: Date,
  previous_attributes?: Record<string, unknown>,
  options: { deliver?: boolean } = {},
): Promise<{ id: string; created_at: string }> {
  const id = newId('event');
  const createdAt = now.toISOString();
  const objectSql: SQL = object instanceof SQL ? object : sql`${JSON.stringify(object)}::jsonb`;
  const dataSql = previous_attributes
    ? sql`jsonb_build_object('object', ${objectSql}, 'previous_attributes', ${JSON.stringify(previous_attributes)}::jsonb)`
    : sql`jsonb_build_object('object', ${objectSql})`;
  const deliver = options.deliver ?? type !== 'authorization.request';
  await q.rows(sql`
    WITH e AS (
      INSERT INTO events (id, type, created_at, data)
      VALUES (${id}, ${type}, ${createdAt}::timestamptz,
        jsonb_build_object('id', ${id}::text, 'object', 'event', 'type', ${type}::text, 'created_at', ${createdAt}::text,
                           'api_version', ${API_VERSION}::text, 'data', ${dataSql}))
      RETURNING id
    )
    INSERT INTO webhook_outbox (id, endpoint_id, event_id, status, next_attempt_at, created_at)
    SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, e.id, 'pending', ${createdAt}::timestamptz, ${createdAt}::timestamptz
    FROM webhook_endpoints w, e
    WHERE ${deliver}::boolean AND w.status = 'enabled'
      AND (w.data->'enabled_events' ? ${type}::text OR (w.data->'enabled_events' ? '*' AND ${type}::text <> 'authorization.request'))
  `);
  return { id, created_at: createdAt };
}

/** Emits `balance.updated` with the whole Balance object as it is inside the transaction. */
export function emitBalanceUpdated(q: Queryable, now: Date) {
  return emitEvent(q, 'balance.updated', BALANCE_OBJECT_SQL, now);
}

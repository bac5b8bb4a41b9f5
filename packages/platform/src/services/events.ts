import { SQL, sql } from 'drizzle-orm';
import { API_VERSION } from '../api-spec';
import type { Queryable } from '../db/database';
import { newId } from '../lib/ids';
import { eventScopeColumns } from './event-dimensions';

export interface PlatformEvent {
  id: string;
  object: 'event';
  type: string;
  created_at: string;
  api_version: string;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
}

/**
 * The outbox CTE of an event CTE: one delivery per enabled endpoint subscribed to its type or to
 * `*`, as ONE set-based INSERT … SELECT joined to the event's RETURNING row (no per-row trigger).
 * `authorization.request` is a synchronous question and is never queued.
 */
function outboxCte(type: string, event: SQL | ReturnType<typeof sql.identifier>, alias: string): SQL | null {
  if (type === 'authorization.request') return null;
  return sql`${sql.identifier(`${alias}_o`)} AS (
      INSERT INTO webhook_outbox (id, endpoint_id, event_id, status, next_attempt_at, created_at)
      SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, e.id, 'pending', e.created_at, e.created_at
      FROM ${event} e JOIN webhook_endpoints w
        ON w.status = 'enabled' AND (w.data->'enabled_events' ? e.type OR w.data->'enabled_events' ? '*'))`;
}

/**
 * A SQL CTE that records an event and enqueues its webhook deliveries in the same statement
 * ({@link outboxCte}) — the transactional outbox. Compose it into one
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
  /** A fixed event id (an embedded-mode authorization records the id its webhook was sent). */
  fixedId?: string,
): { id: string; cte: SQL } {
  const id = fixedId ?? newId('event');
  const e = sql.identifier(`${alias}_e`);
  const createdAt = now.toISOString();
  const [objectId, dimensions] = eventScopeColumns(type, object);
  if (!(object instanceof SQL)) {
    // A plain value: the whole envelope is serialised here, keeping the statement short.
    const event: PlatformEvent = {
      id,
      object: 'event',
      type,
      created_at: createdAt,
      api_version: API_VERSION,
      data: previous_attributes ? { object, previous_attributes } : { object },
    };
    const cte = sql`${e} AS (
      INSERT INTO events (id, type, created_at, data, object_id, dimensions)
      SELECT ${id}, ${type}, ${createdAt}::timestamptz, ${JSON.stringify(event)}::jsonb, ${objectId}, ${dimensions} ${from}
      RETURNING id, type, created_at)`;
    return { id, cte: withOutbox(cte, type, e, alias) };
  }
  const dataSql = previous_attributes
    ? sql`jsonb_build_object('object', ${object}, 'previous_attributes', ${JSON.stringify(previous_attributes)}::jsonb)`
    : sql`jsonb_build_object('object', ${object})`;
  const cte = sql`${e} AS (
      INSERT INTO events (id, type, created_at, data, object_id, dimensions)
      SELECT ${id}, ${type}, ${createdAt}::timestamptz,
        jsonb_build_object('id', ${id}::text, 'object', 'event', 'type', ${type}::text, 'created_at', ${createdAt}::text,
                           'api_version', ${API_VERSION}::text, 'data', ${dataSql}),
        ${objectId}, ${dimensions}
      ${from}
      RETURNING id, type, created_at)`;
  return { id, cte: withOutbox(cte, type, e, alias) };
}

function withOutbox(cte: SQL, type: string, event: Parameters<typeof outboxCte>[1], alias: string): SQL {
  const outbox = outboxCte(type, event, alias);
  return outbox ? sql`${cte}, ${outbox}` : cte;
}

/** Records an event (and its outbox rows) in its own statement, inside the caller's transaction. */
export async function emitEvent(
  q: Queryable,
  type: string,
  object: unknown,
  now: Date,
  previous_attributes?: Record<string, unknown>,
  fixedId?: string,
): Promise<{ id: string; created_at: string }> {
  const { id, cte } = eventCte(type, object, now, previous_attributes, sql``, 'ev', fixedId);
  await q.rows(sql`WITH ${cte} SELECT 1`);
  return { id, created_at: now.toISOString() };
}

import { SQL } from 'drizzle-orm';
import { API_VERSION } from '../api-spec';
import type { Queryable } from '../db/database';
import { sql } from '../db/sql';
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

/** One event to record: its type and object, and when the statement writes it. */
export interface EventSpec {
  type: string;
  /** A JSON value, or a jsonb SQL expression (which may reference the CTE named in `from`). */
  object: unknown;
  now: Date;
  previous_attributes?: Record<string, unknown> | undefined;
  /** E.g. sql`FROM b`: the event is written once per row of that CTE (none when it is empty). */
  from?: SQL | undefined;
  /**
   * The event's id, when minted beforehand (ids sort in minting order: mint it where the event
   * happens) or fixed (an embedded-mode authorization records the id its webhook was sent).
   * Minted by {@link eventsCte} when absent.
   */
  id?: string | undefined;
}

/**
 * The outbox CTE of an events CTE: one delivery per enabled endpoint subscribed to an event's type
 * or to `*`, as ONE set-based INSERT … SELECT joined to the events' RETURNING rows (no per-row
 * trigger). `authorization.request` is a synchronous question and is never queued.
 */
function outboxCte(
  types: readonly string[],
  events: ReturnType<typeof sql.identifier>,
  alias: string,
): SQL | null {
  const queued = types.filter((t) => t !== 'authorization.request');
  if (queued.length === 0) return null;
  const skipQuestions = queued.length < types.length ? sql` WHERE e.type <> 'authorization.request'` : sql``;
  return sql`${sql.identifier(`${alias}_o`)} AS (
      INSERT INTO webhook_outbox (id, endpoint_id, event_id, status, next_attempt_at, created_at)
      SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, e.id, 'pending', e.created_at, e.created_at
      FROM ${events} e JOIN webhook_endpoints w
        ON w.status = 'enabled' AND (w.data->'enabled_events' ? e.type OR w.data->'enabled_events' ? '*')${skipQuestions})`;
}

/** The row one event adds to the events INSERT: `SELECT id, type, created_at, data, object_id, dimensions …`. */
function eventRow(spec: EventSpec, id: string): SQL {
  const { type, object, now, previous_attributes } = spec;
  const from = spec.from ?? sql``;
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
    return sql`SELECT ${id}::text, ${type}::text, ${createdAt}::timestamptz, ${JSON.stringify(event)}::jsonb, (${objectId})::text, ${dimensions} ${from}`;
  }
  const dataSql = previous_attributes
    ? sql`jsonb_build_object('object', ${object}, 'previous_attributes', ${JSON.stringify(previous_attributes)}::jsonb)`
    : sql`jsonb_build_object('object', ${object})`;
  return sql`SELECT ${id}::text, ${type}::text, ${createdAt}::timestamptz,
        jsonb_build_object('id', ${id}::text, 'object', 'event', 'type', ${type}::text, 'created_at', ${createdAt}::text,
                           'api_version', ${API_VERSION}::text, 'data', ${dataSql}),
        (${objectId})::text, ${dimensions}
      ${from}`;
}

/**
 * SQL CTEs that record events and enqueue their webhook deliveries in the same statement
 * ({@link outboxCte}) — the transactional outbox: ONE events INSERT for all of them (their rows
 * joined by UNION ALL) and one outbox INSERT, however many events. Compose it into one statement
 * with other CTEs (`WITH a AS (…), ${cte} SELECT 1`) so a change and its events are written in a
 * single round trip. Give each events CTE of one statement its own `alias`.
 *
 * @example
 * const { ids, cte } = eventsCte([
 *   { type: 'authorization.created', object: sql`a.data`, now, from: sql`FROM a` },
 *   { type: 'balance.updated', object: balanceSql, now, from: sql`FROM t` },
 * ]);
 * await tx.rows(sql`WITH a AS (…), t AS (…), ${cte} SELECT 1`);
 */
export function eventsCte(events: readonly EventSpec[], alias = 'ev'): { ids: string[]; cte: SQL } {
  const ids = events.map((e) => e.id ?? newId('event'));
  const e = sql.identifier(`${alias}_e`);
  const rows = events.map((spec, i) => eventRow(spec, ids[i] as string));
  const insert = sql`${e} AS (
      INSERT INTO events (id, type, created_at, data, object_id, dimensions)
      ${sql.join(rows, sql` UNION ALL `)}
      RETURNING id, type, created_at)`;
  const outbox = outboxCte(
    events.map((x) => x.type),
    e,
    alias,
  );
  return { ids, cte: outbox ? sql`${insert}, ${outbox}` : insert };
}

/**
 * One event's CTE ({@link eventsCte} with one event). `object` is a JSON value or a jsonb SQL
 * expression; `from` (e.g. `FROM b`) makes the event conditional on rows of another CTE, which the
 * expression may reference.
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
  const { ids, cte } = eventsCte([{ type, object, now, previous_attributes, from, id: fixedId }], alias);
  return { id: ids[0] as string, cte };
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

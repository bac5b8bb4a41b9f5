import { SQL } from 'drizzle-orm';
import { sql } from '../db/sql';

/**
 * Which field of an event's object holds the dimensions that scope it, by the object kind an event
 * type starts with (`card.updated` → `card`). Events about any other kind (top-ups, the balance, the
 * program, webhook endpoints) get none, so a scoped key never sees them.
 *
 * The event row stores those dimensions (column `events.dimensions`, GIN-indexed, migration 0014)
 * and the object's id (`events.object_id`), so a scoped key's events list is one indexed condition,
 * `dimensions @> scope`, instead of a lookup of each event's object. Only cardholders and cards can
 * change dimensions later; {@link refreshEventDimensions} keeps their events current in the same
 * transaction, so an event still follows its object's scope as that object is now. Those refreshes
 * name the event kind (`split_part(type, '.', 1) = 'card'`): only a card's own events carry its id, so
 * that changes no row, and it lets them use `events_object`, which since migration 0016 holds only
 * card and cardholder events.
 */
const DIMENSIONS_FIELD: Readonly<Record<string, string>> = {
  cardholder: 'dimensions',
  card: 'effective_dimensions',
  authorization: 'dimensions',
  transaction: 'dimensions',
  card_request: 'dimensions',
  budget: 'selector',
};

/** The dimensions field of the objects of an event type, or undefined for program-wide objects. */
function fieldOf(type: string): string | undefined {
  return DIMENSIONS_FIELD[type.slice(0, type.indexOf('.'))];
}

/**
 * The `object_id` and `dimensions` columns of an event about `object` (a plain value or a jsonb SQL
 * expression), as two SQL values for the events INSERT.
 *
 * @example
 * eventScopeColumns('card.created', card); // [sql`'ic_…'`, sql`'{"department":"marketing"}'::jsonb`]
 */
export function eventScopeColumns(type: string, object: unknown): [SQL, SQL] {
  const field = fieldOf(type);
  if (!field) return [sql`NULL`, sql`NULL::jsonb`];
  if (object instanceof SQL) return [sql`(${object})->>'id'`, sql`(${object})->${field}`];
  const o = object as Record<string, unknown>;
  const dims = o[field];
  return [sql`${String(o.id)}`, dims == null ? sql`NULL::jsonb` : sql`${JSON.stringify(dims)}::jsonb`];
}

/**
 * Re-stamps the events of objects whose dimensions changed: the cardholder's own events and those
 * of each of its cards (from their refreshed `effective_dimensions`), or one card's events. Run it in
 * the transaction of the change, after the cards are updated.
 */
export function refreshEventDimensions(
  change:
    | { cardholder: string; dimensions: Record<string, string> }
    | { card: string; effective: Record<string, string> },
): SQL[] {
  if ('card' in change) {
    return [
      sql`UPDATE events SET dimensions = ${JSON.stringify(change.effective)}::jsonb
        WHERE object_id = ${change.card} AND split_part(type, '.', 1) = 'card'`,
    ];
  }
  return [
    sql`UPDATE events SET dimensions = ${JSON.stringify(change.dimensions)}::jsonb
      WHERE object_id = ${change.cardholder} AND split_part(type, '.', 1) = 'cardholder'`,
    sql`UPDATE events e SET dimensions = c.data->'effective_dimensions'
      FROM cards c WHERE c.cardholder_id = ${change.cardholder} AND e.object_id = c.id AND split_part(e.type, '.', 1) = 'card'`,
  ];
}

/**
 * Scope columns on events, and the cards' `effective_dimensions`.
 *
 * - `cards.data.effective_dimensions`: the cardholder's dimensions merged with the card's own (the
 *   card's win), shown on the card and kept current by card and cardholder updates
 *   (services/dimensions.ts). Backfilled here for existing cards.
 * - `events.object_id` and `events.dimensions`: the id and the scoping dimensions of the object an
 *   event is about (services/event-dimensions.ts), so a scoped key's events list is one GIN-indexed
 *   `dimensions @> scope` condition instead of a lookup of each event's object. NULL dimensions
 *   (top-ups, the balance, the program) are never in a scope. Backfilled from the objects as they are
 *   now, which is what the per-row lookup answered.
 */
export const sql = /* sql */ `
UPDATE cards c SET data = jsonb_set(c.data, '{effective_dimensions}',
    coalesce(h.data->'dimensions', '{}'::jsonb) || coalesce(c.data->'dimensions', '{}'::jsonb))
  FROM cardholders h WHERE h.id = c.cardholder_id;

ALTER TABLE events ADD COLUMN object_id text, ADD COLUMN dimensions jsonb;
UPDATE events SET object_id = data->'data'->'object'->>'id'
  WHERE split_part(type, '.', 1) IN ('cardholder', 'card', 'authorization', 'transaction', 'card_request', 'budget');
UPDATE events e SET dimensions = h.data->'dimensions' FROM cardholders h
  WHERE e.object_id = h.id AND split_part(e.type, '.', 1) = 'cardholder';
UPDATE events e SET dimensions = c.data->'effective_dimensions' FROM cards c
  WHERE e.object_id = c.id AND split_part(e.type, '.', 1) = 'card';
UPDATE events e SET dimensions = a.data->'dimensions' FROM authorizations a
  WHERE e.object_id = a.id AND split_part(e.type, '.', 1) = 'authorization';
UPDATE events e SET dimensions = t.data->'dimensions' FROM transactions t
  WHERE e.object_id = t.id AND split_part(e.type, '.', 1) = 'transaction';
UPDATE events e SET dimensions = r.dimensions FROM card_requests r
  WHERE e.object_id = r.id AND split_part(e.type, '.', 1) = 'card_request';
UPDATE events e SET dimensions = b.selector FROM budgets b
  WHERE e.object_id = b.id AND split_part(e.type, '.', 1) = 'budget';

CREATE INDEX events_object ON events (object_id) WHERE object_id IS NOT NULL;
CREATE INDEX events_dimensions ON events USING gin (dimensions jsonb_path_ops);
`;

/**
 * A smaller events write per authorization (issue #15): `events_object` holds only the events the
 * one query that reads it can match. Its readers are the dimension refreshes of
 * `services/event-dimensions.ts` (`object_id = <card id>` for card events, `= <cardholder id>` for
 * cardholder events, each also saying `split_part(type, '.', 1) = 'card' | 'cardholder'`, which keeps
 * this partial index usable). An event's `object_id` is its own object's id, so only `card.*` events
 * carry a card's id and only `cardholder.*` events a cardholder's: every row those queries update is
 * still in the index. `authorization.created`, transactions', budgets' and card requests' events —
 * one per authorization on the hot path — no longer write an index entry (~150 B of WAL each).
 */
export const sql = /* sql */ `
DROP INDEX events_object;
CREATE INDEX events_object ON events (object_id)
  WHERE object_id IS NOT NULL AND split_part(type, '.', 1) IN ('card', 'cardholder');
`;

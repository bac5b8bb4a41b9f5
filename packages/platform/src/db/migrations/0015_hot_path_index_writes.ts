/**
 * Fewer index and page writes per authorization (issue #15), with every read they serve kept:
 *
 * - `usage_counters` leaves 30 % of each page free (fillfactor 70), so the running counters' upserts
 *   stay heap-only (HOT) also for rows that were written densely (a busy card's or a backfill's):
 *   no new primary-key entry, and no dead key versions for the next read to step over.
 * - `authorizations_budget_pending` (GIN) holds only pending authorizations that count against a
 *   budget: the budget usage read (`budget_ids @> ARRAY[…]`) never matches a NULL array, and most
 *   approvals have none, so an approval no longer inserts a GIN "null item".
 * - `events_dimensions` (GIN) holds only events whose object has dimensions: a scoped key's
 *   `dimensions @> scope` (access/scope.ts, which also says `dimensions <> '{}'`) never matches NULL or
 *   `{}` — a scope always has a pair — so `balance.updated` and the events of objects without
 *   dimensions write no GIN entry.
 */
export const sql = /* sql */ `
ALTER TABLE usage_counters SET (fillfactor = 70);

DROP INDEX authorizations_budget_pending;
CREATE INDEX authorizations_budget_pending ON authorizations USING gin (budget_ids)
  WHERE status = 'pending' AND budget_ids IS NOT NULL;

DROP INDEX events_dimensions;
CREATE INDEX events_dimensions ON events USING gin (dimensions jsonb_path_ops)
  WHERE dimensions IS NOT NULL AND dimensions <> '{}'::jsonb;
`;

import { COUNTER_SHARDS } from './0007_counter_shards';

/**
 * A budget's allowance spread over {@link COUNTER_SHARDS} rows (see `budgets/shards.ts`), so the
 * approvals of the many cards under one budget do not queue on one row: an approval claims room on
 * the shard of its card only (the same shard its budget counters take). Row `(budget_id, shard)`
 * holds, per limit of the budget, what that shard may still approve (`rooms`, aligned with the
 * budget's `limits`), valid only under `key` — a digest of the limits, the alert threshold and each
 * limit's current window. A key that does not match (new budget, changed limits, a new day or
 * month) has no room: the authorization is decided with every shard locked and rewrites them.
 * Existing budgets get their rows with an empty key.
 *
 * `budget_generation` is one row whose `n` rises with every budget creation or change, so a process
 * can match budgets from its cached catalog and know in one row read whether it is current
 * (`budgets/catalog.ts`).
 */
export const sql = /* sql */ `
CREATE TABLE budget_shards (
  budget_id text NOT NULL REFERENCES budgets (id),
  shard smallint NOT NULL,
  key text NOT NULL DEFAULT '',
  rooms bigint[] NOT NULL DEFAULT '{}' CHECK (0 <= ALL (rooms)),
  PRIMARY KEY (budget_id, shard)
) WITH (fillfactor = 50);

INSERT INTO budget_shards (budget_id, shard)
SELECT b.id, g.shard FROM budgets b CROSS JOIN generate_series(0, ${COUNTER_SHARDS - 1}) AS g(shard);

CREATE TABLE budget_generation (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  n bigint NOT NULL
);
INSERT INTO budget_generation (n) VALUES (0);
`;

/**
 * Budgets (migration 0008), and the daily spend rollups behind `GET /reports/spend`.
 *
 * `spend_rollups` holds, per UTC day, card currency and grouping (`kind`: none, category, merchant,
 * card, cardholder, or `dim:<key>` for each dimension key), the net captured amount and the capture and
 * refund counts. The rollup job (reports/spend-rollup.ts) moves transactions into it in batches and
 * marks them `rolled_up` in the same database transaction, so any one statement sees every transaction
 * exactly once: either in a rollup row or still unrolled (found through the partial index).
 */
export const sql = /* sql */ `
CREATE TABLE budgets (
  id text PRIMARY KEY,
  status text NOT NULL,
  currency text NOT NULL,
  selector jsonb NOT NULL,
  alerts jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX budgets_list ON budgets (created_at DESC, id DESC);
CREATE INDEX budgets_active ON budgets (currency, id) WHERE status = 'active';

-- The active budgets an approved authorization counts against (so a reversal or expiry releases
-- exactly those), or NULL when none matched.
ALTER TABLE authorizations ADD COLUMN budget_ids text[];
CREATE INDEX authorizations_budget_pending ON authorizations USING gin (budget_ids) WHERE status = 'pending';

-- Raised by the budget guard of an optimistic authorization (budgets/authorize.ts) when a budget's
-- usage or set changed since it was read: the authorization is redone with the budget rows locked.
CREATE FUNCTION oi_budget_recheck() RETURNS int LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'budget usage changed; redo the authorization with the budget rows locked' USING ERRCODE = 'OIB01';
END
$fn$;

CREATE TABLE spend_rollups (
  kind text NOT NULL,
  day date NOT NULL,
  grp text NOT NULL,
  currency text NOT NULL,
  label text,
  amount bigint NOT NULL,
  capture_count bigint NOT NULL,
  refund_count bigint NOT NULL,
  PRIMARY KEY (kind, day, grp, currency)
);

ALTER TABLE transactions ADD COLUMN rolled_up boolean NOT NULL DEFAULT false;
CREATE INDEX transactions_unrolled ON transactions (created_at) WHERE NOT rolled_up;
`;

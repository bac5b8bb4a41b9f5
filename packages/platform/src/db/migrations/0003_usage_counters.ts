import { SPENDING_CATEGORIES } from '../../authorization/categories';

/** The catalog category of an MCC column, in SQL (the backfill's `categoryOfMcc`; MCCs are digits). */
const categoryOf = (column: string) =>
  `CASE ${Object.entries(SPENDING_CATEGORIES)
    .filter(([name, c]) => name !== 'other' && c.mccs.length > 0)
    .map(([name, c]) => `WHEN ${column} IN (${c.mccs.map((m) => `'${m}'`).join(', ')}) THEN '${name}'`)
    .join(' ')} ELSE 'other' END`;

/**
 * Running usage counters (see `authorization/counters.ts`): spend per scope (card, cardholder, …),
 * period bucket (UTC day, UTC month, all time) and spending category, so a limit check reads a
 * bounded number of rows whatever the history. Backfilled from the approved authorizations'
 * `spend_amount`. `fillfactor` leaves room for HOT updates (the key columns never change).
 */
export const sql = /* sql */ `
CREATE TABLE usage_counters (
  scope_kind text NOT NULL,
  scope_id text NOT NULL,
  currency text NOT NULL,
  period text NOT NULL CHECK (period IN ('day', 'month', 'all')),
  period_start date NOT NULL,
  category text NOT NULL,
  spent bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (scope_kind, scope_id, currency, period, period_start, category)
) WITH (fillfactor = 70);

INSERT INTO usage_counters (scope_kind, scope_id, currency, period, period_start, category, spent)
SELECT s.kind, s.id, a.currency, p.period, p.start, ${categoryOf('a.mcc')}, sum(a.spend_amount)
FROM authorizations a
CROSS JOIN LATERAL (VALUES ('card', a.card_id), ('cardholder', a.cardholder_id)) AS s(kind, id)
CROSS JOIN LATERAL (VALUES
  ('day', (a.created_at AT TIME ZONE 'UTC')::date),
  ('month', date_trunc('month', a.created_at AT TIME ZONE 'UTC')::date),
  ('all', DATE '1970-01-01')) AS p(period, start)
WHERE a.approved
GROUP BY 1, 2, 3, 4, 5, 6;
`;

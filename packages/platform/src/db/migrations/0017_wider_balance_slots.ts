/** How many rows each currency's balance is spread over from this migration on (see `services/ledger.ts`). */
export const BALANCE_SLOTS = 32;

/**
 * Spreads each currency's balance over {@link BALANCE_SLOTS} rows instead of migration 0006's 8, so
 * fewer concurrent approvals meet on one slot's lock (pgbench doing an authorization's work ran
 * 1.07–1.29× faster with 32; bench/authorizations/README.md). The new slots are added, then the
 * available funds are spread evenly over all of them; `pending` stays where it is, since each
 * authorization's capture and releases settle on the slot it recorded.
 *
 * Stop processes of an older version before this migration runs: they split a top-up over 8 slots,
 * and would credit each of the 32 rows with an eighth of it.
 */
export const sql = /* sql */ `
INSERT INTO balance_slots (currency, slot)
SELECT c.currency, g.slot
FROM (SELECT DISTINCT currency FROM balance_slots) c CROSS JOIN generate_series(0, ${BALANCE_SLOTS - 1}) AS g(slot)
ON CONFLICT (currency, slot) DO NOTHING;

UPDATE balance_slots s
SET available = t.total / ${BALANCE_SLOTS} + CASE WHEN s.slot < t.total % ${BALANCE_SLOTS} THEN 1 ELSE 0 END
FROM (SELECT currency, sum(available)::bigint AS total FROM balance_slots GROUP BY currency) t
WHERE s.currency = t.currency;
`;

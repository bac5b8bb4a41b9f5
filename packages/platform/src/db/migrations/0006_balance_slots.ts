/** How many rows this migration spreads each currency's balance over (0017 widens it to 32). */
const SLOTS = 8;

/**
 * The program balance of a currency is spread over {@link SLOTS} rows so concurrent
 * approvals do not queue on one row lock. Each slot keeps CHECK (available ≥ 0, pending ≥ 0); the
 * balance is their sum (the `balances` view keeps every read as it was). An authorization records
 * the slot that holds its funds, so its capture and release settle on the same row. Existing
 * balances and holds move to slot 0.
 */
export const sql = /* sql */ `
CREATE TABLE balance_slots (
  currency text NOT NULL,
  slot smallint NOT NULL,
  available bigint NOT NULL DEFAULT 0 CHECK (available >= 0),
  pending bigint NOT NULL DEFAULT 0 CHECK (pending >= 0),
  PRIMARY KEY (currency, slot)
) WITH (fillfactor = 50);

INSERT INTO balance_slots (currency, slot, available, pending)
SELECT b.currency, g.slot, CASE WHEN g.slot = 0 THEN b.available ELSE 0 END, CASE WHEN g.slot = 0 THEN b.pending ELSE 0 END
FROM balances b CROSS JOIN generate_series(0, ${SLOTS - 1}) AS g(slot);

DROP TABLE balances;

CREATE VIEW balances AS
SELECT currency, sum(available)::bigint AS available, sum(pending)::bigint AS pending
FROM balance_slots GROUP BY currency;

ALTER TABLE authorizations ADD COLUMN balance_slot smallint NOT NULL DEFAULT 0;
`;

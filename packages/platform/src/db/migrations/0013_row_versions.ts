/**
 * A row version on cards and cardholders, raised by every UPDATE of the row (a trigger, so no
 * writer can forget it). An authorization's lock statement sends the card's and cardholder's JSON
 * only when their version differs from the one the process cached (`services/authorizations.ts`):
 * a change made by any process is seen by the very next authorization, as before.
 */
export const sql = /* sql */ `
ALTER TABLE cards ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE cardholders ADD COLUMN version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION oi_bump_row_version() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END
$fn$;

CREATE TRIGGER cards_bump_version BEFORE UPDATE ON cards
  FOR EACH ROW EXECUTE FUNCTION oi_bump_row_version();
CREATE TRIGGER cardholders_bump_version BEFORE UPDATE ON cardholders
  FOR EACH ROW EXECUTE FUNCTION oi_bump_row_version();
`;

/**
 * Restricted API keys (permissions and a dimension scope, kept in `data`) and card requests.
 * `card_requests.dimensions` holds the request's effective dimensions (its cardholder's merged with
 * its own), the ones a scoped key's filter and the approval policy look at.
 */
export const sql = /* sql */ `
ALTER TABLE api_keys ADD COLUMN data jsonb;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_kind_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_kind_check CHECK (kind IN ('secret', 'ephemeral', 'restricted'));
CREATE INDEX api_keys_restricted_created ON api_keys (created_at, id) WHERE kind = 'restricted';
CREATE TABLE card_requests (
  id text PRIMARY KEY,
  type text NOT NULL,
  status text NOT NULL,
  cardholder_id text NOT NULL,
  card_id text,
  dimensions jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX card_requests_created ON card_requests (created_at, id);
CREATE INDEX card_requests_status ON card_requests (status, created_at);
`;

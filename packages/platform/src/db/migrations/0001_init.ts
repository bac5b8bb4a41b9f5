/**
 * Initial schema. Each resource keeps its API representation in `data` (jsonb) plus the columns the
 * platform filters, locks and sums on. Amounts are int8 minor units. Migrations are append-only.
 */
export const sql = /* sql */ `
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  secret_hash text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('secret', 'ephemeral')),
  card_id text,
  expires_at timestamptz,
  revoked boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE program (
  id text PRIMARY KEY,
  data jsonb NOT NULL
);

CREATE TABLE cardholders (
  id text PRIMARY KEY,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX cardholders_list ON cardholders (created_at DESC, id DESC);

CREATE TABLE cards (
  id text PRIMARY KEY,
  cardholder_id text NOT NULL REFERENCES cardholders (id),
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  pan_encrypted text NOT NULL,
  cvc_encrypted text NOT NULL,
  expires_at timestamptz,
  data jsonb NOT NULL
);
CREATE INDEX cards_auto_cancel ON cards (expires_at) WHERE expires_at IS NOT NULL AND status <> 'canceled';
CREATE INDEX cards_list ON cards (created_at DESC, id DESC);
CREATE INDEX cards_cardholder ON cards (cardholder_id, created_at DESC);

CREATE TABLE balances (
  currency text PRIMARY KEY,
  available bigint NOT NULL DEFAULT 0 CHECK (available >= 0),
  pending bigint NOT NULL DEFAULT 0 CHECK (pending >= 0)
);

CREATE TABLE authorizations (
  id text PRIMARY KEY,
  card_id text NOT NULL REFERENCES cards (id),
  cardholder_id text NOT NULL,
  status text NOT NULL,
  approved boolean NOT NULL,
  currency text NOT NULL,
  amount bigint NOT NULL,
  mcc text NOT NULL,
  spend_amount bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX authorizations_list ON authorizations (created_at DESC, id DESC);
CREATE INDEX authorizations_card_spend ON authorizations (card_id, created_at) WHERE approved;
CREATE INDEX authorizations_cardholder_spend ON authorizations (cardholder_id, created_at) WHERE approved;
CREATE INDEX authorizations_pending ON authorizations (status) WHERE status = 'pending';

CREATE TABLE transactions (
  id text PRIMARY KEY,
  type text NOT NULL,
  card_id text NOT NULL,
  cardholder_id text NOT NULL,
  authorization_id text NOT NULL,
  refunded_amount bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX transactions_list ON transactions (created_at DESC, id DESC);
CREATE INDEX transactions_authorization ON transactions (authorization_id);

CREATE TABLE ledger_entries (
  id text PRIMARY KEY,
  currency text NOT NULL,
  type text NOT NULL,
  amount bigint NOT NULL,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX ledger_entries_list ON ledger_entries (created_at DESC, id DESC);

CREATE TABLE topups (
  id text PRIMARY KEY,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX topups_list ON topups (created_at DESC, id DESC);

CREATE TABLE events (
  id text PRIMARY KEY,
  type text NOT NULL,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX events_list ON events (created_at DESC, id DESC);

CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  secret_encrypted text NOT NULL,
  previous_secret_encrypted text,
  previous_secret_expires_at timestamptz,
  data jsonb NOT NULL
);
CREATE INDEX webhook_endpoints_list ON webhook_endpoints (created_at DESC, id DESC);

-- The outbox: one row per (event, endpoint) still to deliver or already settled.
CREATE TABLE webhook_outbox (
  id text PRIMARY KEY,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempt_count integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  locked_until timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE status = 'pending';

-- Every delivery attempt (the API's webhook_delivery objects).
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  response_body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
`;

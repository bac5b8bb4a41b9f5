/**
 * Rate-limit token buckets shared by every process on one PostgreSQL (`http/postgres-token-store.ts`):
 * one row per API key, refilled at read time from `updated_at`.
 */
export const sql = /* sql */ `
CREATE TABLE rate_limit_buckets (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  granted integer NOT NULL,
  updated_at timestamptz NOT NULL
);
`;

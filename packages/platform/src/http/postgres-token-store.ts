import type { Queryable } from '../db/database';
import { sql } from '../db/sql';
import type { TokenStore } from './shared-rate-limit';

/**
 * Token buckets in the `rate_limit_buckets` table: one upsert per lease, refilled by the database's
 * own clock, so every process sharing the database shares each key's bucket.
 *
 * @example
 * new SharedRateLimiter(new PostgresTokenStore(db), { requestsPerSecond: 1000 })
 */
export class PostgresTokenStore implements TokenStore {
  readonly #db: Queryable;
  constructor(db: Queryable) {
    this.#db = db;
  }

  async take(key: string, want: number, rate: number, burst: number) {
    const refilled = sql`least(${burst}::float8, b.tokens + greatest(0, extract(epoch FROM EXCLUDED.updated_at - b.updated_at)) * ${rate}::float8)`;
    const rows = await this.#db.rows<{ granted: number; tokens: number }>(sql`
      INSERT INTO rate_limit_buckets AS b (key, tokens, granted, updated_at)
      VALUES (${key}, ${burst}::float8 - least(${want}::int, floor(${burst}::float8)), least(${want}::int, floor(${burst}::float8)::int), clock_timestamp())
      ON CONFLICT (key) DO UPDATE SET
        granted = least(${want}::int, floor(${refilled})::int),
        tokens = ${refilled} - least(${want}::int, floor(${refilled})::int),
        updated_at = EXCLUDED.updated_at
      RETURNING granted, tokens`);
    const row = rows[0];
    return { granted: Number(row?.granted ?? 0), tokens: Number(row?.tokens ?? 0) };
  }
}

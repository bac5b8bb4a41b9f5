import type { Queryable } from '../db/database';
import { sql } from '../db/sql';

/**
 * A bucket untouched this long is deleted: long after any rate's refill (burst / rate, 2 s by
 * default), so it would be full again — which is exactly what a missing row means to the store.
 */
export const RATE_LIMIT_BUCKET_IDLE_SECONDS = 600;

/** How often the maintenance loop purges idle rate-limit buckets. */
export const RATE_LIMIT_PURGE_EVERY_MS = 60 * 1000;

/**
 * Deletes `rate_limit_buckets` rows idle for `idleSeconds` or longer, at most `batch` per call
 * (one bounded statement, off the request path), and returns how many it deleted.
 *
 * @example
 * await purgeIdleRateLimitBuckets(db); // 0 when every bucket was used in the last 10 minutes
 */
export async function purgeIdleRateLimitBuckets(
  db: Queryable,
  idleSeconds = RATE_LIMIT_BUCKET_IDLE_SECONDS,
  batch = 5000,
): Promise<number> {
  const rows = await db.rows<{ key: string }>(sql`
    DELETE FROM rate_limit_buckets WHERE key IN (
      SELECT key FROM rate_limit_buckets
      WHERE updated_at < clock_timestamp() - make_interval(secs => ${idleSeconds}::float8)
      LIMIT ${batch}
      FOR UPDATE SKIP LOCKED
    ) RETURNING key`);
  return rows.length;
}

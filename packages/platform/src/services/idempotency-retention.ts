import type { Database } from '../db/database';
import { sql } from '../db/sql';

/**
 * How long the platform keeps the first response to an `Idempotency-Key` (the spec promises 24
 * hours). After that the key is free: a request with it runs anew, and the stored row is purged.
 */
export const IDEMPOTENCY_RETENTION_SQL = sql.raw(`interval '24 hours'`);

/** How often the maintenance loop purges expired idempotency keys. */
export const IDEMPOTENCY_PURGE_EVERY_MS = 10 * 60 * 1000;

/**
 * Deletes idempotency keys older than the retention window, at most `batch` rows per call, and
 * returns how many it deleted.
 *
 * @example
 * await purgeExpiredIdempotencyKeys(db); // 0 on a fresh sandbox
 */
export async function purgeExpiredIdempotencyKeys(db: Database, batch = 5000): Promise<number> {
  const rows = await db.rows<{ key: string }>(sql`
    DELETE FROM idempotency_keys WHERE (scope, key) IN (
      SELECT scope, key FROM idempotency_keys WHERE created_at < now() - ${IDEMPOTENCY_RETENTION_SQL} LIMIT ${batch}
    ) RETURNING key`);
  return rows.length;
}

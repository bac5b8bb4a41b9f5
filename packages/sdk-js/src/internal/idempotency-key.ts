/** A random Idempotency-Key (UUID v4), generated once per logical POST and reused across its retries. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

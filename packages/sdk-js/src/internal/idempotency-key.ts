/** A random Idempotency-Key (`oi_` + UUID v4), generated once per logical POST and reused across retries. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return `oi_${c.randomUUID()}`;
  const bytes = c.getRandomValues(new Uint8Array(16));
  return `oi_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

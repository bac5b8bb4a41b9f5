/**
 * Options accepted by every method, overriding the client's for one call.
 *
 * @example
 * await client.cards.create(params, { idempotencyKey: order.id, timeout: 5_000, maxRetries: 0 });
 */
export interface RequestOptions {
  /** Per-attempt timeout in milliseconds. @default the client's `timeout` (60 000) */
  timeout?: number;
  /** Retries on connection errors, 408, 409, 429 and 5xx. @default the client's `maxRetries` (2) */
  maxRetries?: number;
  /** Cancels the request (and any pending retry). */
  signal?: AbortSignal;
  /**
   * Idempotency-Key for a POST. @default a random key generated once per call and reused across retries
   */
  idempotencyKey?: string;
  /** Extra headers for this request. */
  headers?: Record<string, string>;
  /** A different key for this request (for example an ephemeral `ek_…` key). */
  apiKey?: string;
}

/** The shape of one HTTP call the resources hand to the transport. */
export interface FinalRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to `baseUrl`, without a leading slash (`cards/ic_123`). */
  path: string;
  query?: object | undefined;
  body?: unknown;
  options?: RequestOptions | undefined;
}

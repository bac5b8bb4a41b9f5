/**
 * A failure reported by (or on the way to) an ERP. `kind` drives what the engine does:
 * - `transient`: retried with backoff; the outcome is unknown, so the entry is looked up before any re-post;
 * - `rate_limited`: the ERP refused the request (nothing was applied); retried after `retryAfterMs`;
 * - `permanent`: the ERP rejected the entry; it goes to the dead-letter list with the ERP's own message;
 * - `fatal`: the connection itself is unusable (e.g. authentication); the run stops.
 */
export class ErpError extends Error {
  override readonly name = 'ErpError';
  readonly kind: 'transient' | 'rate_limited' | 'permanent' | 'fatal';
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  constructor(
    message: string,
    options: {
      kind: ErpError['kind'];
      code?: string;
      retryAfterMs?: number;
      status?: number;
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** True when `err` is an ErpError of one of the given kinds. */
export function isErpError(err: unknown, ...kinds: ErpError['kind'][]): err is ErpError {
  return err instanceof ErpError && (kinds.length === 0 || kinds.includes(err.kind));
}

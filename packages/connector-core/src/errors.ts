/** The kinds of ERP failure, each with its own handling by the engine (see {@link ErpError}). */
export type ErpErrorKind = 'transient' | 'rate_limited' | 'permanent' | 'fatal';

const KINDS: readonly ErpErrorKind[] = ['transient', 'rate_limited', 'permanent', 'fatal'];

/**
 * Marks ErpError instances across copies of this package. A connector's CommonJS build may carry its
 * own copy of connector-core while the engine runs the ES-module build: `instanceof` against one
 * class would miss the other's errors. A registry symbol (`Symbol.for`) is the same in every copy
 * and every realm, so classification never depends on which copy constructed the error.
 */
const BRAND = Symbol.for('@openissuing/connector-core/ErpError');

/**
 * A failure reported by (or on the way to) an ERP. `kind` drives what the engine does:
 * - `transient`: retried with backoff; the outcome is unknown, so the entry is looked up before any re-post;
 * - `rate_limited`: the ERP refused the request (nothing was applied); retried after `retryAfterMs`;
 * - `permanent`: the ERP rejected the entry; it goes to the dead-letter list with the ERP's own message;
 * - `fatal`: the connection itself is unusable (e.g. authentication); the run stops.
 *
 * `instanceof ErpError` recognises errors built by any copy of `@openissuing/connector-core`.
 *
 * @example
 * throw new ErpError('Account is inactive (code 610)', { kind: 'permanent', code: '610' });
 */
export class ErpError extends Error {
  override readonly name = 'ErpError';
  readonly kind: ErpErrorKind;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  constructor(
    message: string,
    options: {
      kind: ErpErrorKind;
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
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for errors built by this or any other copy of the class (see the brand above). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true &&
      KINDS.includes((value as { kind?: ErpErrorKind }).kind as ErpErrorKind)
    );
  }
}

/**
 * True when `err` is an ErpError (from any copy of this package) of one of the given kinds.
 *
 * @example
 * if (isErpError(err, 'fatal')) process.exit(1);
 */
export function isErpError(err: unknown, ...kinds: ErpErrorKind[]): err is ErpError {
  return err instanceof ErpError && (kinds.length === 0 || kinds.includes(err.kind));
}

/**
 * The ErpError an engine acts on: `err` itself when it is one, otherwise a `transient` error
 * carrying its message (an unexpected failure leaves the outcome unknown).
 *
 * @example
 * const e = asErpError(new TypeError('fetch failed')); // kind 'transient'
 */
export function asErpError(err: unknown): ErpError {
  if (err instanceof ErpError) return err;
  return new ErpError(err instanceof Error ? err.message : String(err), { kind: 'transient', cause: err });
}

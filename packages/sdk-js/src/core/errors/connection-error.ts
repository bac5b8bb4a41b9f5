import { OpenIssuingError } from './openissuing-error';

/** Drops user, password and query from any URL in a runtime's message (some echo the request URL). */
const scrubUrls = (text: string) =>
  text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1').replace(/\?\S*/g, '');

/** What the socket said: the innermost message of a fetch failure's cause chain, and its code. */
export function socketFailure(cause: unknown): { code?: string; reason?: string } {
  const out: { code?: string; reason?: string } = {};
  let c = cause as { message?: unknown; code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; c && typeof c === 'object' && depth < 5; depth++, c = c.cause as typeof c) {
    if (typeof c.message === 'string' && c.message) out.reason = scrubUrls(c.message);
    if (typeof c.code === 'string' && c.code) out.code = c.code;
  }
  return out;
}

/** The base URL without user, password, query or fragment: safe to print. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

/**
 * No response arrived: DNS failure, refused or reset connection, or a body that could not be read.
 * Thrown after the SDK's retries are exhausted. `cause` holds the underlying error; `baseUrl` (without
 * credentials or query), `code` (`ECONNREFUSED`, `ENOTFOUND`, …) and `reason` (the socket's message)
 * say what was tried and what failed, and the message names all three and what to check.
 *
 * @example
 * // Could not reach the OpenIssuing API at http://127.0.0.1:4100/ (ECONNREFUSED: connect ECONNREFUSED
 * // 127.0.0.1:4100), after 3 attempts. Check that the platform runs there (npx openissuing serve) and
 * // that `baseUrl` (or OPENISSUING_BASE_URL) is right.
 * new ConnectionError(undefined, { cause, baseUrl: 'http://127.0.0.1:4100/', attempts: 3 });
 */
export class ConnectionError extends OpenIssuingError {
  override name: string = 'ConnectionError';
  /** The base URL the request went to (no credentials, query or fragment). */
  readonly baseUrl: string | undefined;
  /** The socket error code, e.g. `ECONNREFUSED`, when the runtime gives one. */
  readonly code: string | undefined;
  /** The socket's own message, e.g. `connect ECONNREFUSED 127.0.0.1:4100`. */
  readonly reason: string | undefined;

  constructor(message?: string, options?: { cause?: unknown; baseUrl?: string; attempts?: number }) {
    const url = options?.baseUrl === undefined ? undefined : printableUrl(options.baseUrl);
    const { code, reason } = socketFailure(options?.cause);
    const said = [code, reason && reason !== code ? reason : undefined].filter(Boolean).join(': ');
    const tries = options?.attempts && options.attempts > 1 ? `, after ${options.attempts} attempts` : '';
    super(
      message ??
        `Could not reach the OpenIssuing API${url ? ` at ${url}` : ''}${said ? ` (${said})` : ''}${tries}. Check that the platform runs there (npx openissuing serve) and that \`baseUrl\` (or OPENISSUING_BASE_URL) is right.`,
      options,
    );
    this.baseUrl = url;
    this.code = code;
    this.reason = reason;
  }
}

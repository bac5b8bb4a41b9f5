import type { Logger, LogLevel } from './logger';

/**
 * Options for `new OpenIssuing(options)`.
 *
 * @example
 * const client = new OpenIssuing({ apiKey: process.env.OPENISSUING_API_KEY, baseUrl: 'http://127.0.0.1:4242' });
 */
export interface ClientOptions {
  /**
   * Secret key (`sk_test_…`, server side) or ephemeral key (`ek_…`, browser).
   * @default process.env.OPENISSUING_API_KEY
   */
  apiKey?: string | undefined;
  /**
   * The API's base URL (for the sandbox, the `url` that `startPlatform()` or the CLI prints).
   * @default process.env.OPENISSUING_BASE_URL ?? 'http://localhost:4100'
   */
  baseUrl?: string | undefined;
  /** Per-attempt timeout in milliseconds. @default 60000 */
  timeout?: number;
  /**
   * How many times to retry connection errors, timeouts, 408, 409, 429 and 5xx, with exponential
   * backoff (0.3 s, 0.6 s, 1.2 s, … up to 8 s) and full jitter, or after `Retry-After`. @default 2
   */
  maxRetries?: number;
  /** A `fetch` implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The `OpenIssuing-Version` header sent with every request. @default the version this SDK was built for */
  apiVersion?: string;
  /** Headers added to every request. */
  defaultHeaders?: Record<string, string>;
  /**
   * Allow a secret key (`sk_…`) in a browser. Never do this in production: anyone can read it.
   * Browsers should use ephemeral keys. @default false
   */
  dangerouslyAllowBrowser?: boolean;
  /**
   * Where log lines go: `console` or any object with `debug`/`info`/`warn`/`error`. Logs name the
   * method, path, status, duration and request id, and never headers, keys or bodies.
   * @default no logging
   */
  logger?: Logger;
  /** @default process.env.OPENISSUING_LOG ?? 'warn' (retries) */
  logLevel?: LogLevel;
  /** Default secret(s) for `client.webhooks.unwrap/verify`, e.g. process.env.OPENISSUING_WEBHOOK_SECRET. */
  webhookSecret?: string | string[] | undefined;
}

import type { Server } from 'node:http';

/**
 * How long the server keeps an idle keep-alive connection open (ms). Node's default is 5 s, which an
 * event-loop stall (GC pause, long synchronous query on the embedded database, a starved CPU) can
 * outlast: the stalled server then times the connection out before reading a request the client had
 * already sent on it, and the client sees ECONNRESET. 65 s also stays above the 60 s idle timeout of
 * common proxies (nginx `keepalive_timeout`, AWS ALB), so they never reuse a connection we are closing,
 * and far above clients' own idle timeouts (undici 4 s), so clients close first.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Headers deadline kept above {@link KEEP_ALIVE_TIMEOUT_MS}, the usual pairing for proxies in front. */
export const HEADERS_TIMEOUT_MS = 66_000;

/**
 * Applies the platform's keep-alive settings to its HTTP server.
 *
 * @example
 * const server = serve({ fetch: app.fetch, port: 0 });
 * keepConnectionsAlive(server as Server);
 */
export function keepConnectionsAlive(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
}

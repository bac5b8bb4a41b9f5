import { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context as HonoContext } from 'hono';

/** The per-request state the app keeps on Hono's context. */
export type AppVars = {
  Variables: {
    requestId: string;
    /** Headers every response of this request carries (request id, API version, rate limit, …). */
    responseHeaders: Record<string, string>;
    /** The status of a response written straight to Node (the access log reads it). */
    sentStatus: number;
  };
};

/**
 * Sets a header every response of this request carries — including error responses and those
 * built by raw handlers ({@link applyResponseHeaders}). `name` must be lowercase, as a `Headers`
 * object keeps names: a lowercase literal is used as the property key as it is, where lowercasing
 * a mixed-case name on every request built a new string to hash for each header (≈ 0.2 µs a
 * header, bench/authorizations/cpu.ts).
 *
 * @example
 * setResponseHeader(c, 'request-id', requestId);
 */
export function setResponseHeader(c: HonoContext<AppVars>, name: Lowercase<string>, value: string): void {
  let headers = c.get('responseHeaders');
  if (!headers) {
    headers = {};
    c.set('responseHeaders', headers);
  }
  headers[name] = value;
}

/** Copies the request's response headers onto a Response a handler built itself (`c.html`, assets). */
export function applyResponseHeaders(c: HonoContext<AppVars>): void {
  if (c.res === RESPONSE_ALREADY_SENT) return;
  const headers = c.get('responseHeaders');
  if (!headers) return;
  for (const name in headers) if (!c.res.headers.has(name)) c.res.headers.set(name, headers[name] as string);
}

/**
 * Sends a text body (JSON, problem+json) with the request's response headers. Served by
 * `@hono/node-server`, it is written straight to Node's `ServerResponse` — no web `Response`, no
 * `Headers` and no body stream per request, which was ~0.1 ms of CPU per authorization
 * (bench/authorizations/cpu.ts); anywhere else it is an ordinary `Response`.
 *
 * @example
 * return sendText(c, 201, JSON.stringify(card), 'application/json');
 */
export function sendText(
  c: HonoContext<AppVars>,
  status: number,
  text: string,
  contentType: string,
  extra?: Record<string, string>,
): Response {
  const headers: Record<string, string> = { ...c.get('responseHeaders') };
  if (extra) for (const name in extra) headers[name.toLowerCase()] = extra[name] as string;
  headers['content-type'] = contentType;
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (outgoing instanceof ServerResponse && !outgoing.headersSent) {
    headers['content-length'] = String(Buffer.byteLength(text));
    outgoing.writeHead(status, headers);
    outgoing.end(text);
    c.set('sentStatus', status);
    return RESPONSE_ALREADY_SENT;
  }
  return c.body(text, status as 200, headers);
}

import { Hono, type Context as HonoContext } from 'hono';
import { enforceRestriction } from '../access/enforce';
import { runScoped } from '../access/scope';
import type { Context } from '../context';
import { sql } from '../db/sql';
import { fingerprint } from '../lib/crypto';
import { ApiError, PROBLEM_TITLES } from '../lib/errors';
import { newId } from '../lib/ids';
import { IDEMPOTENCY_RETENTION_SQL } from '../services/idempotency-retention';
import { authenticate, type Principal } from '../services/keys';
import type { RateLimiter } from './rate-limit';
import { withoutCardNumbers } from './redact';
import { assertDepth, readLimitedBody } from './request-limits';
import { type AppVars, applyResponseHeaders, sendText, setResponseHeader } from './respond';
import type { SpecValidator } from './validation';

export interface AppDeps {
  ctx: Context;
  validator: SpecValidator;
  limiter: RateLimiter;
  apiVersion: string;
  /** Called with unexpected errors (never with request bodies). */
  onError?: (error: unknown, requestId: string) => void;
}

export type Auth = 'secret' | 'ephemeral' | 'none';

export interface OpRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  principal: Principal | null;
  headers: (name: string) => string | undefined;
  requestId: string;
}

export interface OpResult {
  status?: number;
  body: unknown;
}

type Vars = AppVars;

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, OpenIssuing-Version',
  'Access-Control-Expose-Headers': 'Request-Id, OpenIssuing-Version',
  'Access-Control-Max-Age': '600',
};

/** The problem+json text of an error, as every error response of the API carries it. */
function problemText(c: HonoContext<Vars>, error: ApiError): string {
  const requestId = c.get('requestId');
  const body = {
    type: `urn:openissuing:problem:${error.code}`,
    title: PROBLEM_TITLES[error.code],
    status: error.status,
    detail: withoutCardNumbers(error.message),
    code: error.code,
    ...(error.param ? { param: withoutCardNumbers(error.param) } : {}),
    ...(error.errors && error.errors.length > 0
      ? {
          errors: error.errors.map((e) => ({
            ...e,
            param: withoutCardNumbers(e.param),
            detail: withoutCardNumbers(e.detail),
          })),
        }
      : {}),
    request_id: requestId,
  };
  return JSON.stringify(body);
}

export function problem(c: HonoContext<Vars>, error: ApiError, text = problemText(c, error)) {
  return sendText(c, error.status, text, 'application/problem+json', error.headers);
}

/**
 * The Hono application: request ids, API version header, CORS for ephemeral-key routes, bearer auth,
 * rate limiting, spec-derived validation, idempotency and problem+json errors. Routes are added
 * through `op()` with their OpenAPI path template.
 */
export function createApp(deps: AppDeps) {
  const { ctx, validator, limiter, apiVersion } = deps;
  const app = new Hono<Vars>();
  const keyCache = new Map<string, Principal>();
  const corsPaths: RegExp[] = [];

  // One middleware for every request (each Hono middleware is another async step per request):
  // request id and version headers, OPTIONS, then one access-log line per request that reaches a
  // route or the 404 — no query string, headers or bodies (they can hold keys and card data).
  app.use('*', async (c, next) => {
    const requestId = newId('request');
    c.set('requestId', requestId);
    c.set('responseHeaders', { 'request-id': requestId, 'openissuing-version': apiVersion });
    const asked = c.req.header('OpenIssuing-Version');
    if (asked !== undefined && asked !== apiVersion) {
      throw new ApiError(
        400,
        'api_version_invalid',
        `OpenIssuing-Version: '${asked}' is not a known API version; send ${apiVersion} or omit the header.`,
        'OpenIssuing-Version',
      );
    }
    if (c.req.method === 'OPTIONS') {
      const headers = c.get('responseHeaders');
      if (corsPaths.some((r) => r.test(c.req.path)))
        return c.body(null, 204, { ...headers, ...CORS_HEADERS });
      return c.body(null, 204, { ...headers, Allow: 'GET, POST, PATCH, DELETE' });
    }
    const logged = ctx.log.isLevelEnabled('info'); // LOG_LEVEL=warn and above: no line to build
    const started = logged ? performance.now() : 0;
    await next();
    if (logged) {
      ctx.log.info(
        {
          method: c.req.method,
          path: c.req.path,
          status: c.get('sentStatus') ?? c.res.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          request_id: requestId,
        },
        'request',
      );
    }
    applyResponseHeaders(c); // onto responses raw handlers built (the API's own are sent with them)
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) return problem(c, error);
    const requestId = c.get('requestId') ?? newId('request');
    deps.onError?.(error, requestId);
    return problem(
      c,
      new ApiError(
        500,
        'internal_error',
        `An internal error occurred; quote request id ${requestId} when reporting it.`,
      ),
    );
  });

  app.notFound((c) =>
    problem(
      c,
      new ApiError(
        404,
        'resource_missing',
        `No operation ${c.req.method} ${c.req.path}; check the method and path against the API reference.`,
      ),
    ),
  );

  async function authorize(c: HonoContext<Vars>, auth: Auth): Promise<Principal | null> {
    if (auth === 'none') return null;
    const header = c.req.header('Authorization');
    if (!header) {
      throw new ApiError(
        401,
        'authentication_required',
        auth === 'ephemeral'
          ? 'Authorization: send "Authorization: Bearer ek_test_…", an ephemeral key of this card (POST /ephemeral_keys).'
          : 'Authorization: send "Authorization: Bearer sk_test_…" with your secret key.',
        'Authorization',
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1])
      throw new ApiError(401, 'api_key_invalid', 'Authorization: expected "Bearer <key>".', 'Authorization');
    const principal = await authenticate(ctx, match[1], keyCache);
    if (auth === 'secret' && principal.kind !== 'secret') {
      throw new ApiError(
        403,
        'insufficient_permissions',
        'Authorization: an ephemeral key can only read card details (GET /cards/{card}/details); use a secret key (sk_test_…) on your server.',
        'Authorization',
      );
    }
    if (auth === 'ephemeral' && principal.kind !== 'ephemeral') {
      throw new ApiError(
        403,
        'insufficient_permissions',
        'Authorization: card details are only returned to an ephemeral key of the card (POST /ephemeral_keys); secret keys never receive the number or CVC.',
        'Authorization',
      );
    }
    return principal;
  }

  async function readBody(
    c: HonoContext<Vars>,
  ): Promise<{ body: Record<string, unknown>; hasBody: boolean }> {
    if (c.req.method === 'GET' || c.req.method === 'DELETE') return { body: {}, hasBody: false };
    const text = await readLimitedBody(c.req.raw);
    if (text.trim() === '') return { body: {}, hasBody: false };
    const type = c.req.header('Content-Type') ?? '';
    if (!type.includes('json')) {
      throw new ApiError(
        400,
        'parameter_invalid',
        'Content-Type: send the body as JSON with "Content-Type: application/json".',
        'Content-Type',
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    } catch {
      throw new ApiError(
        400,
        'parameter_invalid',
        'body: not a JSON object; check for trailing commas, single quotes or unquoted keys.',
        'body',
      );
    }
    assertDepth(parsed); // before idempotency hashing and validation, which recurse
    return { body: parsed as Record<string, unknown>, hasBody: true };
  }

  async function idempotent(
    c: HonoContext<Vars>,
    principal: Principal | null,
    body: Record<string, unknown>,
    run: () => Promise<OpResult>,
  ): Promise<Response> {
    const key = c.req.header('Idempotency-Key');
    const respond = (r: OpResult) => sendText(c, r.status ?? 200, JSON.stringify(r.body), 'application/json');
    if (key === undefined || c.req.method !== 'POST') return respond(await run());
    if (key.length === 0 || key.length > 255) {
      throw new ApiError(
        400,
        'parameter_invalid',
        'Idempotency-Key: 1 to 255 characters (a UUID v4 is a good choice).',
        'Idempotency-Key',
      );
    }
    const scope = principal?.keyId ?? 'anonymous';
    const hash = fingerprint({ method: c.req.method, path: c.req.path, body });
    const inserted =
      // A key past its 24-hour retention is taken over as if new, in the same statement.
      await ctx.db.rows(sql`INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (${scope}, ${key}, ${hash})
      ON CONFLICT (scope, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, status = NULL, response_body = NULL, created_at = now()
        WHERE idempotency_keys.created_at < now() - ${IDEMPOTENCY_RETENTION_SQL}
      RETURNING key`);
    if (inserted.length === 0) {
      const rows = await ctx.db.rows<{
        request_hash: string;
        status: number | null;
        response_body: string | null;
      }>(
        sql`SELECT request_hash, status, response_body FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`,
      );
      const row = rows[0];
      if (!row || row.request_hash !== hash) {
        throw new ApiError(
          409,
          'idempotency_key_reused',
          `Idempotency-Key: '${key}' was already used with different parameters or path; use a new key for a new request.`,
          'Idempotency-Key',
        );
      }
      if (row.status === null) {
        throw new ApiError(
          409,
          'idempotency_key_in_progress',
          `Idempotency-Key: the first request with '${key}' is still being processed; retry in a moment.`,
          'Idempotency-Key',
          undefined,
          { 'Retry-After': '1' },
        );
      }
      setResponseHeader(c, 'idempotent-replayed', 'true');
      const status = Number(row.status);
      const isProblem = status >= 400;
      return sendText(
        c,
        status,
        row.response_body ?? '',
        isProblem ? 'application/problem+json' : 'application/json',
      );
    }
    try {
      const result = await run();
      await ctx.db.rows(sql`UPDATE idempotency_keys SET status = ${result.status ?? 200}, response_body = ${JSON.stringify(result.body)}
        WHERE scope = ${scope} AND key = ${key}`);
      return respond(result);
    } catch (error) {
      if (
        error instanceof ApiError &&
        error.status < 500 &&
        error.status !== 429 &&
        error.code !== 'idempotency_key_in_progress'
      ) {
        const text = problemText(c, error);
        await ctx.db.rows(
          sql`UPDATE idempotency_keys SET status = ${error.status}, response_body = ${text} WHERE scope = ${scope} AND key = ${key}`,
        );
        return problem(c, error, text);
      }
      await ctx.db
        .rows(sql`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`)
        .catch(() => {});
      throw error;
    }
  }

  async function prepare(
    c: HonoContext<Vars>,
    method: string,
    template: string,
    auth: Auth,
    validate: ReturnType<SpecValidator['requestValidator']>,
  ): Promise<OpRequest> {
    const principal = await authorize(c, auth);
    // A limiter answers synchronously when it holds a token for the key: no await (a microtask) then.
    const taken = limiter.take(principal?.keyId ?? 'anonymous');
    const rate = taken instanceof Promise ? await taken : taken;
    setResponseHeader(c, 'ratelimit-limit', String(rate.limit));
    setResponseHeader(c, 'ratelimit-remaining', String(rate.remaining));
    setResponseHeader(c, 'ratelimit-reset', String(rate.reset));
    if (!rate.allowed) {
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests; retry after ${rate.reset} s.`,
        undefined,
        undefined,
        {
          'Retry-After': String(rate.reset),
        },
      );
    }
    const { body, hasBody } = await readBody(c);
    const params = c.req.param() as Record<string, string>;
    const query = validate({
      query: c.req.query(),
      params,
      headers: (name) => c.req.header(name),
      body,
      hasBody,
    });
    if (principal?.kind === 'secret' && principal.restricted) {
      await enforceRestriction(ctx.db, principal.restricted, method, template, params, body);
    }
    return { params, query, body, principal, headers: (n) => c.req.header(n), requestId: c.get('requestId') };
  }

  /**
   * Registers a JSON operation under its OpenAPI path template (`/cards/{card}`): auth, rate limit,
   * spec validation, idempotency (POST), then `handler`.
   */
  function op(
    method: 'get' | 'post' | 'patch' | 'delete',
    template: string,
    options: { auth?: Auth; cors?: boolean; headers?: Record<string, string> },
    handler: (req: OpRequest) => Promise<OpResult>,
  ): void {
    if (options.cors) corsPaths.push(new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`));
    const validate = validator.requestValidator(method, template);
    // The operation's own response headers, listed once here rather than on every request.
    const fixedHeaders = Object.entries({ ...(options.cors ? CORS_HEADERS : {}), ...options.headers }).map(
      ([name, value]) => [name.toLowerCase() as Lowercase<string>, value] as const,
    );
    app.on(method.toUpperCase(), template.replace(/\{([^}]+)\}/g, ':$1'), async (c) => {
      for (const [k, v] of fixedHeaders) setResponseHeader(c, k, v);
      const req = await prepare(c, method, template, options.auth ?? 'secret', validate);
      const scope = req.principal?.kind === 'secret' ? req.principal.restricted?.scope : null;
      return idempotent(c, req.principal, req.body, () => runScoped(scope, () => handler(req)));
    });
  }

  /** Registers a non-JSON operation (no credential; the handler builds the response). */
  function raw(
    method: 'get',
    template: string,
    handler: (c: HonoContext<Vars>, req: OpRequest) => Promise<Response>,
  ): void {
    const validate = validator.requestValidator(method, template);
    app.on(method.toUpperCase(), template.replace(/\{([^}]+)\}/g, ':$1'), async (c) =>
      handler(c, await prepare(c, method, template, 'none', validate)),
    );
  }

  return { app, op, raw };
}

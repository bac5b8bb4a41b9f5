import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  InternalServerError,
  OpenIssuing,
  RateLimitError,
  TimeoutError,
} from '../src/index.node';

// Faults the real platform cannot produce on demand: slow answers, resets, malformed bodies,
// rate limits and overload. Everything else is tested against the platform itself.
const BASE = 'http://api.openissuing.test';
const server = setupServer();
const seen: Request[] = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

const client = (options: ConstructorParameters<typeof OpenIssuing>[0] = {}) =>
  new OpenIssuing({ apiKey: 'sk_test_faults123', baseUrl: BASE, ...options });

const card = { id: 'ic_1', object: 'card', status: 'active' };
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json(
    {
      type: `urn:openissuing:problem:${code}`,
      title: code,
      status,
      detail: `${code} happened`,
      code,
      request_id: 'req_1',
      ...extra,
    },
    { status, headers: { 'content-type': 'application/problem+json', 'request-id': 'req_1' } },
  );

/** Answers with each response in turn (the last one repeats). */
function sequence(
  method: 'get' | 'post',
  path: string,
  ...responses: Array<() => Response | Promise<Response>>
) {
  let n = 0;
  server.use(
    http[method](`${BASE}${path}`, ({ request }) => {
      seen.push(request.clone());
      const next = responses[Math.min(n++, responses.length - 1)] as () => Response;
      return next();
    }),
  );
}

describe('retries', () => {
  it('retries a reset connection on POST with the same Idempotency-Key, then succeeds', async () => {
    sequence(
      'post',
      '/cards',
      () => HttpResponse.error(),
      () => HttpResponse.json(card, { status: 201 }),
    );
    await expect(
      client().cards.create({ cardholder: 'ich_1', type: 'virtual', currency: 'usd' }),
    ).resolves.toEqual(card);
    expect(seen).toHaveLength(2);
    const keys = seen.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('retries 500, 502, 503 and 504, then gives up with InternalServerError', async () => {
    sequence(
      'get',
      '/cards/ic_1',
      () => problem(502, 'internal_error'),
      () => problem(503, 'internal_error'),
      () => problem(500, 'internal_error'),
    );
    const error = await client({ maxRetries: 2 })
      .cards.retrieve('ic_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(3);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    const at: number[] = [];
    server.use(
      http.get(`${BASE}/cards/ic_1`, ({ request }) => {
        seen.push(request);
        at.push(Date.now());
        if (at.length === 1) {
          return HttpResponse.json(
            { status: 429, code: 'rate_limited', detail: 'Slow down.' },
            { status: 429, headers: { 'retry-after': '1' } },
          );
        }
        return HttpResponse.json(card);
      }),
    );
    await expect(client().cards.retrieve('ic_1')).resolves.toEqual(card);
    expect(seen).toHaveLength(2);
    expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(950); // waited as told, not the 0.3 s backoff
  });

  it('a 429 that persists surfaces as RateLimitError', async () => {
    sequence('get', '/cards/ic_1', () => problem(429, 'rate_limited'));
    await expect(client({ maxRetries: 1 }).cards.retrieve('ic_1')).rejects.toBeInstanceOf(RateLimitError);
    expect(seen).toHaveLength(2);
  });

  it('retries 409 idempotency_key_in_progress but not idempotency_key_reused', async () => {
    sequence(
      'post',
      '/topups',
      () => problem(409, 'idempotency_key_in_progress'),
      () => HttpResponse.json({ id: 'tu_1' }, { status: 201 }),
    );
    await expect(client().topups.create({ amount: 100, currency: 'usd' })).resolves.toEqual({ id: 'tu_1' });
    expect(seen).toHaveLength(2);
    seen.length = 0;
    sequence('post', '/topups', () => problem(409, 'idempotency_key_reused'));
    await expect(client().topups.create({ amount: 100, currency: 'usd' })).rejects.toMatchObject({
      name: 'ConflictError',
      code: 'idempotency_key_reused',
    });
    expect(seen).toHaveLength(1);
  });

  it('does not retry 400, 401, 403 or 404', async () => {
    for (const [status, code] of [
      [400, 'parameter_invalid'],
      [401, 'api_key_invalid'],
      [403, 'insufficient_permissions'],
      [404, 'resource_missing'],
    ] as const) {
      seen.length = 0;
      sequence('get', '/cards/ic_1', () => problem(status, code));
      await expect(client().cards.retrieve('ic_1')).rejects.toMatchObject({ status, code });
      expect(seen, `status ${status}`).toHaveLength(1);
    }
  });
});

describe('timeouts, cancellation and malformed bodies', () => {
  it('times out each attempt, retries, then throws TimeoutError', async () => {
    sequence('get', '/cards/ic_1', async () => {
      await delay(5_000);
      return HttpResponse.json(card);
    });
    const error = await client({ timeout: 100, maxRetries: 1 })
      .cards.retrieve('ic_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('100 ms');
    expect(seen).toHaveLength(2);
  });

  it('a per-request timeout overrides the client one', async () => {
    sequence('get', '/cards/ic_1', async () => {
      await delay(300);
      return HttpResponse.json(card);
    });
    const c = client({ timeout: 50, maxRetries: 0 });
    await expect(c.cards.retrieve('ic_1')).rejects.toBeInstanceOf(TimeoutError);
    await expect(c.cards.retrieve('ic_1', { timeout: 5_000 })).resolves.toEqual(card);
  });

  it('an AbortSignal cancels a pending request and any retry', async () => {
    sequence('get', '/cards/ic_1', async () => {
      await delay(5_000);
      return HttpResponse.json(card);
    });
    const controller = new AbortController();
    const pending = client().cards.retrieve('ic_1', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by the user')), 50);
    await expect(pending).rejects.toThrow('cancelled by the user');
    expect(seen).toHaveLength(1);
  });

  it('a 2xx body that is not JSON is a ConnectionError whose cause is the parse error', async () => {
    sequence(
      'get',
      '/cards/ic_1',
      () =>
        new HttpResponse('<html>proxy login</html>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
    );
    const error = (await client()
      .cards.retrieve('ic_1')
      .catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('a 5xx with an HTML body keeps the start of the body in the message', async () => {
    sequence(
      'get',
      '/cards/ic_1',
      () =>
        new HttpResponse('<h1>Bad gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    const error = await client({ maxRetries: 0 })
      .cards.retrieve('ic_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toContain('<h1>Bad gateway</h1>');
  });
});

describe('requests', () => {
  it('sends auth, version and JSON; percent-encodes ids; drops undefined query values', async () => {
    server.use(
      http.get(`${BASE}/cards`, ({ request }) => {
        seen.push(request);
        return HttpResponse.json({ object: 'list', data: [], has_more: false, next_cursor: null });
      }),
      http.get(`${BASE}/cards/:id`, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(card);
      }),
    );
    const c = client({ apiVersion: '2026-11-01', defaultHeaders: { 'x-trace': 't1' } });
    await c.cards.list({ status: 'active', cardholder: undefined, limit: 5 });
    await c.cards.retrieve('ic_1/../../x', { headers: { 'x-extra': '1' }, apiKey: 'ek_test_override' });
    const [list, one] = seen as [Request, Request];
    expect(list.headers.get('authorization')).toBe('Bearer sk_test_faults123');
    expect(list.headers.get('openissuing-version')).toBe('2026-11-01');
    expect(list.headers.get('x-trace')).toBe('t1');
    expect(list.headers.get('idempotency-key')).toBeNull();
    expect(new URL(list.url).search).toBe('?status=active&limit=5');
    expect(new URL(one.url).pathname).toBe('/cards/ic_1%2F..%2F..%2Fx');
    expect(one.headers.get('authorization')).toBe('Bearer ek_test_override');
    expect(one.headers.get('x-extra')).toBe('1');
  });
});

describe('logger', () => {
  it('logs requests, responses and retries, never the key or a body', async () => {
    const lines: string[] = [];
    const logger = Object.fromEntries(
      (['debug', 'info', 'warn', 'error'] as const).map((level) => [
        level,
        (message: string, details?: object) =>
          lines.push(`${level} ${message} ${JSON.stringify(details ?? {})}`),
      ]),
    ) as unknown as Console;
    sequence(
      'post',
      '/cards',
      () => problem(503, 'internal_error'),
      () =>
        HttpResponse.json(
          { ...card, number: '4242424242424242' },
          { status: 201, headers: { 'request-id': 'req_9' } },
        ),
    );
    await client({ logger, logLevel: 'debug' }).cards.create({
      cardholder: 'ich_secret_name',
      type: 'virtual',
      currency: 'usd',
    });
    expect(lines[0]).toMatch(/^debug openissuing: → POST \/cards/);
    expect(lines.some((l) => /^warn openissuing: POST \/cards: 503, retry 1 of 2 in \d+ ms/.test(l))).toBe(
      true,
    );
    expect(lines.some((l) => l.includes('← 201 POST /cards') && l.includes('req_9'))).toBe(true);
    const all = lines.join('\n');
    for (const secret of ['sk_test_faults123', '4242424242424242', 'ich_secret_name'])
      expect(all).not.toContain(secret);

    lines.length = 0;
    sequence(
      'get',
      '/cards/ic_1',
      () => problem(503, 'internal_error'),
      () => HttpResponse.json(card),
    );
    await client({ logger }).cards.retrieve('ic_1');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['warn']); // default level: warn (retries only)
    lines.length = 0;
    await client({ logger, logLevel: 'off' }).cards.retrieve('ic_1');
    expect(lines).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  createAuthorizationHandler,
  SpendingControlsBuilder,
  spendingControls,
  ValidationError,
  validateSpendingControls,
  webhooks,
} from '../src/index.node';
import { authorizationRequestEvent } from './helpers/events';

const secret = 'whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IG9mIDMyIGJ5dGVz';

describe('spendingControls builder', () => {
  it('builds the plain object the API takes', () => {
    const controls = spendingControls()
      .limit(50_000, 'monthly')
      .limit(20_000, 'daily', { categories: ['advertising'] })
      .allowCategories('advertising', 'cloud_computing')
      .blockCountries('KP')
      .velocity(20, 3600)
      .build();
    expect(controls).toEqual({
      spending_limits: [
        { amount: 50_000, interval: 'monthly' },
        { amount: 20_000, interval: 'daily', categories: ['advertising'] },
      ],
      allowed_categories: ['advertising', 'cloud_computing'],
      blocked_merchant_countries: ['KP'],
      velocity: { max_authorizations: 20, window_seconds: 3600 },
    });
    expect(spendingControls(controls).blockCategories('gambling').build().blocked_categories).toEqual([
      'gambling',
    ]);
    expect(new SpendingControlsBuilder().build()).toEqual({});
  });

  it('names every invalid field and does not mutate its input', () => {
    const initial = { spending_limits: [{ amount: 100, interval: 'daily' as const }] };
    const error = (() => {
      try {
        spendingControls(initial).limit(1.5, 'daily').blockCountries('germany').velocity(0, 60).build();
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'spending_limits[1].amount',
        'blocked_merchant_countries[0]',
        'velocity.max_authorizations',
      ]),
    );
    expect(error.message).toMatch(/^Invalid spending_controls: /);
    expect(initial.spending_limits).toHaveLength(1);
    expect(() => validateSpendingControls({ spending_limits: [{ amount: 1, interval: 'hourly' }] })).toThrow(
      /spending_limits\[0\]\.interval/,
    );
  });
});

describe('createAuthorizationHandler (requests built with generateTestHeaders)', () => {
  const event = (amount: number) => authorizationRequestEvent(amount);
  const request = async (body: unknown, sign = secret) => {
    const payload = JSON.stringify(body);
    return new Request('http://localhost/hook', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await webhooks.generateTestHeaders({ payload, secret: sign })),
      },
      body: payload,
    });
  };

  it('answers the verdict, validating its shape', async () => {
    const handler = createAuthorizationHandler(
      (a) => (a.amount > 100 ? { approved: false, reason: 'too much' } : true),
      {
        secret,
      },
    );
    expect(await (await handler(await request(event(50)))).json()).toEqual({ approved: true });
    expect(await (await handler(await request(event(500)))).json()).toEqual({
      approved: false,
      reason: 'too much',
    });
  });

  it('rejects unsigned or foreign requests with 400 and a reason, without calling decide', async () => {
    let calls = 0;
    const handler = createAuthorizationHandler(
      () => {
        calls++;
        return true;
      },
      { secret },
    );
    const forged = await handler(
      await request(event(1), 'whsec_YW5vdGhlciBzZWNyZXQgb2YgYXQgbGVhc3QgMjQgYnl0ZXM='),
    );
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ code: 'webhook_invalid' });
    const other = await handler(await request({ ...event(1), type: 'card.created' }));
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({
      type: 'about:blank',
      title: 'unexpected_event',
      status: 400,
      code: 'unexpected_event',
      detail: 'This endpoint answers authorization.request, not card.created.',
    });
    const get = await handler(new Request('http://localhost/hook'));
    expect(get.status).toBe(405);
    expect(get.headers.get('content-type')).toBe('application/problem+json');
    // RFC 9110 §15.5.6: a 405 carries Allow
    expect(get.headers.get('allow')).toBe('POST');
    for (const method of ['PUT', 'DELETE', 'HEAD'] as const) {
      const refused = await handler(new Request('http://localhost/hook', { method }));
      expect(refused.status).toBe(405);
      expect(refused.headers.get('allow')).toBe('POST');
    }
    expect(await get.json()).toEqual({
      type: 'about:blank',
      title: 'method_not_allowed',
      status: 405,
      code: 'method_not_allowed',
      detail: 'Send the webhook with POST.',
    });
    const malformed = await handler(
      await request({ ...event(1), data: { object: { id: 'iauth_1', amount: -5 } } }),
    );
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      code: 'event_invalid',
      detail: expect.stringContaining('data.object.amount'),
    });
    expect(calls).toBe(0);
  });

  it('falls back (approve or decline) when decide throws, stalls or returns garbage', async () => {
    const errors: unknown[] = [];
    const stall = () => new Promise<boolean>(() => {});
    const approveOnError = createAuthorizationHandler(stall, {
      secret,
      timeoutMs: 20,
      fallback: 'approve',
      onError: (e) => errors.push(e),
    });
    expect(await (await approveOnError(await request(event(1)))).json()).toEqual({ approved: true });
    const declineOnError = createAuthorizationHandler(() => ({ approved: 'yes' }) as never, {
      secret,
      onError: (e) => errors.push(e),
    });
    expect(await (await declineOnError(await request(event(1)))).json()).toMatchObject({ approved: false });
    const throws = createAuthorizationHandler(
      () => {
        throw new Error('boom');
      },
      { secret, onError: (e) => errors.push(e) },
    );
    expect(await (await throws(await request(event(1)))).json()).toMatchObject({ approved: false });
    expect(errors.map(String)).toEqual([
      expect.stringContaining('20 ms'),
      expect.stringContaining('return true/false'),
      expect.stringContaining('boom'),
    ]);
  });
});

describe('parseWebhookEvent', () => {
  it('accepts a spec-conformant event and names the fields of one that is not', async () => {
    const { parseWebhookEvent, schemas } = await import('../src/index.node');
    const bad = {
      id: 'evt_1',
      object: 'event',
      type: 'card.created',
      created_at: 'yesterday',
      data: { object: { id: 'nope' } },
    };
    expect(() => parseWebhookEvent(bad)).toThrow(ValidationError);
    expect(typeof schemas.zCardCreateParams.safeParse).toBe('function');
  });
});

describe('API_VERSION', () => {
  it('is the spec info.version, so the SDK pins the version it was generated from', async () => {
    const { readFile } = await import('node:fs/promises');
    const { API_VERSION } = await import('../src/index.node');
    const spec = await readFile(new URL('../../../openapi/openissuing.yaml', import.meta.url), 'utf8');
    expect(API_VERSION).toBe(/^info:[\s\S]*?\n {2}version: "?([0-9-]+)"?/m.exec(spec)?.[1]);
  });
});

describe('schemas (public zod map)', () => {
  it('has a working zod schema for every schema of the spec, under its short declared type', async () => {
    const { schemas } = await import('../src/schemas/index');
    const spec = JSON.parse(
      await import('node:fs/promises').then((fs) =>
        fs.readFile(new URL('../../platform/src/generated/openapi.json', import.meta.url), 'utf8'),
      ),
    );
    const names = Object.keys(spec.components.schemas);
    expect(names.length).toBeGreaterThan(50);
    for (const name of names) {
      const schema = (schemas as Record<string, { safeParse?: unknown }>)[`z${name}`];
      expect(typeof schema?.safeParse, `z${name}`).toBe('function');
    }
    expect(schemas.zCardCreateParams.safeParse({ type: 'virtual' }).success).toBe(false);
  });
});

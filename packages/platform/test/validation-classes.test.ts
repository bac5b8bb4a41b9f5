import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_LIMITS } from '../src/http/request-limits';
import { authorize, type Client, seedCard, start } from './helpers';

// Issue #12, "Bad input → clear 4xx, never 5xx, nothing written": each class of defect, with the
// examples the robustness pass found.

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start());
});
afterAll(async () => {
  await platform.close();
});

const count = async (path: string) => (await api.get(`${path}?limit=100`)).body.data.length as number;

describe('the text rule', () => {
  it.each([
    ['/cardholders', { type: 'individual', name: 'Ada\u0000Lovelace', email: 'a@example.com' }, 'name'],
    ['/topups', { amount: 100, currency: 'usd', description: 'seed\u0000' }, 'description'],
    [
      '/webhook_endpoints',
      { url: 'http://127.0.0.1:9/x', enabled_events: ['card.created'], description: '\u0000' },
      'description',
    ],
    [
      '/cardholders',
      { type: 'individual', name: 'Ada', email: 'a@example.com', metadata: { note: 'a\u0000b' } },
      'metadata.note',
    ],
    ['/cardholders', { type: 'individual', name: 'Ada\nLovelace', email: 'a@example.com' }, 'name'],
    ['/cardholders', { type: 'individual', name: 'Ada\u001b[31m', email: 'a@example.com' }, 'name'],
    ['/cardholders', { type: 'individual', name: 'Ada\ud800', email: 'a@example.com' }, 'name'],
    [
      '/cardholders',
      { type: 'individual', name: 'Ada', email: 'a@example.com', metadata: { 'k\u0000': 'v' } },
      'metadata',
    ],
  ])('POST %s refuses %j naming %s, writing nothing', async (path, body, param) => {
    const before = await count(path);
    const res = await api.post(path, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'parameter_invalid', param });
    expect(res.body.detail).toMatch(/control character|surrogate/);
    expect(await count(path)).toBe(before);
  });

  it('refuses a NUL in a test-helper merchant name without creating an authorization', async () => {
    const { card } = await seedCard(api);
    const before = await count('/authorizations');
    const res = await authorize(api, card.id, 100, { name: 'Acme\u0000' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'parameter_invalid', param: 'merchant_data.name' });
    expect(await count('/authorizations')).toBe(before);
  });

  it('allows tab, line feed and carriage return in free text (descriptions, metadata values)', async () => {
    const topup = await api.post('/topups', {
      amount: 100,
      currency: 'usd',
      description: 'line 1\r\n\tline 2',
    });
    expect(topup.status).toBe(201);
    expect(topup.body.description).toBe('line 1\r\n\tline 2');
    const holder = await api.post('/cardholders', {
      type: 'individual',
      name: 'Ada',
      email: 'a@example.com',
      metadata: { note: 'two\nlines' },
    });
    expect(holder.status).toBe(201);
  });

  it('applies to query parameters', async () => {
    const res = await api.get('/cards?cursor=%00abc');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'parameter_invalid', param: 'cursor' });
  });
});

describe('body limits, before anything recursive', () => {
  const deep = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;

  it('refuses a body nested thousands of levels deep with an Idempotency-Key (no body declared)', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    for (const path of [`/cards/${card.id}/freeze`, `/cards/${card.id}/unfreeze`, '/topups']) {
      const res = await api.call('POST', path, deep(10_000), {
        'Content-Type': 'application/json',
        'Idempotency-Key': `deep-${path}`,
      });
      expect(res.status, path).toBe(400);
      expect(res.body).toMatchObject({ code: 'parameter_invalid', param: 'body' });
      expect(res.body.detail).toContain(String(REQUEST_LIMITS.maxDepth));
    }
    expect((await api.get(`/cards/${card.id}`)).body.status).toBe('active');
  });

  it('refuses a body over the size limit, saying the limit', async () => {
    const before = await count('/topups');
    const big = JSON.stringify({ amount: 1, currency: 'usd', description: 'x'.repeat(2 * 1024 * 1024) });
    const res = await api.call('POST', '/topups', big, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'parameter_invalid', param: 'body' });
    expect(res.body.detail).toContain(String(REQUEST_LIMITS.maxBodyBytes));
    expect(await count('/topups')).toBe(before);
  });
});

describe('requests Node refuses before the app', () => {
  it('a query string over 16 KiB gets a problem+json 400 with a Request-Id, not a bare 431', async () => {
    const res = await fetch(`${platform.url}/cards?cursor=${'x'.repeat(20_000)}`, {
      headers: { Authorization: `Bearer ${platform.apiKey}` },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(await res.json()).toMatchObject({ code: 'parameter_invalid', status: 400 });
  });
});

describe('operations without a request body', () => {
  it('refuse unknown fields: expire with {"zz_unknown":1} leaves the authorization pending', async () => {
    const { card } = await seedCard(api);
    const auth = await authorize(api, card.id, 500);
    expect(auth.status).toBe(200);
    const res = await api.post(`/test_helpers/authorizations/${auth.body.id}/expire`, { zz_unknown: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'parameter_invalid', param: 'zz_unknown' });
    expect((await api.get(`/authorizations/${auth.body.id}`)).body.status).toBe('pending');
    const frozen = await api.post(`/cards/${card.id}/freeze`, { reason: 'x' });
    expect(frozen.status).toBe(400);
    expect(frozen.body).toMatchObject({ code: 'parameter_invalid', param: 'reason' });
    expect((await api.get(`/cards/${card.id}`)).body.status).toBe('active');
  });

  it('accept no body and an empty object', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    expect((await api.post(`/cards/${card.id}/freeze`, {})).status).toBe(200);
    expect((await api.call('POST', `/cards/${card.id}/unfreeze`)).status).toBe(200);
  });
});

describe('headers the spec declares', () => {
  it('refuses an empty Idempotency-Key (minLength 1) and writes nothing', async () => {
    const before = await count('/topups');
    const res = await api.post('/topups', { amount: 100, currency: 'usd' }, { 'Idempotency-Key': '' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'parameter_invalid', param: 'Idempotency-Key' });
    expect(await count('/topups')).toBe(before);
  });
});

describe('card numbers are never echoed', () => {
  it('GET /cards/4242424242424242 says what an id looks like, without the digits', async () => {
    const res = await api.get('/cards/4242424242424242');
    expect(res.status).toBe(400);
    expect(res.body.param).toBe('card');
    expect(JSON.stringify(res.body)).not.toMatch(/\d{12}/);
    expect(res.body.detail).toContain('ic_');
  });

  it('a digit run anywhere in the request (field names, ids in bodies) is not echoed', async () => {
    const unknown = await api.post('/topups', { amount: 1, currency: 'usd', '4000056655665556': 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('parameter_invalid');
    expect(JSON.stringify(unknown.body)).not.toMatch(/\d{12}/);
    const missing = await api.get('/cards/ic_4000056655665556');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'resource_missing', param: 'card' });
    expect(JSON.stringify(missing.body)).not.toMatch(/\d{12}/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedCard, start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start({ apiKey: 'sk_test_contract_suite_key' }));
});
afterAll(async () => {
  await platform.close();
});

describe('validation, problem+json, idempotency, versioning', () => {
  it('uses the fixed secret key', () => {
    expect(platform.apiKey).toBe('sk_test_contract_suite_key');
  });

  it('names the field at fault and writes nothing', async () => {
    const before = (await api.get('/cardholders?limit=100')).body.data.length;
    const res = await api.post('/cardholders', {
      type: 'individual',
      name: 'Bad Limits',
      email: 'x@example.com',
      spending_controls: { spending_limits: [{ amount: 100, interval: 'fortnightly' }] },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      type: 'urn:openissuing:problem:parameter_invalid',
      code: 'parameter_invalid',
      param: 'spending_controls.spending_limits[0].interval',
      status: 400,
    });
    expect(res.body.detail).toContain('spending_controls.spending_limits[0].interval');
    const after = (await api.get('/cardholders?limit=100')).body.data.length;
    expect(after).toBe(before);
  });

  it('lists every problem when several fields are wrong', async () => {
    const res = await api.post('/cardholders', { type: 'individual', email: 'not-an-email' });
    expect(res.status).toBe(400);
    const params = res.body.errors.map((e: { param: string }) => e.param).sort();
    expect(params).toEqual(['email', 'name']);
  });

  it('rejects unknown fields and bad query parameters', async () => {
    const unknown = await api.post('/topups', { amount: 100, currency: 'usd', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.param).toBe('colour');
    const limit = await api.get('/cards?limit=1000');
    expect(limit.status).toBe(400);
    expect(limit.body.param).toBe('limit');
    const badJson = await api.call('POST', '/topups', '{"amount": 1,}');
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({
      code: 'parameter_invalid',
      param: 'body',
      detail: 'body: not a JSON object; check for trailing commas, single quotes or unquoted keys.',
    });
  });

  it('replays an idempotent POST and refuses the key with other parameters', async () => {
    const headers = { 'Idempotency-Key': 'topup-1' };
    const first = await api.post('/topups', { amount: 5_000, currency: 'usd' }, headers);
    const replay = await api.post('/topups', { amount: 5_000, currency: 'usd' }, headers);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const topups = (await api.get('/topups?limit=100')).body.data.filter(
      (t: { id: string }) => t.id === first.body.id,
    );
    expect(topups).toHaveLength(1);
    const other = await api.post('/topups', { amount: 6_000, currency: 'usd' }, headers);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused', param: 'Idempotency-Key' });
  });

  it('carries Request-Id, OpenIssuing-Version and RateLimit headers; refuses unknown versions', async () => {
    const res = await api.get('/balance');
    expect(res.headers.get('openissuing-version')).toBe('2026-11-01');
    expect(Number(res.headers.get('ratelimit-limit'))).toBeGreaterThan(0);
    const bad = await api.get('/balance', { 'OpenIssuing-Version': '1999-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('api_version_invalid');
    const good = await api.get('/balance', { 'OpenIssuing-Version': '2026-11-01' });
    expect(good.status).toBe(200);
  });

  it('answers 404 resource_missing for unknown routes and ids, 400 for malformed ids', async () => {
    const nope = await api.get('/nope');
    expect(nope.status).toBe(404);
    expect(nope.body).toMatchObject({
      code: 'resource_missing',
      detail: 'No operation GET /nope; check the method and path against the API reference.',
    });
    const malformed = await api.get('/cards/not-a-card');
    expect(malformed.status).toBe(400);
    expect(malformed.body.param).toBe('card');
  });

  it('issues cards only to active cardholders', async () => {
    const { cardholder } = await seedCard(api, {}, {}, 0);
    await api.patch(`/cardholders/${cardholder.id}`, { status: 'inactive' });
    const res = await api.post('/cards', { cardholder: cardholder.id, type: 'virtual', currency: 'usd' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'state_invalid', param: 'cardholder' });
    const missing = await api.post('/cards', { cardholder: 'ich_missing', type: 'virtual', currency: 'usd' });
    expect(missing.status).toBe(404);
    expect(missing.body.param).toBe('cardholder');
  });
});

describe('rate limiting', () => {
  it('answers 429 rate_limited with Retry-After past the limit', async () => {
    const limited = await start({ rateLimit: { requestsPerSecond: 1, burst: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.api.get('/balance')).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      const res = await limited.api.get('/balance');
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('rate_limited');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.platform.close();
    }
  });
});

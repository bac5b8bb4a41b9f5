import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, client, seedCard, start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start({ program: { allowed_display_origins: ['http://localhost:5173'] } }));
});
afterAll(async () => {
  await platform.close();
});

describe('ephemeral keys and card details', () => {
  it('reveals PAN and CVC only to an ephemeral key of that card', async () => {
    const { card: a } = await seedCard(api, {}, {}, 0);
    const { card: b } = await seedCard(api, {}, {}, 0);
    const key = await api.post('/ephemeral_keys', { card: a.id });
    expect(key.status).toBe(201);
    expect(key.body.secret).toMatch(/^ek_test_/);
    expect(key.body.id).toMatch(/^ek_/);
    expect(Date.parse(key.body.expires_at) - Date.parse(key.body.created_at)).toBe(15 * 60 * 1000);
    const browser = client(platform, key.body.secret);
    const details = await browser.get(`/cards/${a.id}/details`, { Origin: 'http://localhost:5173' });
    expect(details.status).toBe(200);
    expect(details.body.number).toMatch(/^\d{16}$/);
    expect(details.body.number.slice(-4)).toBe(a.last4);
    expect(details.body.cvc).toMatch(/^\d{3}$/);
    expect(details.headers.get('cache-control')).toBe('no-store');
    expect(details.headers.get('access-control-allow-origin')).toBe('*');

    const other = await browser.get(`/cards/${b.id}/details`);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('ephemeral_key_scope');

    const withSecret = await api.get(`/cards/${a.id}/details`);
    expect(withSecret.status).toBe(403);
    expect(withSecret.body.code).toBe('insufficient_permissions');

    const ekElsewhere = await browser.get('/cards');
    expect(ekElsewhere.status).toBe(403);
    expect(ekElsewhere.body.code).toBe('insufficient_permissions');
  });

  it('refuses a revoked (expired) key with 401 ephemeral_key_expired', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    const key = await api.post('/ephemeral_keys', { card: card.id });
    expect((await api.delete(`/ephemeral_keys/${key.body.id}`)).body).toEqual({
      id: key.body.id,
      object: 'ephemeral_key',
      deleted: true,
    });
    const res = await client(platform, key.body.secret).get(`/cards/${card.id}/details`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('ephemeral_key_expired');
  });

  it('answers CORS preflight for card details', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    const res = await fetch(`${platform.url}/cards/${card.id}/details`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
  });

  it('serves the hosted display page only to allowed origins, framed by that origin alone', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    const ok = await fetch(
      `${platform.url}/cards/${card.id}/display?origin=${encodeURIComponent('http://localhost:5173')}`,
    );
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain(`data-card="${card.id}"`);
    expect(html).not.toMatch(/\d{16}/);
    expect(ok.headers.get('content-security-policy')).toContain('frame-ancestors http://localhost:5173');
    const denied = await fetch(
      `${platform.url}/cards/${card.id}/display?origin=${encodeURIComponent('https://evil.example')}`,
    );
    expect(denied.status).toBe(403);
    expect((await denied.json()).code).toBe('origin_not_allowed');
    const js = await fetch(`${platform.url}/assets/card-display.js`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('openissuing:ready');
  });

  it('refuses a key after its lifetime with 401 ephemeral_key_expired', async () => {
    // The platform's clock, moved past the 15-minute lifetime instead of sleeping through it.
    let offset = 0;
    const short = await start({ now: () => new Date(Date.now() + offset) });
    try {
      const { card } = await seedCard(short.api, {}, {}, 0);
      const key = await short.api.post('/ephemeral_keys', { card: card.id });
      const browser = client(short.platform, key.body.secret);
      expect((await browser.get(`/cards/${card.id}/details`)).status).toBe(200);
      offset += 15 * 60 * 1000 + 1_000;
      const res = await browser.get(`/cards/${card.id}/details`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('ephemeral_key_expired');
    } finally {
      await short.platform.close();
    }
  });

  it('canceled cards give 409 card_not_active for new keys', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    await api.post(`/cards/${card.id}/cancel`, { cancellation_reason: 'lost' });
    const res = await api.post('/ephemeral_keys', { card: card.id });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('card_not_active');
  });
});

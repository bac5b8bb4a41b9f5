import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION } from '../src/api-spec';
import { authorize, type Client, seedCard, start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start());
});
afterAll(async () => {
  await platform.close();
});

describe('cardholders and cards', () => {
  it('creates, lists, retrieves and updates cardholders', async () => {
    const created = await api.post('/cardholders', {
      type: 'company',
      name: 'Marketing',
      email: 'm@example.com',
      dimensions: { department: 'marketing' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: 'cardholder',
      type: 'company',
      status: 'active',
      dimensions: { department: 'marketing' },
    });
    expect(created.body.id).toMatch(/^ich_/);
    const got = await api.get(`/cardholders/${created.body.id}`);
    expect(got.body).toEqual(created.body);
    const patched = await api.patch(`/cardholders/${created.body.id}`, { metadata: { owner: 'eve' } });
    expect(patched.status).toBe(200);
    expect(patched.body.metadata).toEqual({ owner: 'eve' });
    const updated = await api.get(`/events?type=cardholder.updated&limit=1`);
    expect(updated.body.data[0].data).toMatchObject({
      object: { id: created.body.id },
      previous_attributes: { metadata: {} },
    });
    const list = await api.get('/cardholders?limit=1');
    expect(list.body).toMatchObject({ object: 'list', has_more: expect.any(Boolean) });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].id).toBe(created.body.id);
  });

  it('issues a card without PAN in the object, and freezes, unfreezes, cancels it', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    expect(card).toMatchObject({
      object: 'card',
      status: 'active',
      brand: 'visa',
      type: 'virtual',
      usage: 'reusable',
    });
    expect(card.last4).toMatch(/^\d{4}$/);
    expect(JSON.stringify(card)).not.toMatch(/\d{16}/);
    expect((await api.post(`/cards/${card.id}/freeze`)).body.status).toBe('frozen');
    expect((await api.post(`/cards/${card.id}/unfreeze`)).body.status).toBe('active');
    expect((await api.post(`/cards/${card.id}/cancel`)).body.status).toBe('canceled');
    const again = await api.post(`/cards/${card.id}/unfreeze`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'state_invalid', param: 'card' });
  });

  it('paginates cards newest first with a cursor', async () => {
    const { cardholder } = await seedCard(api, {}, {}, 0);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await api.post('/cards', { cardholder: cardholder.id, type: 'virtual', currency: 'usd' })).body.id,
      );
    const page1 = await api.get(`/cards?cardholder=${cardholder.id}&limit=2`);
    expect(page1.body.has_more).toBe(true);
    const page2 = await api.get(
      `/cards?cardholder=${cardholder.id}&limit=2&cursor=${page1.body.next_cursor}`,
    );
    const seen = [...page1.body.data, ...page2.body.data].map((c: { id: string }) => c.id);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
  });

  it('returns 404 problem+json naming the resource', async () => {
    const res = await api.get('/cards/ic_missing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      status: 404,
      code: 'resource_missing',
      param: 'card',
      request_id: expect.stringMatching(/^req_/),
    });
  });

  it('rejects a missing or wrong key with 401', async () => {
    const res = await fetch(`${platform.url}/cards`);
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('authentication_required');
    const wrong = await fetch(`${platform.url}/cards`, {
      headers: { Authorization: 'Bearer sk_test_nope12345' },
    });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).code).toBe('api_key_invalid');
  });
});

describe('authorizations, transactions, balance', () => {
  it('holds, captures and refunds; the ledger sums to the balance', async () => {
    const before = (await api.get('/balance')).body;
    const { card } = await seedCard(
      api,
      {},
      { dimensions: { department: 'eng', project: 'apollo' } },
      50_000,
    );
    const auth = await authorize(api, card.id, 12_000);
    expect(auth.status).toBe(200);
    expect(auth.body).toMatchObject({
      approved: true,
      status: 'pending',
      amount: 12_000,
      pending_amount: 12_000,
      decision: { reason: 'approved', control: null },
    });
    const captured = await api.post(`/test_helpers/authorizations/${auth.body.id}/capture`, {
      amount: 10_000,
    });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: 'closed', captured_amount: 10_000, pending_amount: 0 });
    expect(captured.body.transactions).toHaveLength(1);
    const txns = await api.get(`/transactions?card=${card.id}`);
    expect(txns.body.data).toHaveLength(1);
    const txn = txns.body.data[0];
    expect(txn).toMatchObject({
      type: 'capture',
      amount: 10_000,
      authorization: auth.body.id,
      dimensions: { department: 'eng', project: 'apollo' },
    });
    const refund = await api.post(`/test_helpers/transactions/${txn.id}/refund`, { amount: 4_000 });
    expect(refund.status).toBe(200);
    expect(refund.body).toMatchObject({ type: 'refund', amount: 4_000, authorization: auth.body.id });
    const tooMuch = await api.post(`/test_helpers/transactions/${txn.id}/refund`, { amount: 6_001 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.param).toBe('amount');
    const after = (await api.get('/balance')).body;
    const usd = (b: { available: Array<{ currency: string; amount: number }> }) =>
      b.available.find((x) => x.currency === 'usd')?.amount ?? 0;
    expect(usd(after) - usd(before)).toBe(50_000 - 10_000 + 4_000);
    let sum = 0;
    let held = 0;
    let cursor: string | null = null;
    let newest: { balance_after: number } | undefined;
    do {
      const page: {
        body: {
          data: Array<{ currency: string; type: string; amount: number; balance_after: number }>;
          next_cursor: string | null;
        };
      } = await api.get(`/ledger_entries?currency=usd&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      newest ??= page.body.data[0];
      for (const e of page.body.data) {
        sum += e.amount;
        if (e.type === 'hold' || e.type === 'hold_release') held -= e.amount;
      }
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(sum).toBe(usd(after));
    expect(newest?.balance_after).toBe(usd(after));
    expect(held).toBe(after.pending.find((x: { currency: string }) => x.currency === 'usd')?.amount);
  });

  it('reverses and expires holds, releasing the balance', async () => {
    const { card } = await seedCard(api, {}, {}, 10_000);
    const a = await authorize(api, card.id, 3_000);
    const partial = await api.post(`/test_helpers/authorizations/${a.body.id}/reverse`, { amount: 1_000 });
    expect(partial.body).toMatchObject({ status: 'pending', pending_amount: 2_000 });
    const full = await api.post(`/test_helpers/authorizations/${a.body.id}/reverse`);
    expect(full.body).toMatchObject({ status: 'reversed', pending_amount: 0 });
    const b = await authorize(api, card.id, 500);
    const expired = await api.post(`/test_helpers/authorizations/${b.body.id}/expire`);
    expect(expired.body).toMatchObject({ status: 'expired', pending_amount: 0 });
    const capture = await api.post(`/test_helpers/authorizations/${b.body.id}/capture`);
    expect(capture.status).toBe(409);
    expect(capture.body).toMatchObject({
      code: 'state_invalid',
      param: 'authorization',
      detail: `authorization: '${b.body.id}' is expired; only a pending authorization can be captured.`,
    });
  });

  it('records events for what happened', async () => {
    const { card } = await seedCard(api, {}, {}, 0);
    const events = await api.get('/events?limit=5');
    expect(events.status).toBe(200);
    const types = events.body.data.map((e: { type: string }) => e.type);
    expect(types).toContain('card.created');
    const cardEvent = events.body.data.find((e: { type: string }) => e.type === 'card.created');
    expect(cardEvent.data.object.id).toBe(card.id);
    expect((await api.get(`/events/${cardEvent.id}`)).body.id).toBe(cardEvent.id);
  });

  it('authorization.created carries the authorization exactly as the response returned it', async () => {
    const { card } = await seedCard(api);
    for (const amount of [1_234, 9_999_999]) {
      const auth = await authorize(api, card.id, amount);
      expect(auth.status).toBe(200);
      const events = await api.get('/events?type=authorization.created&limit=1');
      const event = events.body.data[0];
      expect(event).toEqual({
        id: expect.stringMatching(/^evt_/),
        object: 'event',
        type: 'authorization.created',
        created_at: auth.body.created_at,
        api_version: API_VERSION,
        data: { object: auth.body },
      });
      expect((await api.get(`/events/${event.id}`)).body).toEqual(event);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOptions } from '../src/index';
import { BACKENDS } from './access-backends';
import { type Client, client, type Json, start } from './helpers';

// One currency per budget (POST /budgets, budgets/currency-rule.ts): no active budget ever selects a
// card, not canceled, in another currency, whichever side changes.
describe.each(BACKENDS)('budgets select only cards in their own currency, on $name', (backend) => {
  let options: PlatformOptions;
  let platform: Awaited<ReturnType<typeof start>>['platform'];
  let api: Client;

  beforeAll(async () => {
    options = backend.options();
    ({ platform, api } = await start(options));
  });
  afterAll(async () => {
    await platform.close();
    await backend.drop(options);
  });

  const holder = async (dimensions: Record<string, string>) =>
    (
      await api.post('/cardholders', {
        type: 'individual',
        name: 'Ada',
        email: 'ada@example.com',
        dimensions,
      })
    ).body;
  const card = (cardholder: string, currency: string, dimensions: Record<string, string> = {}) =>
    api.post('/cards', { cardholder, type: 'virtual', currency, dimensions });
  const budget = (selector: Record<string, string>, currency: string) =>
    api.post('/budgets', {
      name: `${Object.values(selector).join('/')} ${currency}`,
      selector,
      currency,
      limits: [{ amount: 100_000, interval: 'monthly' }],
    });
  const expectMismatch = (res: { status: number; body: Json }, param: string, names: string[]) => {
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body).toMatchObject({ code: 'budget_currency_mismatch', param });
    for (const n of names) expect(res.body.detail).toContain(n);
  };

  it('refuses a budget that would select a card in another currency, and takes one in that currency', async () => {
    const h = await holder({ department: 'design' });
    const eur = (await card(h.id, 'eur')).body;
    expectMismatch(await budget({ department: 'design' }, 'usd'), 'selector', [eur.id, '(eur)']);
    expect((await api.get('/budgets?currency=usd&limit=100')).body.data).toEqual([]);
    expect((await budget({ department: 'design' }, 'eur')).status).toBe(201);
    // The card's own dimensions count: a card that overrides the department is not selected.
    const h2 = await holder({ department: 'legal' });
    await card(h2.id, 'gbp', { department: 'legal-uk' });
    expect((await budget({ department: 'legal' }, 'usd')).status).toBe(201);
  });

  it('refuses, under an active budget, a card in another currency: issued, re-dimensioned, or by its cardholder', async () => {
    const b = (await budget({ department: 'research' }, 'usd')).body;
    const h = await holder({ department: 'research' });
    expectMismatch(await card(h.id, 'eur'), 'currency', [b.id, '(usd)', 'department=research']);
    expect((await card(h.id, 'usd')).status).toBe(201);

    const ops = await holder({ department: 'ops' });
    const eur = (await card(ops.id, 'eur')).body;
    expectMismatch(
      await api.patch(`/cards/${eur.id}`, { dimensions: { department: 'research' } }),
      'dimensions',
      [b.id],
    );
    expect((await api.get(`/cards/${eur.id}`)).body.dimensions).toEqual({});
    expectMismatch(
      await api.patch(`/cardholders/${ops.id}`, { dimensions: { department: 'research' } }),
      'dimensions',
      [b.id, eur.id],
    );
    expect((await api.get(`/cardholders/${ops.id}`)).body.dimensions).toEqual({ department: 'ops' });
    // Another change to the same cardholder is not refused.
    expect((await api.patch(`/cardholders/${ops.id}`, { name: 'Ops lead' })).status).toBe(200);

    // A card request whose approval would issue such a card is refused at the last approval, which
    // then changes nothing.
    await api.patch('/program', {
      card_request_policy: {
        currency: 'usd',
        department: null,
        finance: { above_amount: 0, categories: [] },
      },
    });
    const request = (
      await api.post('/card_requests', {
        type: 'new_card',
        cardholder: h.id,
        currency: 'eur',
        spending_controls: { spending_limits: [{ amount: 100, interval: 'monthly' }] },
        reason: 'Conference in Berlin',
      })
    ).body;
    expect(request.status).toBe('pending');
    expectMismatch(await api.post(`/card_requests/${request.id}/approve`, {}), 'currency', [b.id]);
    expect((await api.get(`/card_requests/${request.id}`)).body).toMatchObject({
      status: 'pending',
      card: null,
    });
  });

  it('refuses to reactivate a budget that now selects a card in another currency; canceled cards do not count', async () => {
    const b = (await budget({ department: 'support' }, 'usd')).body;
    await api.patch(`/budgets/${b.id}`, { status: 'inactive' });
    const h = await holder({ department: 'support' });
    const eur = (await card(h.id, 'eur')).body;
    expectMismatch(await api.patch(`/budgets/${b.id}`, { status: 'active' }), 'status', [eur.id]);
    expect((await api.get(`/budgets/${b.id}`)).body.status).toBe('inactive');
    await api.post(`/cards/${eur.id}/cancel`, {});
    expect((await api.patch(`/budgets/${b.id}`, { status: 'active' })).body.status).toBe('active');
  });

  it('governs a department in two currencies with a dimension that tells the cards apart', async () => {
    const us = await holder({ department: 'sales', location: 'us' });
    const de = await holder({ department: 'sales', location: 'de' });
    expect((await card(us.id, 'usd')).status).toBe(201);
    const eur = (await card(de.id, 'eur')).body;
    expect((await budget({ department: 'sales', location: 'us' }, 'usd')).status).toBe(201);
    expect((await budget({ department: 'sales', location: 'de' }, 'eur')).status).toBe(201);
    expectMismatch(await budget({ department: 'sales' }, 'usd'), 'selector', [eur.id]);
    expectMismatch(await budget({ department: 'sales' }, 'gbp'), 'selector', ['and 1 more card']);
  });

  it("names a budget outside a scoped key's scope without its id", async () => {
    const b = (await budget({ region: 'emea' }, 'usd')).body;
    const h = await holder({ department: 'marketing', region: 'emea' });
    const key = await api.post('/api_keys', {
      name: 'Marketing cards',
      permissions: ['cards:write', 'cardholders:write'],
      dimension_scope: { department: 'marketing' },
    });
    const scoped = client(platform, key.body.secret);
    const refused = await scoped.post('/cards', { cardholder: h.id, type: 'virtual', currency: 'eur' });
    expectMismatch(refused, 'currency', ["a usd budget outside this key's dimension scope"]);
    expect(refused.body.detail).not.toContain(b.id);
    expectMismatch(await card(h.id, 'eur'), 'currency', [b.id]);
  });

  it('never lets a budget and a card in another currency both in, however the requests interleave', async (ctx) => {
    if (!options.schema) return ctx.skip(); // PGlite runs one transaction at a time anyway
    for (let round = 0; round < 8; round++) {
      const department = `race-${round}`;
      const h = await holder({ department });
      const [b, c] = await Promise.all([budget({ department }, 'usd'), card(h.id, 'eur')]);
      const won = [b.status, c.status].filter((s) => s === 201).length;
      expect(won, `round ${round}: ${b.status} ${c.status}`).toBe(1);
      expect([b.status, c.status]).toContain(409);
    }
  });
});

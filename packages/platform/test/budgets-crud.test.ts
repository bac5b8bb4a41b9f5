import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start());
});
afterAll(() => platform?.close());

const marketing = {
  name: 'Marketing',
  selector: { department: 'marketing' },
  currency: 'usd',
  limits: [{ amount: 2_000_000, interval: 'monthly' }],
};

describe('budgets: create, retrieve, update, list', () => {
  it('creates a budget with a fresh usage per limit and the default 80 % threshold, and emits budget.created', async () => {
    const created = await api.post('/budgets', marketing);
    expect(created.status).toBe(201);
    const b = created.body;
    expect(b).toMatchObject({
      object: 'budget',
      name: 'Marketing',
      status: 'active',
      selector: { department: 'marketing' },
      alert_threshold_percent: 80,
      metadata: {},
    });
    expect(b.id).toMatch(/^ibgt_/);
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(b.usage).toEqual([
      {
        limit: 0,
        interval: 'monthly',
        amount: 2_000_000,
        window_start: monthStart.toISOString().replace('.000Z', 'Z'),
        window_end: nextMonth.toISOString().replace('.000Z', 'Z'),
        spent: 0,
        held: 0,
        remaining: 2_000_000,
        threshold_reached: false,
        exceeded: false,
      },
    ]);
    expect((await api.get(`/budgets/${b.id}`)).body).toEqual(b);
    const events = (await api.get('/events?type=budget.created')).body.data;
    expect(events.map((e: { data: { object: { id: string } } }) => e.data.object.id)).toContain(b.id);
  });

  it('updates limits, threshold and status with previous values in budget.updated; selector and currency are fixed', async () => {
    const b = (await api.post('/budgets', { ...marketing, name: 'Ads' })).body;
    const updated = await api.patch(`/budgets/${b.id}`, {
      limits: [{ amount: 2_500_000, interval: 'monthly' }],
      alert_threshold_percent: 90,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.limits).toEqual([{ amount: 2_500_000, interval: 'monthly' }]);
    expect(updated.body.usage[0].remaining).toBe(2_500_000);
    const ev = (await api.get('/events?type=budget.updated')).body.data[0];
    expect(ev.data.object.id).toBe(b.id);
    expect(ev.data.previous_attributes).toEqual({
      limits: [{ amount: 2_000_000, interval: 'monthly' }],
      alert_threshold_percent: 80,
    });
    expect((await api.patch(`/budgets/${b.id}`, { status: 'inactive' })).body.status).toBe('inactive');
    const fixed = await api.patch(`/budgets/${b.id}`, { selector: { department: 'sales' } });
    expect(fixed.status).toBe(400);
    expect(fixed.body.code).toBe('parameter_invalid');
  });

  it('lists budgets with usage, filtered by status and currency', async () => {
    const eur = (await api.post('/budgets', { ...marketing, name: 'EU events', currency: 'eur' })).body;
    const list = await api.get('/budgets?currency=eur');
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([eur.id]);
    expect(list.body.data[0].usage).toHaveLength(1);
    const paused = (await api.post('/budgets', { ...marketing, name: 'Paused' })).body;
    await api.patch(`/budgets/${paused.id}`, { status: 'inactive' });
    // Exactly the inactive budgets of the unfiltered list (the update test's 'Ads' too when it ran first).
    const all: { id: string; status: string }[] = (await api.get('/budgets?limit=100')).body.data;
    const expected = all.filter((x) => x.status === 'inactive').map((x) => x.id);
    expect(expected).toContain(paused.id);
    expect(all.length).toBeGreaterThan(expected.length); // the filter has something to leave out
    const inactive = await api.get('/budgets?status=inactive&limit=100');
    expect(inactive.body.data.map((x: { id: string }) => x.id)).toEqual(expected);
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const noSelector = await api.post('/budgets', { ...marketing, selector: {} });
    expect(noSelector.status).toBe(400);
    expect(noSelector.body).toMatchObject({
      code: 'parameter_missing',
      param: 'selector',
      detail:
        'selector must set at least 1 field: name at least one dimension the budget governs, such as {"department": "engineering"}.',
    });
    const perAuth = await api.post('/budgets', {
      ...marketing,
      limits: [{ amount: 1, interval: 'per_authorization' }],
    });
    expect(perAuth.status).toBe(400);
    expect(JSON.stringify(perAuth.body)).toContain('limits[0].interval');
    const currency = await api.post('/budgets', { ...marketing, currency: 'xyz' });
    expect(currency.status).toBe(400);
    expect(currency.body.param).toBe('currency');
    const missing = await api.get('/budgets/ibgt_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.param).toBe('budget');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOptions } from '../src/index';
import { BACKENDS } from './access-backends';
import { authorize, type Client, type Json, start } from './helpers';

// PGlite decides budgets with the rows locked up front; PostgreSQL optimistically, with a guard in
// the final round trip and a locked redo for declines and alerts (budgets/authorize.ts). Same outcomes.
describe.each(BACKENDS)('budgets decide authorizations on $name', (backend) => {
  let platform: Awaited<ReturnType<typeof start>>['platform'];
  let api: Client;
  let options: PlatformOptions;

  beforeAll(async () => {
    options = backend.options();
    ({ platform, api } = await start(options));
    await api.post('/topups', { amount: 100_000_000, currency: 'usd' });
    await api.post('/topups', { amount: 100_000_000, currency: 'eur' });
  });
  afterAll(async () => {
    await platform?.close();
    await backend.drop(options);
  });

  let seq = 0;
  /** A card whose merged dimensions are the holder's overridden by the card's. */
  async function card(holderDims: Record<string, string>, cardDims: Record<string, string> = {}) {
    const h = await api.post('/cardholders', {
      type: 'individual',
      name: `Holder ${++seq}`,
      email: `h${seq}@example.com`,
      dimensions: holderDims,
    });
    const c = await api.post('/cards', {
      cardholder: h.body.id,
      type: 'virtual',
      currency: 'usd',
      dimensions: cardDims,
    });
    expect(c.status).toBe(201);
    return c.body.id as string;
  }

  const events = async (type: string, budget: string) =>
    (await api.get(`/events?type=${type}&limit=100`)).body.data.filter(
      (e: Json) => e.data.object.id === budget,
    ) as Json[];

  describe('budgets', () => {
    it('counts every matching card, declines with budget_exceeded naming what remains, and alerts once per window', async () => {
      const dept = `growth${Date.now()}`;
      const b = (
        await api.post('/budgets', {
          name: 'Growth',
          selector: { department: dept },
          currency: 'usd',
          limits: [{ amount: 10_000, interval: 'monthly' }],
        })
      ).body;
      const viaHolder = await card({ department: dept });
      const viaCard = await card({ department: 'sales' }, { department: dept });
      const other = await card({ department: 'sales' });
      // A card in another currency cannot join the department while the budget is active: it would
      // escape the budget (one currency per budget, budgets-currency.test.ts).
      const eurHolder = (await api.get(`/cards/${viaHolder}`)).body.cardholder;
      const eurCard = await api.post('/cards', { cardholder: eurHolder, type: 'virtual', currency: 'eur' });
      expect(eurCard.body).toMatchObject({
        status: 409,
        code: 'budget_currency_mismatch',
        param: 'currency',
      });

      expect((await authorize(api, viaHolder, 6_000)).body.approved).toBe(true);
      expect((await api.get(`/budgets/${b.id}`)).body.usage[0]).toMatchObject({
        held: 6_000,
        remaining: 4_000,
      });
      expect(await events('budget.threshold_reached', b.id)).toHaveLength(0);
      const second = await authorize(api, viaCard, 3_000);
      expect(second.body.approved).toBe(true);
      const reached = await events('budget.threshold_reached', b.id);
      expect(reached).toHaveLength(1);
      expect(reached[0].data.object.usage[0]).toMatchObject({
        held: 9_000,
        remaining: 1_000,
        threshold_reached: true,
      });

      const declined = await authorize(api, viaCard, 2_000);
      expect(declined.body.approved).toBe(false);
      expect(declined.body.decision).toEqual({
        reason: 'budget_exceeded',
        control: `budget.${b.id}.limits[0]`,
        message: `Budget 'Growth' (${b.id}) has 10.00 USD left of its monthly limit of 100.00 USD; 20.00 USD would exceed it.`,
      });
      expect((await authorize(api, viaHolder, 5_000)).body.decision.reason).toBe('budget_exceeded');
      const exceeded = await events('budget.exceeded', b.id);
      expect(exceeded).toHaveLength(1);
      expect(exceeded[0].data.object.usage[0].exceeded).toBe(true);
      // Exactly what remains still fits; other departments are not governed.
      expect((await authorize(api, viaHolder, 1_000)).body.approved).toBe(true);
      expect((await authorize(api, other, 50_000)).body.approved).toBe(true);
      expect((await api.get(`/budgets/${b.id}`)).body.usage[0]).toMatchObject({
        spent: 0,
        held: 10_000,
        remaining: 0,
        threshold_reached: true,
        exceeded: true,
      });
    });

    it('a partial capture keeps the spend counted, a reversal releases it, a refund does not', async () => {
      const dept = `ops${Date.now()}`;
      const b = (
        await api.post('/budgets', {
          name: 'Ops',
          selector: { department: dept },
          currency: 'usd',
          limits: [{ amount: 10_000, interval: 'daily' }],
          alert_threshold_percent: null,
        })
      ).body;
      const c = await card({ department: dept });
      const a1 = (await authorize(api, c, 6_000)).body;
      const a2 = (await authorize(api, c, 3_000)).body;
      const cap = (await api.post(`/test_helpers/authorizations/${a1.id}/capture`, { amount: 5_000 })).body;
      expect((await api.get(`/budgets/${b.id}`)).body.usage[0]).toMatchObject({
        spent: 6_000,
        held: 3_000,
        remaining: 1_000,
      });
      await api.post(`/test_helpers/authorizations/${a2.id}/reverse`, {});
      expect((await api.get(`/budgets/${b.id}`)).body.usage[0]).toMatchObject({
        spent: 6_000,
        held: 0,
        remaining: 4_000,
      });
      await api.post(`/test_helpers/transactions/${cap.transactions[0]}/refund`, {});
      expect((await api.get(`/budgets/${b.id}`)).body.usage[0].remaining).toBe(4_000);
      expect((await authorize(api, c, 4_001)).body.decision.reason).toBe('budget_exceeded');
      expect((await authorize(api, c, 4_000)).body.approved).toBe(true);
      expect(await events('budget.threshold_reached', b.id)).toHaveLength(0);
    });

    it('an inactive budget neither counts nor declines; several budgets and category limits all apply', async () => {
      const dept = `eng${Date.now()}`;
      const whole = (
        await api.post('/budgets', {
          name: 'Engineering',
          selector: { department: dept },
          currency: 'usd',
          limits: [{ amount: 100_000, interval: 'monthly' }],
        })
      ).body;
      const cloud = (
        await api.post('/budgets', {
          name: 'Platform cloud',
          selector: { department: dept, project: 'platform' },
          currency: 'usd',
          limits: [{ amount: 5_000, interval: 'weekly', categories: ['cloud_computing'] }],
        })
      ).body;
      const platformCard = await card({ department: dept }, { project: 'platform' });
      const aws = { mcc: '7374', name: 'AWS' };
      expect((await authorize(api, platformCard, 5_000, aws)).body.approved).toBe(true);
      const over = (await authorize(api, platformCard, 1, aws)).body;
      expect(over.decision.control).toBe(`budget.${cloud.id}.limits[0]`);
      // Not cloud: only the department budget applies.
      expect((await authorize(api, platformCard, 20_000)).body.approved).toBe(true);
      expect((await api.get(`/budgets/${whole.id}`)).body.usage[0].held).toBe(25_000);
      expect((await api.get(`/budgets/${cloud.id}`)).body.usage[0].held).toBe(5_000);

      await api.patch(`/budgets/${cloud.id}`, { status: 'inactive' });
      expect((await authorize(api, platformCard, 7_000, aws)).body.approved).toBe(true);
      await api.patch(`/budgets/${cloud.id}`, { status: 'active' });
      // Spend made while it was inactive did not count against it.
      expect((await api.get(`/budgets/${cloud.id}`)).body.usage[0]).toMatchObject({
        held: 5_000,
        remaining: 0,
      });
      expect((await authorize(api, platformCard, 1, aws)).body.decision.reason).toBe('budget_exceeded');
      const listed = (await api.get('/budgets?limit=100')).body.data.find((x: Json) => x.id === whole.id);
      expect(listed.usage[0].held).toBe(32_000);
    });

    it('a card whose dimensions change is governed by the budgets of its new dimensions at once', async () => {
      const dept = `legal${Date.now()}`;
      const b = (
        await api.post('/budgets', {
          name: 'Legal',
          selector: { department: dept },
          currency: 'usd',
          limits: [{ amount: 1_000, interval: 'daily' }],
        })
      ).body;
      const c = await card({ department: 'sales' });
      expect((await authorize(api, c, 5_000)).body.approved).toBe(true); // plan cached without the budget
      await api.patch(`/cards/${c}`, { dimensions: { department: dept } });
      const r = (await authorize(api, c, 5_000)).body;
      expect(r.decision.control).toBe(`budget.${b.id}.limits[0]`);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, seedCard, start } from './helpers';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start());
});
afterAll(() => platform?.close());

describe('a card shows the dimensions that govern it (effective_dimensions)', () => {
  it("shows its cardholder's dimensions merged with its own, and follows changes to either", async () => {
    const { cardholder, card } = await seedCard(
      api,
      {},
      { dimensions: { department: 'marketing', cost_center: 'CC-4100' } },
    );
    expect(card).toMatchObject({
      dimensions: {},
      effective_dimensions: { department: 'marketing', cost_center: 'CC-4100' },
    });
    const own = (
      await api.post('/cards', {
        cardholder: cardholder.id,
        type: 'virtual',
        currency: 'usd',
        dimensions: { department: 'events', project: 'offsite' },
      })
    ).body;
    expect(own.effective_dimensions).toEqual({
      department: 'events',
      cost_center: 'CC-4100',
      project: 'offsite',
    });

    await api.patch(`/cardholders/${cardholder.id}`, { dimensions: { department: 'sales' } });
    expect((await api.get(`/cards/${card.id}`)).body.effective_dimensions).toEqual({ department: 'sales' });
    expect((await api.get(`/cards/${own.id}`)).body.effective_dimensions).toEqual({
      department: 'events',
      project: 'offsite',
    });

    const patched = await api.patch(`/cards/${card.id}`, { dimensions: { project: 'q4' } });
    expect(patched.body).toMatchObject({
      dimensions: { project: 'q4' },
      effective_dimensions: { department: 'sales', project: 'q4' },
    });
    const listed = (await api.get(`/cards?cardholder=${cardholder.id}`)).body.data;
    expect(listed.map((c: { effective_dimensions: unknown }) => c.effective_dimensions)).toEqual([
      { department: 'events', project: 'offsite' },
      { department: 'sales', project: 'q4' },
    ]);
    // What the card's authorizations snapshot is the same merge.
    const auth = await api.post('/test_helpers/authorizations', {
      card: card.id,
      amount: 100,
      merchant_data: { name: 'Acme SaaS', mcc: '5734', country: 'DE' },
    });
    expect(auth.body.dimensions).toEqual({ department: 'sales', project: 'q4' });
  });

  it('cannot be written: it is read-only in the spec', async () => {
    const { cardholder } = await seedCard(api, {}, {}, 0);
    const res = await api.post('/cards', {
      cardholder: cardholder.id,
      type: 'virtual',
      currency: 'usd',
      effective_dimensions: { department: 'x' },
    });
    expect(res.status).toBe(400);
    expect(res.body.param).toBe('effective_dimensions');
  });
});

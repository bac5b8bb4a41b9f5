import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, OpenIssuing, PermissionDeniedError } from '../src/index.node';
import type { ApiKeyCreateParams, CardRequest } from '../src/types';
import { type Sandbox, seedCard, sharedSandbox } from './helpers/platform';

let sandbox: Sandbox;
let client: OpenIssuing;

beforeAll(async () => {
  sandbox = await sharedSandbox();
  client = sandbox.client;
});
afterAll(() => sandbox?.close());

const keyClient = async (params: ApiKeyCreateParams) => {
  const key = await client.apiKeys.create(params);
  expect(key.secret).toMatch(/^rk_test_/);
  return { key, client: new OpenIssuing({ apiKey: key.secret, baseUrl: sandbox.platform.url }) };
};

describe('card requests and restricted keys through the SDK', () => {
  it('a department approver and finance approve a request; the card is issued on the last approval', async () => {
    const { cardholder } = await seedCard(client, {}, { dimensions: { department: 'marketing' } }, 0);
    const approver = await keyClient({
      name: 'Marketing approver',
      permissions: ['card_requests:read', 'card_requests:approve'],
      dimension_scope: { department: 'marketing' },
    });
    const finance = await keyClient({ name: 'Finance', permissions: ['card_requests:approve'] });

    const request: CardRequest = await approver.client.cardRequests
      .create({
        type: 'new_card',
        cardholder: cardholder.id,
        spending_controls: { spending_limits: [{ amount: 2_000_000, interval: 'monthly' }] },
        reason: 'Trade fair',
      })
      .catch((e) => e);
    // The approver key has no card_requests:write: creating is refused with a typed error.
    expect(request).toBeInstanceOf(PermissionDeniedError);

    const created = await client.cardRequests.create({
      type: 'new_card',
      cardholder: cardholder.id,
      spending_controls: { spending_limits: [{ amount: 2_000_000, interval: 'monthly' }] },
      reason: 'Trade fair',
    });
    expect(created.approvals.map((a) => a.step)).toEqual(['department', 'finance']);
    const half = await approver.client.cardRequests.approve(created.id, { comment: 'ok' });
    expect(half.status).toBe('pending');
    const done = await finance.client.cardRequests.approve(created.id);
    expect(done.status).toBe('approved');
    const card = await client.cards.retrieve(done.card as string);
    expect(card.cardholder).toBe(cardholder.id);

    const pending = [];
    for await (const r of approver.client.cardRequests.list({ status: 'approved' })) pending.push(r.id);
    expect(pending).toContain(created.id);
  });

  it('a scoped key gets NotFoundError for another department, and a revoked key stops working', async () => {
    const { card } = await seedCard(client, {}, { dimensions: { department: 'sales' } }, 0);
    const { key, client: marketing } = await keyClient({
      name: 'Marketing reader',
      permissions: ['cards:read'],
      dimension_scope: { department: 'marketing' },
    });
    await expect(marketing.cards.retrieve(card.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.apiKeys.retrieve(key.id)).redacted_secret).toBe(`rk_test_…${key.secret?.slice(-4)}`);
    expect((await client.apiKeys.revoke(key.id)).status).toBe('revoked');
    await expect(marketing.cards.list()).rejects.toMatchObject({ status: 401 });
  });
});

describe('effective dimensions through the SDK', () => {
  it("a card carries its cardholder's dimensions merged with its own, typed, in every card response", async () => {
    const { cardholder, card } = await seedCard(client, {}, { dimensions: { department: 'marketing' } }, 0);
    const merged: Record<string, string> = card.effective_dimensions;
    expect(card.dimensions).toEqual({});
    expect(merged).toEqual({ department: 'marketing' });
    const own = await client.cards.create({
      cardholder: cardholder.id,
      type: 'virtual',
      currency: 'usd',
      dimensions: { project: 'q4-launch' },
    });
    expect(own.effective_dimensions).toEqual({ department: 'marketing', project: 'q4-launch' });
    await client.cardholders.update(cardholder.id, { dimensions: { department: 'sales' } });
    expect((await client.cards.retrieve(own.id)).effective_dimensions).toEqual({
      department: 'sales',
      project: 'q4-launch',
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, type OpenIssuing } from '../src/index.node';
import { type Sandbox, seedCard, startSandbox } from './helpers/platform';

let sandbox: Sandbox;
let client: OpenIssuing;
let cardId: string;
const created: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  client = sandbox.client;
  const { card } = await seedCard(client);
  cardId = card.id;
  for (let i = 0; i < 5; i++) {
    const auth = await client.testHelpers.authorizations.create({
      card: cardId,
      amount: 500 + i,
      merchant_data: { name: 'Acme SaaS', mcc: '5734', city: 'Berlin', country: 'DE' },
    });
    expect(auth.approved).toBe(true);
    const captured = await client.testHelpers.authorizations.capture(auth.id);
    created.push(...(captured.transactions as string[]));
  }
  expect(created).toHaveLength(5);
});
afterAll(() => sandbox?.close());

describe('order=asc through the SDK (real platform)', () => {
  it('lists transactions oldest first and auto-paginates forward without gaps or duplicates', async () => {
    const first = await client.transactions.list({ card: cardId, order: 'asc', limit: 2 });
    expect(first.data.map((t) => t.id)).toEqual(created.slice(0, 2));
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.data.map((t) => t.id)).toEqual(created.slice(2, 4));

    const seen: string[] = [];
    for await (const t of client.transactions.list({ card: cardId, order: 'asc', limit: 2 })) seen.push(t.id);
    expect(seen).toEqual(created);

    const newest: string[] = [];
    for await (const t of client.transactions.list({ card: cardId, limit: 2 })) newest.push(t.id);
    expect(newest).toEqual([...created].reverse());
  });

  it('pages authorizations and events forward too', async () => {
    const auths: string[] = [];
    for await (const a of client.authorizations.list({ card: cardId, order: 'asc', limit: 3 }))
      auths.push(a.id);
    const newest: string[] = [];
    for await (const a of client.authorizations.list({ card: cardId, order: 'desc', limit: 3 }))
      newest.push(a.id);
    expect(auths).toHaveLength(5);
    expect(auths).toEqual(newest.reverse());

    const events: Array<{ id: string; created_at: string }> = [];
    for await (const e of client.events.list({ order: 'asc', limit: 7 })) events.push(e);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const times = events.map((e) => Date.parse(e.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('surfaces a cursor sent with the other order as a parameter_invalid error on cursor', async () => {
    const page = await client.transactions.list({ card: cardId, order: 'asc', limit: 1 });
    const err = await client.transactions
      .list({ card: cardId, limit: 1, cursor: page.nextCursor as string })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: 'parameter_invalid', param: 'cursor' });
  });

  it('types order as desc | asc', () => {
    const check = (c: OpenIssuing) => {
      c.transactions.list({ order: 'asc' });
      // @ts-expect-error: only 'asc' and 'desc' are orders
      c.transactions.list({ order: 'up' });
    };
    expect(typeof check).toBe('function');
  });
});

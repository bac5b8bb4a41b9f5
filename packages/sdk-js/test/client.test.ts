import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  isAPIError,
  isOpenIssuingError,
  NotFoundError,
  OpenIssuing,
  Page,
  PermissionDeniedError,
} from '../src/index.node';
import { type Sandbox, seedCard, sharedSandbox } from './helpers/platform';

let sandbox: Sandbox;
let client: OpenIssuing;

beforeAll(async () => {
  sandbox = await sharedSandbox();
  client = sandbox.client;
});
afterAll(() => sandbox?.close());

describe('resources against the real platform', () => {
  it('creates, retrieves, updates, freezes and lists cards', async () => {
    const { cardholder, card } = await seedCard(client, { dimensions: { department: 'marketing' } });
    expect(card).toMatchObject({
      object: 'card',
      cardholder: cardholder.id,
      status: 'active',
      currency: 'usd',
    });
    expect(card.id).toMatch(/^ic_/);
    expect(await client.cards.retrieve(card.id)).toEqual(card);
    const updated = await client.cards.update(card.id, { metadata: { po: '42' } });
    expect(updated.metadata).toEqual({ po: '42' });
    expect((await client.cards.freeze(card.id)).status).toBe('frozen');
    expect((await client.cards.unfreeze(card.id)).status).toBe('active');
    const page = await client.cards.list({ cardholder: cardholder.id });
    expect(page).toBeInstanceOf(Page);
    expect(page.data.map((c) => c.id)).toEqual([card.id]);
    expect((await client.cards.cancel(card.id)).status).toBe('canceled');
  });

  it('auto-paginates with for await across pages, newest first, without duplicates', async () => {
    const holder = await client.cardholders.create({
      type: 'company',
      name: 'Paging Ltd',
      email: 'p@example.com',
    });
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      created.push(
        (await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' })).id,
      );
    }
    const seen: string[] = [];
    for await (const card of client.cards.list({ cardholder: holder.id, limit: 2 })) seen.push(card.id);
    expect(seen).toEqual([...created].reverse());

    const first = await client.cards.list({ cardholder: holder.id, limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.data.map((c) => c.id)).toEqual(created.slice().reverse().slice(3, 6));
    let pages = 0;
    for await (const _ of first) pages++;
    expect(pages).toBe(7);
  });

  it('exposes the raw response and the request id with .withResponse()', async () => {
    const { data, response, requestId } = await client.balance.retrieve().withResponse();
    expect(data.object).toBe('balance');
    expect(response.status).toBe(200);
    expect(requestId).toMatch(/^req_/);
    expect(requestId).toBe(response.headers.get('request-id'));
  });

  it('drives authorizations, captures and refunds through the test helpers', async () => {
    const { card } = await seedCard(client);
    const auth = await client.testHelpers.authorizations.create({
      card: card.id,
      amount: 1200,
      merchant_data: { name: 'AWS', mcc: '7374', country: 'US' },
    });
    expect(auth).toMatchObject({ approved: true, status: 'pending', decision: { reason: 'approved' } });
    const captured = await client.testHelpers.authorizations.capture(auth.id, { amount: 1000 });
    expect(captured.status).toBe('closed');
    const [txn] = (await client.transactions.list({ card: card.id })).data;
    expect(txn).toMatchObject({ type: 'capture', amount: 1000, authorization: auth.id });
    const refund = await client.testHelpers.transactions.refund(txn?.id as string, { amount: 400 });
    expect(refund).toMatchObject({ type: 'refund', amount: 400 });
    expect((await client.authorizations.retrieve(auth.id)).id).toBe(auth.id);
    const types: string[] = [];
    for await (const event of client.events.list({ limit: 100 })) types.push(event.type);
    expect(types).toEqual(expect.arrayContaining(['authorization.created', 'transaction.created']));
  });

  it('an ephemeral key reads card details; a secret key may not', async () => {
    const { card } = await seedCard(client);
    const key = await client.ephemeralKeys.create({ card: card.id });
    const browser = new OpenIssuing({ apiKey: key.secret, baseUrl: sandbox.platform.url });
    const details = await browser.cards.details(card.id);
    expect(details.number).toMatch(/\d{4}$/);
    expect(details.number.endsWith(card.last4)).toBe(true);
    await expect(browser.cards.list()).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});

describe('errors', () => {
  it('maps 404 to NotFoundError with code, request id and the problem body', async () => {
    const error = await client.cards.retrieve('ic_doesnotexist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(isAPIError(error) && isOpenIssuingError(error)).toBe(true);
    const e = error as NotFoundError;
    expect(e).toMatchObject({ name: 'NotFoundError', status: 404, code: 'resource_missing' });
    expect(e.requestId).toMatch(/^req_/);
    expect(e.problem?.status).toBe(404);
    expect(e.message).toContain('404 resource_missing');
    expect(e.message).toContain(e.requestId as string);
  });

  it('maps 400 to BadRequestError naming the parameter', async () => {
    const holder = await client.cardholders.create({ type: 'individual', name: 'B', email: 'b@example.com' });
    const error = (await client.cards
      .create({
        cardholder: holder.id,
        type: 'virtual',
        currency: 'usd',
        spending_controls: { spending_limits: [{ amount: -1, interval: 'daily' }] },
      })
      .catch((e: unknown) => e)) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBe('spending_controls.spending_limits[0].amount');
    expect(error.message).toContain('spending_limits[0].amount');
  });

  it('maps 401 to AuthenticationError', async () => {
    const bad = new OpenIssuing({ apiKey: 'sk_test_wrongwrongwrong', baseUrl: sandbox.platform.url });
    await expect(bad.cards.list()).rejects.toMatchObject({ name: 'AuthenticationError', status: 401 });
    await expect(bad.cards.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('reusing an Idempotency-Key with other parameters is a ConflictError, not retried', async () => {
    const key = `test-${Math.random()}`;
    const a = await client.cardholders.create(
      { type: 'individual', name: 'Same', email: 's@example.com' },
      { idempotencyKey: key },
    );
    const replay = await client.cardholders
      .create({ type: 'individual', name: 'Same', email: 's@example.com' }, { idempotencyKey: key })
      .withResponse();
    expect(replay.data.id).toBe(a.id);
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    const error = await client.cardholders
      .create({ type: 'individual', name: 'Other', email: 's@example.com' }, { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('an aborted signal rejects with the abort reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user navigated away'));
    await expect(client.cards.list({}, { signal: controller.signal })).rejects.toThrow('user navigated away');
  });

  it('refuses a secret key in a browser-like global, and an empty id', () => {
    const g = globalThis as { document?: unknown };
    g.document = {};
    try {
      expect(() => new OpenIssuing({ apiKey: 'sk_test_123456789', baseUrl: 'http://127.0.0.1:1' })).toThrow(
        /ephemeral key/,
      );
      expect(() => new OpenIssuing({ apiKey: 'ek_test_123', baseUrl: 'http://127.0.0.1:1' })).not.toThrow();
    } finally {
      delete g.document;
    }
    expect(() => client.cards.retrieve('')).toThrow(/needs an id/);
  });
});

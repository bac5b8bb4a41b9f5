import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKey,
  approvalPolicy,
  BadRequestError,
  NotFoundError,
  OpenIssuing,
  PermissionDeniedError,
  ValidationError,
} from '../src/index.node';
import { type Sandbox, seedCard, startSandbox } from './helpers/platform';

// Its own platform: the approval-policy tests change the program's settings.
let sandbox: Sandbox;
let client: OpenIssuing;

beforeAll(async () => {
  sandbox = await startSandbox();
  client = sandbox.client;
});
afterAll(() => sandbox?.close());

const issues = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => i.path);
  }
  throw new Error('expected a ValidationError');
};

describe('apiKey() builder (real platform)', () => {
  it('creates a scoped key that can do what it was allowed, inside its department only', async () => {
    const marketing = await seedCard(client, {}, { dimensions: { department: 'marketing' } });
    const sales = await seedCard(client, {}, { dimensions: { department: 'sales' } }, 0);
    const params = apiKey('Marketing card keeper')
      .read('cardholders', 'events')
      .allow('cards.list', 'cards.freeze', 'cards.unfreeze')
      .scope({ department: 'marketing' })
      .build();
    expect(params).toEqual({
      name: 'Marketing card keeper',
      permissions: ['cardholders:read', 'events:read', 'cards:write'],
      dimension_scope: { department: 'marketing' },
    });
    const key = await client.apiKeys.create(params);
    const keeper = new OpenIssuing({ apiKey: key.secret as string, baseUrl: sandbox.platform.url });

    expect((await keeper.cards.freeze(marketing.card.id)).status).toBe('frozen');
    await expect(keeper.cards.freeze(sales.card.id)).rejects.toBeInstanceOf(NotFoundError);
    const denied = await keeper.cardholders
      .create({ type: 'individual', name: 'X', email: 'x@example.com' })
      .catch((e) => e);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied.message).toContain("'cardholders:write'");
    const events = [];
    for await (const e of keeper.events.list({ limit: 100 })) events.push(e);
    expect(events.map((e) => (e.data.object as { id: string }).id)).toContain(marketing.card.id);
    expect(JSON.stringify(events)).not.toContain(sales.card.id);
  });

  it('a scoped key is refused program-wide resources whatever it is granted', async () => {
    const key = await client.apiKeys.create(
      apiKey('Marketing with balance').read('balance').scope({ department: 'marketing' }).build(),
    );
    const scoped = new OpenIssuing({ apiKey: key.secret as string, baseUrl: sandbox.platform.url });
    const denied = await scoped.balance.retrieve().catch((e) => e);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied.message).toContain('program-wide');
    const unscoped = await client.apiKeys.create(apiKey('Balance reader').read('balance').build());
    const reader = new OpenIssuing({ apiKey: unscoped.secret as string, baseUrl: sandbox.platform.url });
    expect((await reader.balance.retrieve()).object).toBe('balance');
  });

  it('keeps write over read, and refuses what the API would refuse, naming the field', () => {
    expect(apiKey('k').read('cards').write('cards').read('cards').build().permissions).toEqual([
      'cards:write',
    ]);
    expect(apiKey('Approver').approveCardRequests().build().permissions).toEqual(['card_requests:approve']);
    expect(issues(() => apiKey('').read('cards').build())).toContain('name');
    expect(issues(() => apiKey('nothing').build())).toContain('permissions');
    // @ts-expect-error: not a resource of the API
    expect(issues(() => apiKey('typo').read('card'))).toContain('permissions');
    // @ts-expect-error: not an SDK method
    expect(issues(() => apiKey('typo').allow('cards.explode'))).toContain('permissions');
  });

  it('refuses an empty scope before any request, saying how to fix it, as the platform does', async () => {
    const build = () => apiKey('Nobody').read('cards').scope({}).build();
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(
      'Invalid api key: dimension_scope: give at least one pair, such as {"department": "marketing"}, or leave it out for the whole program',
    );
    // The same spec rule on the server (a body the builder would not produce).
    const refused = await client.apiKeys
      .create({ name: 'Nobody', permissions: ['cards:read'], dimension_scope: {} })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect(refused.status).toBe(400);
    expect(refused.param).toBe('dimension_scope');
    expect(apiKey('Whole program').read('cards').build()).not.toHaveProperty('dimension_scope');
  });
});

describe('approvalPolicy() builder (real platform)', () => {
  it('sets the program policy the platform then applies to card requests', async () => {
    const policy = approvalPolicy('usd')
      .department({ aboveAmount: 50_000 })
      .finance({ aboveAmount: 1_000_000, categories: ['travel'] })
      .build();
    expect(policy).toEqual({
      currency: 'usd',
      department: { above_amount: 50_000, categories: [] },
      finance: { above_amount: 1_000_000, categories: ['travel'] },
    });
    await client.program.update({ card_request_policy: policy });
    expect((await client.program.retrieve()).card_request_policy).toEqual(policy);

    const { cardholder } = await seedCard(client, {}, { dimensions: { department: 'marketing' } }, 0);
    const ask = (amount: number, categories?: ['software'] | ['travel']) =>
      client.cardRequests.create({
        type: 'new_card',
        cardholder: cardholder.id,
        spending_controls: {
          spending_limits: [{ amount, interval: 'monthly' }],
          ...(categories ? { allowed_categories: categories } : {}),
        },
        reason: 'Builder test',
      });
    const steps = async (amount: number, categories?: ['software'] | ['travel']) =>
      (await ask(amount, categories)).approvals.map((a) => a.step);
    expect(await steps(20_000, ['software'])).toEqual([]);
    expect(await steps(60_000, ['software'])).toEqual(['department']);
    expect(await steps(20_000, ['travel'])).toEqual(['finance']);
    expect(await steps(2_000_000, ['software'])).toEqual(['department', 'finance']);

    await client.program.update({ card_request_policy: approvalPolicy('usd').department().build() });
    expect(await steps(1, ['software'])).toEqual(['department']);
    await client.program.update({ card_request_policy: approvalPolicy('usd').build() });
    expect(await steps(9_000_000)).toEqual([]);
  });

  it('refuses what the API would refuse, naming the field', () => {
    expect(issues(() => approvalPolicy('US dollars').build())).toContain('currency');
    expect(issues(() => approvalPolicy('usd').finance({ aboveAmount: -1 }).build())).toContain(
      'finance.above_amount',
    );
  });
});

import { openapiDocument } from '../api-spec';
import { apiClient } from '../seed';
import { type Command, target, URL_OPTION, UsageError } from './command';

type Call = ReturnType<typeof apiClient>;
type Obj = { id: string };

/** Every event type the spec names (`components.schemas.EventType`). */
export const EVENT_TYPES: readonly string[] = (
  (openapiDocument.components as { schemas: Record<string, { enum?: string[] }> }).schemas.EventType?.enum ??
  []
).slice();

const AWS = {
  name: 'Amazon Web Services',
  mcc: '7374',
  city: 'Seattle',
  country: 'US',
  network_id: 'aws-seattle',
};

async function cardholder(call: Call) {
  return call<Obj>('POST', '/cardholders', {
    type: 'individual',
    name: 'Jordan Trigger',
    email: 'jordan.trigger@example.com',
    dimensions: { department: 'engineering' },
    metadata: { created_by: 'openissuing trigger' },
  });
}

async function card(call: Call) {
  const holder = await cardholder(call);
  return call<Obj>('POST', '/cards', {
    cardholder: holder.id,
    type: 'virtual',
    currency: 'usd',
    spending_controls: { spending_limits: [{ amount: 500_000, interval: 'monthly' }] },
    metadata: { created_by: 'openissuing trigger' },
  });
}

async function authorization(call: Call) {
  await call('POST', '/topups', {
    amount: 100_000,
    currency: 'usd',
    description: 'openissuing trigger funding',
  });
  const c = await card(call);
  return call<Obj & { approved: boolean }>('POST', '/test_helpers/authorizations', {
    card: c.id,
    amount: 4_299,
    merchant_data: AWS,
  });
}

async function cardRequest(call: Call) {
  const holder = await cardholder(call);
  return call<Obj>('POST', '/card_requests', {
    type: 'new_card',
    cardholder: holder.id,
    spending_controls: { spending_limits: [{ amount: 2_500_000, interval: 'monthly' }] },
    reason: 'openissuing trigger',
  });
}

/**
 * A budget of `limit` for a department of its own (so it governs only the card made here), a card in
 * that department, and a $42.99 authorization on it.
 */
async function budgetAndPurchase(call: Call, limit: number) {
  const department = `trigger-${Date.now().toString(36)}`;
  await call('POST', '/topups', {
    amount: 100_000,
    currency: 'usd',
    description: 'openissuing trigger funding',
  });
  await call('POST', '/budgets', {
    name: 'Trigger budget',
    selector: { department },
    currency: 'usd',
    limits: [{ amount: limit, interval: 'monthly' }],
    alert_threshold_percent: 80,
  });
  const holder = await call<Obj>('POST', '/cardholders', {
    type: 'individual',
    name: 'Jordan Trigger',
    email: 'jordan.trigger@example.com',
    dimensions: { department },
  });
  const c = await call<Obj>('POST', '/cards', { cardholder: holder.id, type: 'virtual', currency: 'usd' });
  return call('POST', '/test_helpers/authorizations', { card: c.id, amount: 4_299, merchant_data: AWS });
}

/**
 * A $10,000/month budget for a department of its own: a budget counts only cards in its currency, so
 * one over `engineering` would be refused on a platform holding an EUR engineering card (the seed's).
 */
const budget = (call: Call) =>
  call<Obj>('POST', '/budgets', {
    name: 'Trigger budget',
    selector: { department: `trigger-${Date.now().toString(36)}` },
    currency: 'usd',
    limits: [{ amount: 1_000_000, interval: 'monthly' }],
    metadata: { created_by: 'openissuing trigger' },
  });

/** What each event type takes: the same calls an app or the card network would make. */
const SCENARIOS: Record<string, { does: string; run(call: Call): Promise<unknown> }> = {
  'cardholder.created': { does: 'creates a cardholder', run: cardholder },
  'cardholder.updated': {
    does: 'creates a cardholder and updates its metadata',
    run: async (call) =>
      call('PATCH', `/cardholders/${(await cardholder(call)).id}`, { metadata: { triggered: 'yes' } }),
  },
  'card.created': { does: 'creates a cardholder and a virtual card', run: card },
  'card.updated': {
    does: 'creates a card and freezes it',
    run: async (call) => call('POST', `/cards/${(await card(call)).id}/freeze`),
  },
  'authorization.request': {
    does: 'funds the program, creates a card and a $42.99 authorization at AWS (asked of the endpoint that subscribes to authorization.request)',
    run: authorization,
  },
  'authorization.created': {
    does: 'funds the program, creates a card and a $42.99 authorization at AWS',
    run: authorization,
  },
  'authorization.updated': {
    does: 'creates an authorization and reverses it',
    run: async (call) =>
      call('POST', `/test_helpers/authorizations/${(await authorization(call)).id}/reverse`, {}),
  },
  'transaction.created': {
    does: 'creates an authorization and captures it (a settled purchase)',
    run: async (call) =>
      call('POST', `/test_helpers/authorizations/${(await authorization(call)).id}/capture`, {}),
  },
  'topup.created': {
    does: 'tops up the program balance by $1,000',
    run: (call) =>
      call('POST', '/topups', { amount: 100_000, currency: 'usd', description: 'openissuing trigger' }),
  },
  'balance.updated': {
    does: 'tops up the program balance by $1,000',
    run: (call) =>
      call('POST', '/topups', { amount: 100_000, currency: 'usd', description: 'openissuing trigger' }),
  },
  'card_request.created': { does: 'requests a $25,000/month card for a new cardholder', run: cardRequest },
  'card_request.updated': {
    does: 'requests a card and cancels the request',
    run: async (call) => call('POST', `/card_requests/${(await cardRequest(call)).id}/cancel`, {}),
  },
  'card_request.approved': {
    does: 'requests a card and approves every required step with the secret key (the card is issued)',
    run: async (call) => {
      let r = (await cardRequest(call)) as Obj & { status: string };
      while (r.status === 'pending')
        r = await call<Obj & { status: string }>('POST', `/card_requests/${r.id}/approve`, {});
      return r;
    },
  },
  'budget.created': { does: 'creates a $10,000/month budget for a department of its own', run: budget },
  'budget.updated': {
    does: 'creates a budget and raises its limit',
    run: async (call) =>
      call('PATCH', `/budgets/${(await budget(call)).id}`, {
        limits: [{ amount: 1_500_000, interval: 'monthly' }],
      }),
  },
  'budget.threshold_reached': {
    does: 'creates a $50/month budget and a $42.99 purchase under it (past its 80 % threshold)',
    run: (call) => budgetAndPurchase(call, 5_000),
  },
  'budget.exceeded': {
    does: 'creates a $40/month budget and a $42.99 purchase under it, which it declines',
    run: (call) => budgetAndPurchase(call, 4_000),
  },
  'card_request.rejected': {
    does: 'requests a card and rejects it',
    run: async (call) =>
      call('POST', `/card_requests/${(await cardRequest(call)).id}/reject`, {
        comment: 'openissuing trigger',
      }),
  },
};

const list = () => EVENT_TYPES.map((t) => `  ${t.padEnd(24)} ${SCENARIOS[t]?.does ?? ''}`).join('\n');

export const trigger: Command<typeof URL_OPTION> = {
  name: 'trigger',
  summary: 'cause a realistic event of one type on the sandbox',
  get usage() {
    return `Usage: openissuing trigger <event type> [--url <platform url>]

Makes the API calls that cause an event of that type (as your app or the card network would) and
prints the events they produced. With \`openissuing listen\` running, your server receives them.

Event types:
${list()}

Options:
  --url <url>     the platform (default OPENISSUING_BASE_URL, else http://127.0.0.1:4100)
  -h, --help      show this help
  -v, --version   show the version

Environment:
  OPENISSUING_API_KEY   the platform's secret key (required)

Example:
  OPENISSUING_API_KEY=sk_test_local_sandbox_key openissuing trigger transaction.created`;
  },
  options: URL_OPTION,
  positionals: true,
  async run(values, positionals) {
    const [type, extra] = positionals;
    if (!type) throw new UsageError(`Name an event type:\n${list()}`);
    if (extra) throw new UsageError(`'openissuing trigger' takes one event type; also got '${extra}'.`);
    const scenario = SCENARIOS[type];
    if (!scenario || !EVENT_TYPES.includes(type))
      throw new UsageError(`'${type}' is not an event type. Pick one of:\n${list()}`);
    const platform = target(values);
    const call = apiClient(platform);
    // The platform's clock, not ours: list the events created from this moment on.
    const since = new Date(Date.now() - 1000).toISOString();
    await scenario.run(call);
    const events = await call<{ data: { id: string; type: string; created_at: string }[] }>(
      'GET',
      `/events?order=asc&limit=100&created_gte=${encodeURIComponent(since)}`,
    );
    console.log(`Triggered ${type}: ${scenario.does}.`);
    for (const e of events.data) console.log(`  ${e.type.padEnd(24)} ${e.id}`);
    if (!events.data.some((e) => e.type === type)) {
      console.error(
        `No ${type} event was recorded; is ${platform.url} an OpenIssuing sandbox of this version?`,
      );
      return 1;
    }
    return 0;
  },
};

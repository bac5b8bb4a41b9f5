// Type-level tests: checked by `tsc` (part of `npm test`), never executed.
import { expectTypeOf } from 'vitest';
import {
  type APIError,
  type Authorization,
  type Card,
  type CardDetails,
  type EventOf,
  evaluateSpendingControls,
  isAPIError,
  type OpenIssuing,
  type Page,
  type ProblemCode,
  type SpendingDecision,
  spendingControls,
  type WebhookEvent,
  webhooks,
} from '../src/index';

declare const client: OpenIssuing;

async function typed() {
  // Methods are typed from the generated OpenAPI types.
  expectTypeOf(await client.cards.retrieve('ic_1')).toEqualTypeOf<Card>();
  expectTypeOf(await client.cards.details('ic_1')).toEqualTypeOf<CardDetails>();
  expectTypeOf(await client.cards.list()).toEqualTypeOf<Page<Card>>();
  for await (const card of client.cards.list({ status: 'active', limit: 10 }))
    expectTypeOf(card).toEqualTypeOf<Card>();
  expectTypeOf((await client.cards.retrieve('ic_1').withResponse()).requestId).toEqualTypeOf<string | null>();
  expectTypeOf(await client.testHelpers.authorizations.capture('iauth_1')).toEqualTypeOf<Authorization>();

  // @ts-expect-error a card needs a cardholder
  await client.cards.create({ type: 'virtual', currency: 'usd' });
  // @ts-expect-error statuses are a closed set
  await client.cards.list({ status: 'paused' });
  // @ts-expect-error spending categories come from the spec's catalog
  spendingControls().allowCategories('yachts');

  // Webhook events are a discriminated union narrowed by `type`.
  const event = await webhooks.unwrap('{}', new Headers(), 'whsec_x');
  expectTypeOf(event).toEqualTypeOf<WebhookEvent>();
  if (event.type === 'card.created') expectTypeOf(event.data.object).toEqualTypeOf<Card>();
  if (event.type === 'authorization.request')
    expectTypeOf(event).toEqualTypeOf<EventOf<'authorization.request'>>();

  expectTypeOf(
    evaluateSpendingControls({ amount: 1, merchant: { mcc: '5734', country: 'US' } }),
  ).toEqualTypeOf<SpendingDecision>();
  expectTypeOf<SpendingDecision['reason']>().toEqualTypeOf<Authorization['decision']['reason']>();

  const error: unknown = new Error();
  if (isAPIError(error)) {
    expectTypeOf(error).toEqualTypeOf<APIError>();
    // `code` is the spec's problem-code union, so a typo is a compile error.
    expectTypeOf(error.code).toEqualTypeOf<ProblemCode | undefined>();
    // @ts-expect-error not a problem code of the spec
    if (error.code === 'card_frozen') return;
  }
}
void typed;

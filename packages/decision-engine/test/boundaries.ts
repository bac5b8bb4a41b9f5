/**
 * Exact boundaries of the authorization decision: the generated 5,000-case corpus almost never lands
 * on a boundary, so these pin each one (the SDK's tests also run them through its wrapper).
 */
export interface BoundaryCase {
  name: string;
  input: Record<string, unknown>;
  reason: string;
  control: string | null;
  message: string;
}

const merchant = { mcc: '7311', country: 'US', network_id: 'm1' };
const card = { status: 'active', usage: 'reusable', exp_month: 11, exp_year: 2029 };
const at = (over: Record<string, unknown>, cardOver: Record<string, unknown> = {}) => ({
  now: '2026-11-04T12:00:00.000Z',
  amount: 1_000,
  currency: 'usd',
  merchant,
  card: { ...card, ...cardOver },
  cardholder: { status: 'active' },
  balance_available: 1_000_000,
  ...over,
});
const approved = { reason: 'approved', control: null, message: 'Approved.' };
const perAuth = {
  spending_controls: { spending_limits: [{ amount: 5_000, interval: 'per_authorization' }] },
};
const daily = { spending_controls: { spending_limits: [{ amount: 5_000, interval: 'daily' }] } };
const velocity = { spending_controls: { velocity: { max_authorizations: 3, window_seconds: 60 } } };

export const boundaryCases: BoundaryCase[] = [
  {
    name: 'exactly the available balance is approved',
    input: at({ amount: 7_500, balance_available: 7_500 }),
    ...approved,
  },
  {
    name: 'one minor unit over the available balance is declined',
    input: at({ amount: 7_501, balance_available: 7_500 }),
    reason: 'insufficient_funds',
    control: 'program.balance',
    message:
      "The program balance (75.00 USD available) cannot cover 75.01 USD; top up the program balance in the card's currency (POST /topups), then retry.",
  },
  {
    name: 'exactly the per-authorization limit is approved',
    input: at({ amount: 5_000 }, perAuth),
    ...approved,
  },
  {
    name: 'one over the per-authorization limit is declined',
    input: at({ amount: 5_001 }, perAuth),
    reason: 'spending_limit',
    control: 'card.spending_limits[0]',
    message: "Amount 50.01 USD exceeds the card's per-authorization limit of 50.00 USD.",
  },
  {
    name: 'spend reaching the daily limit exactly is approved',
    input: at({ amount: 1_000, usage: { card: { limits: [4_000] } } }, daily),
    ...approved,
  },
  {
    name: 'spend one over the daily limit is declined',
    input: at({ amount: 1_001, usage: { card: { limits: [4_000] } } }, daily),
    reason: 'spending_limit',
    control: 'card.spending_limits[0]',
    message: "Amount 10.01 USD would bring the card's daily spend to 50.01 USD, over its limit of 50.00 USD.",
  },
  {
    name: 'one authorization below the velocity limit is approved',
    input: at({ usage: { card: { velocity_count: 2 } } }, velocity),
    ...approved,
  },
  {
    name: 'at the velocity limit the next one is declined',
    input: at({ usage: { card: { velocity_count: 3 } } }, velocity),
    reason: 'velocity_limit',
    control: 'card.velocity',
    message: 'The card already has 3 approved authorizations in the last 60 s (at most 3).',
  },
  {
    name: 'one millisecond before expires_at is approved',
    input: at({ now: '2026-11-04T11:59:59.999Z' }, { expires_at: '2026-11-04T12:00:00.000Z' }),
    ...approved,
  },
  {
    name: 'at the exact expires_at instant the (still active) card is expired',
    input: at({}, { expires_at: '2026-11-04T12:00:00.000Z' }),
    reason: 'card_expired',
    control: 'card.expires_at',
    message: 'The card expired at 2026-11-04T12:00:00.000Z.',
  },
  {
    name: 'the last millisecond of the expiry month is approved',
    input: at({ now: '2029-11-30T23:59:59.999Z' }),
    ...approved,
  },
];

boundaryCases.push({
  name: 'the first instant after the printed expiry month is expired',
  input: at({ now: '2029-12-01T00:00:00.000Z' }),
  reason: 'card_expired',
  control: 'card.exp_year',
  message: 'The card expired at the end of 11/2029.',
});

// What only one kind of card checks. The platform passes `single_use_consumed` ("an approved, live
// authorization exists") for every card, and a card keeps `locked_merchant` whatever its usage.
boundaryCases.push(
  {
    name: 'a reusable card with a live authorization is not "consumed"',
    input: at({}, { single_use_consumed: true }),
    ...approved,
  },
  {
    name: 'a used single-use card is declined',
    input: at({}, { usage: 'single_use', single_use_consumed: true }),
    reason: 'single_use_consumed',
    control: 'card.usage',
    message: 'The single-use card has already been used.',
  },
  {
    name: 'a reusable card is not held to a locked merchant',
    input: at({}, { locked_merchant: 'm2' }),
    ...approved,
  },
  {
    name: 'a merchant-locked card at another merchant is declined',
    input: at({}, { usage: 'merchant_locked', locked_merchant: 'm2' }),
    reason: 'merchant_locked',
    control: 'card.locked_merchant',
    message: 'The card is locked to merchant m2; m1 is a different merchant.',
  },
  {
    name: 'usage without limit spend counts as nothing spent',
    input: at({ amount: 5_000, usage: { card: { velocity_count: 0 } } }, daily),
    ...approved,
  },
  {
    name: 'a null balance skips the funds check',
    input: at({ amount: 5_000, balance_available: null }),
    ...approved,
  },
  {
    name: 'an input without card state is an active card without controls',
    input: { now: '2026-11-04T12:00:00.000Z', amount: 1_000, merchant },
    ...approved,
  },
);

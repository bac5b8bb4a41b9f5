import { mccInCategories } from './categories';
import { decline } from './decline';
import { categoryForMcc } from './generated/spending-categories';
import { formatAmount } from './money';
import type { LimitBreach, LimitScope } from './scopes';
import type { Decision, DecisionInput } from './types';

function checkCategories({ name, controls: c }: LimitScope, mcc: string): Decision | null {
  if (c?.blocked_categories?.length && mccInCategories(mcc, c.blocked_categories)) {
    return decline(
      'category_blocked',
      `${name}.blocked_categories`,
      `Merchant category ${categoryForMcc(mcc)} (MCC ${mcc}) is blocked for this ${name}.`,
    );
  }
  if (c?.allowed_categories?.length && !mccInCategories(mcc, c.allowed_categories)) {
    return decline(
      'category_blocked',
      `${name}.allowed_categories`,
      `Merchant category ${categoryForMcc(mcc)} is not in the ${name}'s allowed categories.`,
    );
  }
  return null;
}

function checkCountries({ name, controls: c }: LimitScope, country: string): Decision | null {
  const cc = country.toUpperCase();
  const has = (list: readonly string[]) => list.some((x) => x.toUpperCase() === cc);
  if (c?.blocked_merchant_countries?.length && has(c.blocked_merchant_countries)) {
    return decline(
      'country_blocked',
      `${name}.blocked_merchant_countries`,
      `Merchant country ${cc} is blocked for this ${name}.`,
    );
  }
  if (c?.allowed_merchant_countries?.length && !has(c.allowed_merchant_countries)) {
    return decline(
      'country_blocked',
      `${name}.allowed_merchant_countries`,
      `Merchant country ${cc} is not in the ${name}'s allowed countries.`,
    );
  }
  return null;
}

function checkVelocity({ name, controls, usage }: LimitScope): Decision | null {
  const v = controls?.velocity;
  const count = usage?.velocity_count ?? 0;
  if (v && count >= v.max_authorizations) {
    return decline(
      'velocity_limit',
      `${name}.velocity`,
      `The ${name} already has ${count} approved authorizations in the last ${v.window_seconds} s (at most ${v.max_authorizations}).`,
    );
  }
  return null;
}

/** The default decline for a broken spending limit of a card or cardholder. */
export function spendingLimitDecline({
  scope,
  index,
  limit,
  spent,
  amount,
  currency,
}: LimitBreach): Decision {
  const money = (minor: number) => formatAmount(minor, currency);
  const what =
    limit.interval === 'per_authorization'
      ? `exceeds the ${scope.name}'s per-authorization limit of ${money(limit.amount)}`
      : `would bring the ${scope.name}'s ${limit.interval} spend to ${money(spent + amount)}, over its limit of ${money(limit.amount)}`;
  return decline(
    'spending_limit',
    `${scope.name}.spending_limits[${index}]`,
    `Amount ${money(amount)} ${what}.`,
  );
}

function checkLimits(scope: LimitScope, { amount, merchant, currency }: DecisionInput): Decision | null {
  const mcc = merchant.mcc;
  const limits = scope.controls?.spending_limits;
  if (!limits) return null;
  for (const [index, limit] of limits.entries()) {
    if (limit.categories?.length && !mccInCategories(mcc, limit.categories)) continue;
    const spent = limit.interval === 'per_authorization' ? 0 : (scope.usage?.limits?.[index] ?? 0);
    if (spent + amount > limit.amount) {
      return (scope.declineLimit ?? spendingLimitDecline)({ scope, index, limit, spent, amount, currency });
    }
  }
  return null;
}

/**
 * Step 6 for one scope: categories (blocked before allowed), countries (blocked before allowed),
 * velocity, then spending limits in array order. Returns the first decline, or null.
 */
export function checkScope(scope: LimitScope, input: DecisionInput): Decision | null {
  return (
    checkCategories(scope, input.merchant.mcc) ??
    checkCountries(scope, input.merchant.country) ??
    checkVelocity(scope) ??
    checkLimits(scope, input)
  );
}

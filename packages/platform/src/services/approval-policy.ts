import { convert } from '../authorization/fx';
import type { Card } from './cards';

export type ApprovalStep = 'department' | 'finance';

/** When one step is required (the spec's ApprovalRule). */
export interface ApprovalRule {
  above_amount: number | null;
  categories: string[];
}

/** The program's card_request_policy. */
export interface CardRequestPolicy {
  currency: string;
  department: ApprovalRule | null;
  finance: ApprovalRule | null;
}

/** Every request above 0 needs its department; above 10,000.00 USD also finance. */
export const DEFAULT_CARD_REQUEST_POLICY: CardRequestPolicy = {
  currency: 'usd',
  department: { above_amount: 0, categories: [] },
  finance: { above_amount: 1_000_000, categories: [] },
};

/**
 * The amount a policy compares: the largest requested spending limit, or null when the controls set
 * no limit (unlimited counts as above every threshold).
 *
 * @example
 * requestedAmount({ spending_limits: [{ amount: 5000, interval: 'daily' }, { amount: 90000, interval: 'monthly' }] }); // 90000
 */
export function requestedAmount(controls: Card['spending_controls']): number | null {
  const limits = controls.spending_limits ?? [];
  return limits.length === 0 ? null : Math.max(...limits.map((l) => l.amount));
}

function ruleApplies(
  rule: ApprovalRule | null,
  amount: number | null,
  categories: readonly string[] | null,
): boolean {
  if (!rule) return false;
  const byAmount = rule.above_amount !== null && (amount === null || amount > rule.above_amount);
  // A request without allowed_categories may spend in every category, so it matches any listed one.
  const byCategory =
    rule.categories.length > 0 &&
    (categories === null || rule.categories.some((c) => categories.includes(c)));
  return byAmount || byCategory;
}

/**
 * The steps a request needs under `policy`, in policy order (department, then finance). Amounts in
 * another currency are converted at the sandbox's reference rates first.
 *
 * @example
 * requiredSteps(DEFAULT_CARD_REQUEST_POLICY, { currency: 'usd', spending_controls: { spending_limits: [{ amount: 2_000_000, interval: 'monthly' }] } });
 * // ['department', 'finance']
 */
export function requiredSteps(
  policy: CardRequestPolicy,
  request: { currency: string; spending_controls: Card['spending_controls'] },
): ApprovalStep[] {
  const raw = requestedAmount(request.spending_controls);
  const amount = raw === null ? null : convert(raw, request.currency, policy.currency).amount;
  const allowed = request.spending_controls.allowed_categories;
  const categories = allowed && allowed.length > 0 ? allowed : null;
  const steps: ApprovalStep[] = [];
  if (ruleApplies(policy.department, amount, categories)) steps.push('department');
  if (ruleApplies(policy.finance, amount, categories)) steps.push('finance');
  return steps;
}

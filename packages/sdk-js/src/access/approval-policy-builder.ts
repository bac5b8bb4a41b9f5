import type { SpendingCategoryName } from '@openissuing/decision-engine';
import { zCardRequestPolicy } from '../generated/zod/zod.gen';
import { formatPath, ValidationError } from '../spend-controls/validation-error';
import type { ApprovalRule, CardRequestPolicy } from '../types';

/** When an approval step is required. Leave both out to require it for every request. */
export interface ApprovalRuleOptions {
  /**
   * Required when the requested amount is above this (minor units of the policy's currency; requests
   * in another currency are converted at the sandbox's reference rates).
   */
  aboveAmount?: number;
  /** Required when the request may spend in one of these categories (a request without `allowed_categories` may spend in all). */
  categories?: SpendingCategoryName[];
}

function rule(options: ApprovalRuleOptions): ApprovalRule {
  const categories = options.categories ?? [];
  const everyRequest = options.aboveAmount === undefined && categories.length === 0;
  return { above_amount: everyRequest ? 0 : (options.aboveAmount ?? null), categories };
}

/**
 * A fluent builder for the program's `card_request_policy`: which card requests need the department's
 * approver (a key with `card_requests:approve` scoped to the request's department) and which also need
 * finance (such a key without a scope). A step left unset is never required. `build()` validates
 * against the API contract and throws a {@link ValidationError} naming each bad field.
 *
 * @example
 * const policy = approvalPolicy('usd')
 *   .department({ aboveAmount: 0 })
 *   .finance({ aboveAmount: 1_000_000, categories: ['travel'] })
 *   .build();
 * await client.program.update({ card_request_policy: policy });
 */
export class ApprovalPolicyBuilder {
  readonly #policy: CardRequestPolicy;

  constructor(currency: string) {
    this.#policy = { currency, department: null, finance: null };
  }

  /** Requires the department's approval for requests above an amount or in categories (every request when both are left out). */
  department(options: ApprovalRuleOptions = {}): this {
    this.#policy.department = rule(options);
    return this;
  }

  /** Requires finance's approval (after the department's, when both apply) for requests above an amount or in categories. */
  finance(options: ApprovalRuleOptions = {}): this {
    this.#policy.finance = rule(options);
    return this;
  }

  /** Validates and returns the policy for `client.program.update({ card_request_policy })`. */
  build(): CardRequestPolicy {
    const result = zCardRequestPolicy.safeParse(this.#policy);
    if (!result.success) {
      throw new ValidationError(
        'card request policy',
        result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
      );
    }
    return result.data as CardRequestPolicy;
  }
}

/**
 * Starts an {@link ApprovalPolicyBuilder} whose amounts are in `currency`.
 *
 * @example
 * await client.program.update({ card_request_policy: approvalPolicy('eur').finance({ aboveAmount: 500_000 }).build() });
 */
export function approvalPolicy(currency: string): ApprovalPolicyBuilder {
  return new ApprovalPolicyBuilder(currency);
}

import type { SpendingCategoryName } from '@openissuing/decision-engine';
import { zBudgetCreateParams } from '../generated/zod/zod.gen';
import { ValidationError, validationIssues } from '../spend-controls/validation-error';
import type { BudgetCreateParams, BudgetInterval, BudgetLimit } from '../types';

/**
 * A fluent builder for `POST /budgets`. `build()` validates against the API contract (zod schemas
 * generated from the spec) and throws a {@link ValidationError} naming each bad field.
 *
 * @example
 * const params = budget('Marketing')
 *   .forDimensions({ department: 'marketing' })
 *   .currency('usd')
 *   .limit(2_000_000, 'monthly')
 *   .limit(500_000, 'monthly', { categories: ['advertising'] })
 *   .alertAt(90)
 *   .build();
 * const created = await client.budgets.create(params);
 */
export class BudgetBuilder {
  readonly #params: Partial<BudgetCreateParams> & { limits: BudgetLimit[] };

  constructor(name: string) {
    this.#params = { name, limits: [] };
  }

  /** Which cards the budget governs: every card whose merged dimensions have these values. */
  forDimensions(selector: Record<string, string>): this {
    this.#params.selector = { ...this.#params.selector, ...selector };
    return this;
  }

  /** The budget's currency (lowercase ISO 4217); only cards in it count. */
  currency(currency: string): this {
    this.#params.currency = currency;
    return this;
  }

  /** Adds a limit (minor units of the budget's currency), optionally for some categories only. */
  limit(
    amount: number,
    interval: BudgetInterval,
    options: { categories?: SpendingCategoryName[] } = {},
  ): this {
    const limit: BudgetLimit = { amount, interval };
    if (options.categories) limit.categories = options.categories;
    this.#params.limits.push(limit);
    return this;
  }

  /** Send `budget.threshold_reached` at this share of a limit (1–100), or `null` for never. @default 80 */
  alertAt(percent: number | null): this {
    this.#params.alert_threshold_percent = percent;
    return this;
  }

  /** Your own key-value data. */
  metadata(metadata: Record<string, string>): this {
    this.#params.metadata = metadata;
    return this;
  }

  /** Validates and returns the body for `client.budgets.create()`. */
  build(): BudgetCreateParams {
    const result = zBudgetCreateParams.safeParse(this.#params);
    if (!result.success) {
      throw new ValidationError('budget', validationIssues(result.error.issues, this.#params));
    }
    return result.data as BudgetCreateParams;
  }
}

/**
 * Starts a {@link BudgetBuilder}.
 *
 * @example
 * const params = budget('Platform cloud').forDimensions({ department: 'engineering', project: 'platform' })
 *   .currency('usd').limit(500_000, 'monthly', { categories: ['cloud_computing'] }).build();
 */
export function budget(name: string): BudgetBuilder {
  return new BudgetBuilder(name);
}

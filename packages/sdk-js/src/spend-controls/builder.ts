import type { SpendingCategoryName } from '@openissuing/decision-engine';
import { zSpendingControls } from '../generated/zod/zod.gen';
import type { SpendingControls, SpendingLimit, SpendingLimitInterval } from '../types';
import { ValidationError, validationIssues } from './validation-error';

/**
 * A fluent builder for `spending_controls`. `build()` validates against the API contract (zod
 * schemas generated from the spec) and throws a {@link ValidationError} naming each bad field.
 *
 * @example
 * const controls = spendingControls()
 *   .limit(50_000, 'monthly')
 *   .limit(20_000, 'daily', { categories: ['advertising'] })
 *   .allowCategories('advertising', 'cloud_computing', 'software')
 *   .blockCountries('KP')
 *   .velocity(20, 3600)
 *   .build();
 * await client.cards.update(card.id, { spending_controls: controls });
 */
export class SpendingControlsBuilder {
  readonly #controls: SpendingControls;

  constructor(initial: SpendingControls = {}) {
    this.#controls = structuredClone(initial);
  }

  /** Adds a spending limit (amount in the card's currency, minor units). */
  limit(
    amount: number,
    interval: SpendingLimitInterval,
    options: { categories?: SpendingCategoryName[] } = {},
  ): this {
    const limit: SpendingLimit = { amount, interval };
    if (options.categories) limit.categories = options.categories;
    this.#controls.spending_limits = [...(this.#controls.spending_limits ?? []), limit];
    return this;
  }

  /** Only merchants in these categories are allowed. */
  allowCategories(...categories: SpendingCategoryName[]): this {
    this.#controls.allowed_categories = [...(this.#controls.allowed_categories ?? []), ...categories];
    return this;
  }

  /** Merchants in these categories are declined. */
  blockCategories(...categories: SpendingCategoryName[]): this {
    this.#controls.blocked_categories = [...(this.#controls.blocked_categories ?? []), ...categories];
    return this;
  }

  /** Only merchants in these countries (ISO 3166-1 alpha-2) are allowed. */
  allowCountries(...countries: string[]): this {
    this.#controls.allowed_merchant_countries = [
      ...(this.#controls.allowed_merchant_countries ?? []),
      ...countries,
    ];
    return this;
  }

  /** Merchants in these countries are declined. */
  blockCountries(...countries: string[]): this {
    this.#controls.blocked_merchant_countries = [
      ...(this.#controls.blocked_merchant_countries ?? []),
      ...countries,
    ];
    return this;
  }

  /** At most `maxAuthorizations` approved authorizations per `windowSeconds`. */
  velocity(maxAuthorizations: number, windowSeconds: number): this {
    this.#controls.velocity = { max_authorizations: maxAuthorizations, window_seconds: windowSeconds };
    return this;
  }

  /** Validates and returns the plain `spending_controls` object for a create or update call. */
  build(): SpendingControls {
    return validateSpendingControls(this.#controls);
  }
}

/**
 * Starts a {@link SpendingControlsBuilder}, optionally from existing controls.
 *
 * @example
 * const controls = spendingControls(card.spending_controls).blockCategories('gambling').build();
 */
export function spendingControls(initial?: SpendingControls): SpendingControlsBuilder {
  return new SpendingControlsBuilder(initial);
}

/**
 * Checks a `spending_controls` object against the API contract; returns it, or throws a
 * {@link ValidationError} naming each field at fault.
 *
 * @example
 * validateSpendingControls({ spending_limits: [{ amount: 1.5, interval: 'daily' }] });
 * // ValidationError: Invalid spending_controls: spending_limits[0].amount: must be an integer (minor units), not 1.5
 */
export function validateSpendingControls(controls: unknown): SpendingControls {
  const result = zSpendingControls.safeParse(controls);
  if (!result.success) {
    throw new ValidationError('spending_controls', validationIssues(result.error.issues, controls));
  }
  return result.data as SpendingControls;
}

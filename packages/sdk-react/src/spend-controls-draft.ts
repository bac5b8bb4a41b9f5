import type { Translate } from './context.js';
import { amountToInput, parseAmount } from './format.js';
import type { SpendingCategory, SpendingControls, SpendingInterval } from './types.js';

/** The editable, string-typed form of spending controls. */
export interface SpendControlsDraft {
  limits: Array<{ key: number; amount: string; interval: SpendingInterval }>;
  allowedCategories: SpendingCategory[];
  blockedCategories: SpendingCategory[];
  allowedCountries: string;
  blockedCountries: string;
}

/** Field ids used for error messages and focus: `limit-<key>`, `categories`, `allowed-countries`, `blocked-countries`. */
export type DraftErrors = Record<string, string>;

let nextKey = 1;
/** A fresh key for a new limit row. */
export function newLimitKey(): number {
  nextKey += 1;
  return nextKey;
}

export function toDraft(controls: SpendingControls | null | undefined, currency: string): SpendControlsDraft {
  return {
    limits: (controls?.spending_limits ?? []).map((limit) => ({
      key: newLimitKey(),
      amount: amountToInput(limit.amount, currency),
      interval: limit.interval,
    })),
    allowedCategories: [...(controls?.allowed_categories ?? [])],
    blockedCategories: [...(controls?.blocked_categories ?? [])],
    allowedCountries: (controls?.allowed_merchant_countries ?? []).join(', '),
    blockedCountries: (controls?.blocked_merchant_countries ?? []).join(', '),
  };
}

function parseCountries(text: string, field: string, t: Translate): { countries: string[]; error?: string } {
  const countries = text
    .split(/[,\s]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  const bad = countries.find((code) => !/^[A-Z]{2}$/.test(code));
  return bad ? { countries: [], error: t('validation.country', { field, value: bad }) } : { countries };
}

/**
 * Validates a draft and builds the API's `spending_controls`. Fields the editor does not show
 * (velocity, per-limit categories) are carried over from `base`.
 */
export function fromDraft(
  draft: SpendControlsDraft,
  currency: string,
  t: Translate,
  base?: SpendingControls | null,
): { controls: SpendingControls; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const limits = draft.limits.flatMap((limit, index) => {
    const amount = parseAmount(limit.amount, currency);
    if (amount === null) {
      errors[`limit-${limit.key}`] = t('validation.amount', {
        field: `${t('controls.limitAmount', { currency: currency.toUpperCase() })} ${index + 1}`,
      });
      return [];
    }
    const previous = base?.spending_limits?.[index];
    return [
      {
        ...(previous?.categories ? { categories: previous.categories } : {}),
        amount,
        interval: limit.interval,
      },
    ];
  });
  const conflict = draft.allowedCategories.find((name) => draft.blockedCategories.includes(name));
  if (conflict)
    errors.categories = t('validation.categoryConflict', { value: t(`category.${conflict}` as never) });
  const allowed = parseCountries(draft.allowedCountries, t('controls.allowedCountries'), t);
  if (allowed.error) errors['allowed-countries'] = allowed.error;
  const blocked = parseCountries(draft.blockedCountries, t('controls.blockedCountries'), t);
  if (blocked.error) errors['blocked-countries'] = blocked.error;
  // The API rejects empty lists (minItems 1): an empty list is written by leaving the field out.
  const {
    spending_limits,
    allowed_categories,
    blocked_categories,
    allowed_merchant_countries,
    blocked_merchant_countries,
    ...rest
  } = base ?? {};
  const controls: SpendingControls = { ...rest };
  if (limits.length > 0) controls.spending_limits = limits;
  if (draft.allowedCategories.length > 0) controls.allowed_categories = draft.allowedCategories;
  if (draft.blockedCategories.length > 0) controls.blocked_categories = draft.blockedCategories;
  if (allowed.countries.length > 0) controls.allowed_merchant_countries = allowed.countries;
  if (blocked.countries.length > 0) controls.blocked_merchant_countries = blocked.countries;
  return { controls, errors };
}

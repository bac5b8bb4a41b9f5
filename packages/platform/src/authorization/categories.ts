import {
  categoryForMcc,
  type SpendingCategoryName,
  spendingCategories,
} from '../generated/spending-categories';

/**
 * The spending-category catalog (generated from the spec's `x-spending-categories`): named groups of
 * merchant category codes. Each MCC is in at most one group; `other` is every MCC no group lists.
 */
export const SPENDING_CATEGORIES: Readonly<Record<string, { description: string; mccs: readonly string[] }>> =
  spendingCategories;

/** The catalog category of an MCC, or `'other'` when none lists it. */
export function categoryOfMcc(mcc: string): SpendingCategoryName {
  return categoryForMcc(mcc);
}

/** Whether `mcc` belongs to any of the named categories (`other` = no group lists it). */
export function mccInCategories(mcc: string, categories: readonly string[]): boolean {
  return categories.includes(categoryForMcc(mcc));
}

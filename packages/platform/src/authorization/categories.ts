import { type SpendingCategoryDefinition, spendingCategories } from '@openissuing/decision-engine';

export { categoryForMcc as categoryOfMcc, mccInCategories } from '@openissuing/decision-engine';

/**
 * The spending-category catalog (generated from the spec's `x-spending-categories` into
 * @openissuing/decision-engine): named groups of merchant category codes. Each MCC is in at most one
 * group; `other` is every MCC no group lists.
 */
export const SPENDING_CATEGORIES: Readonly<Record<string, SpendingCategoryDefinition>> = spendingCategories;

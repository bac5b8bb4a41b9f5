import { categoryForMcc } from '../generated/spending-categories';

/** Whether a merchant category code belongs to any of the named spending categories (`other` = unlisted MCCs). */
export function mccInCategories(mcc: string, categories: readonly string[]): boolean {
  return categories.includes(categoryForMcc(mcc));
}

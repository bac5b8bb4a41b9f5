import { categoryForMcc } from './generated/spending-categories';

/** Whether `mcc` belongs to any of the named categories (`other` = no group lists it). */
export function mccInCategories(mcc: string, categories: readonly string[]): boolean {
  return categories.includes(categoryForMcc(mcc));
}

import type { APIPromise } from '../core/api-promise';
import type { Route } from '../internal/bind';
import type { SpendingCategoryList } from '../types';
import type { RequestOptions } from './params';

/** The published catalog of named MCC groups used by spending controls. */
export interface SpendingCategories {
  /** @example const { data } = await client.spendingCategories.list() */
  list(options?: RequestOptions): APIPromise<SpendingCategoryList>;
}

export const spendingCategoryRoutes: Record<keyof SpendingCategories, Route> = {
  list: 'Gspending_categories',
};

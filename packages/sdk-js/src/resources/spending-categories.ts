import type { APIPromise } from '../core/api-promise';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import type { AnyObject } from '../types';

/** The published catalog of named MCC groups used by spending controls. */
export class SpendingCategories extends APIResource {
  /** @example const { data } = await client.spendingCategories.list() */
  list(options?: RequestOptions): APIPromise<{ data: AnyObject[] } & AnyObject> {
    return this._get('/spending_categories', options);
  }
}

import type { APIPromise } from '../core/api-promise';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import type { AnyObject } from '../types';

/** The program's funding balance per currency. */
export class BalanceResource extends APIResource {
  /** @example const balance = await client.balance.retrieve() */
  retrieve(options?: RequestOptions): APIPromise<AnyObject> {
    return this._get('/balance', options);
  }
}

import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import { path } from '../internal/path';
import type { AnyObject } from '../types';
import type { Body, ListParams } from './params';

/** Money moved into the program's funding balance. */
export class Topups extends APIResource {
  /** @example await client.topups.create({ amount: 1_000_000, currency: 'usd' }) */
  create(body: Body, options?: RequestOptions): APIPromise<AnyObject> {
    return this._send('POST', '/topups', body, options);
  }

  /** @example await client.topups.retrieve('tu_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<AnyObject> {
    return this._get(path`/topups/${id}`, options);
  }

  /** @example for await (const topup of client.topups.list()) console.log(topup.amount) */
  list(query?: ListParams, options?: RequestOptions): PagePromise<AnyObject> {
    return this._list('/topups', query, options);
  }
}

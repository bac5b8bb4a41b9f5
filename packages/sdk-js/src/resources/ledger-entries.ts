import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import type { AnyObject } from '../types';
import type { ListParams } from './params';

/** Movements of the funding balance (top-ups, spend, refunds). */
export class LedgerEntries extends APIResource {
  /** @example for await (const entry of client.ledgerEntries.list()) console.log(entry) */
  list(query?: ListParams & { currency?: string }, options?: RequestOptions): PagePromise<AnyObject> {
    return this._list('/ledger_entries', query, options);
  }
}

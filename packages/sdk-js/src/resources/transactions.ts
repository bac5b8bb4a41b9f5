import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import { path } from '../internal/path';
import type { Transaction } from '../types';
import type { ListParams } from './params';

export interface TransactionListParams extends ListParams {
  card?: string;
  cardholder?: string;
  type?: Transaction['type'];
}

/** Settled captures and refunds, with the dimensions snapshot used for bookkeeping. */
export class Transactions extends APIResource {
  /** @example await client.transactions.retrieve('itxn_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Transaction> {
    return this._get(path`/transactions/${id}`, options);
  }

  /** @example for await (const t of client.transactions.list({ created_gte: '2026-11-01T00:00:00Z' })) book(t) */
  list(query?: TransactionListParams, options?: RequestOptions): PagePromise<Transaction> {
    return this._list('/transactions', query, options);
  }
}

import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { Transaction } from '../types';
import type { Query, RequestOptions } from './params';

/** Filters and paging of `listTransactions`. */
export type TransactionListParams = Query<'listTransactions'>;

/** Settled captures and refunds, with the dimensions snapshot used for bookkeeping. */
export interface Transactions {
  /** @example await client.transactions.retrieve('itxn_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Transaction>;
  /**
   * Lists transactions, newest first; with `order: 'asc'` oldest first, paging forward.
   * @example for await (const t of client.transactions.list({ order: 'asc', created_gte: '2026-11-01T00:00:00Z' })) book(t)
   */
  list(query?: TransactionListParams, options?: RequestOptions): PagePromise<Transaction>;
}

export const transactionRoutes: Record<keyof Transactions, Route> = {
  retrieve: 'Gtransactions/{}',
  list: 'Ltransactions',
};

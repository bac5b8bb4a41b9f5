import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { Transaction } from '../types';
import type { ListParams, RequestOptions } from './params';

export interface TransactionListParams extends ListParams {
  card?: string;
  cardholder?: string;
  type?: Transaction['type'];
}

/** Settled captures and refunds, with the dimensions snapshot used for bookkeeping. */
export interface Transactions {
  /** @example await client.transactions.retrieve('itxn_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Transaction>;
  /** @example for await (const t of client.transactions.list({ created_gte: '2026-11-01T00:00:00Z' })) book(t) */
  list(query?: TransactionListParams, options?: RequestOptions): PagePromise<Transaction>;
}

export const transactionRoutes: Record<keyof Transactions, Route> = {
  retrieve: 'G /transactions/{}',
  list: 'L /transactions',
};

import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { Balance, LedgerEntry } from '../types';
import type { Query, RequestOptions } from './params';

/** The program's funding balance per currency. */
export interface BalanceResource {
  /** @example const balance = await client.balance.retrieve() */
  retrieve(options?: RequestOptions): APIPromise<Balance>;
}

export const balanceRoutes: Record<keyof BalanceResource, Route> = { retrieve: 'Gbalance' };

/** Filters and paging of `listLedgerEntries`. */
export type LedgerEntryListParams = Query<'listLedgerEntries'>;

/** Movements of the funding balance (top-ups, holds, captures, refunds). */
export interface LedgerEntries {
  /** @example for await (const entry of client.ledgerEntries.list()) console.log(entry.type, entry.amount) */
  list(query?: LedgerEntryListParams, options?: RequestOptions): PagePromise<LedgerEntry>;
}

export const ledgerEntryRoutes: Record<keyof LedgerEntries, Route> = { list: 'Lledger_entries' };

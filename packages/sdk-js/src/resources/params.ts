import type { RequestOptions } from '../core/request-options';
import type { operations } from '../generated/openapi';

/** Common list parameters: page size, cursor, order and creation-time bounds. */
export interface ListParams {
  /** Page size, 1–100. @default 10 */
  limit?: number;
  /** The `next_cursor` of the previous page (the SDK sets it when auto-paginating). */
  cursor?: string;
  /**
   * `desc`: newest first; `asc`: oldest first, and `next_cursor` continues forward. A cursor only
   * works with the order it came from. @default 'desc'
   */
  order?: 'desc' | 'asc';
  /** Only objects created at or after this time (RFC 3339). */
  created_gte?: string;
  /** Only objects created before this time (RFC 3339). */
  created_lt?: string;
}

export type { RequestOptions };

/** The query parameters of a generated operation. */
export type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

/** Filters and paging of `cardholders.list`. */
export type CardholderListParams = Query<'listCardholders'>;
/** Filters and paging of `cards.list`. */
export type CardListParams = Query<'listCards'>;
/** Filters and paging of `authorizations.list`. */
export type AuthorizationListParams = Query<'listAuthorizations'>;
/** Filters and paging of `transactions.list`. */
export type TransactionListParams = Query<'listTransactions'>;
/** Filters and paging of `ledgerEntries.list`. */
export type LedgerEntryListParams = Query<'listLedgerEntries'>;
/** Filters and paging of `events.list`. */
export type EventListParams = Query<'listEvents'>;

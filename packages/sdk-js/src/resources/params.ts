import type { RequestOptions } from '../core/request-options';

/** Common list parameters: page size, cursor and creation-time bounds. */
export interface ListParams {
  /** Page size, 1–100. @default 10 */
  limit?: number;
  /** The `next_cursor` of the previous page (the SDK sets it when auto-paginating). */
  cursor?: string;
  /** Only objects created at or after this time (RFC 3339). */
  created_gte?: string;
  /** Only objects created before this time (RFC 3339). */
  created_lt?: string;
}

export type { RequestOptions };

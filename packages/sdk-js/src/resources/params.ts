import type { RequestOptions } from '../core/request-options';
import type { operations } from '../generated/openapi';

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

/** The query parameters of a generated operation. */
export type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

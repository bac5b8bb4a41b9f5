/** Common list parameters: page size, cursor and creation-time bounds. */
export interface ListParams {
  /** Page size, 1–100. @default 10 */
  limit?: number;
  /** The `next_cursor` of the previous page (the SDK sets it when auto-paginating). */
  cursor?: string;
  created_gte?: string | Date;
  created_lt?: string | Date;
}

/** A request body: the spec's snake_case fields. */
export type Body = Record<string, unknown>;

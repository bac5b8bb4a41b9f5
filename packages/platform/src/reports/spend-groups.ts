import { type SQL, sql } from '../db/sql';

/** What a spend report groups by (the spec's SpendReportGroupBy). */
export type SpendGroupBy = 'none' | 'dimension' | 'category' | 'merchant' | 'card' | 'cardholder';

/** The fixed rollup kinds; each dimension key adds its own kind, `dim:<key>`. */
export const FIXED_KINDS = ['none', 'category', 'merchant', 'card', 'cardholder'] as const;

/** The rollup `kind` a report reads: the group_by itself, or `dim:<key>` for a dimension. */
export function rollupKind(groupBy: SpendGroupBy, dimension: string | undefined): string {
  return groupBy === 'dimension' ? `dim:${dimension}` : groupBy;
}

/**
 * The group key and display label of one transaction row (`data` is the transaction's jsonb), for a
 * fixed kind or a dimension key. The one definition both the rollup job and the report's live part use.
 */
export function groupOf(kind: string): { group: SQL; label: SQL } {
  if (kind.startsWith('dim:')) {
    const key = kind.slice(4);
    return { group: sql`(data->'dimensions'->>${key}::text)`, label: sql`NULL::text` };
  }
  switch (kind) {
    case 'category':
      return { group: sql`(data->'merchant_data'->>'category')`, label: sql`NULL::text` };
    case 'merchant':
      return {
        group: sql`(data->'merchant_data'->>'network_id')`,
        label: sql`(data->'merchant_data'->>'name')`,
      };
    case 'card':
      return { group: sql`(data->>'card')`, label: sql`NULL::text` };
    case 'cardholder':
      return { group: sql`(data->>'cardholder')`, label: sql`NULL::text` };
    default:
      return { group: sql`NULL::text`, label: sql`NULL::text` };
  }
}

/** Net amount (captures add, refunds subtract) and the two counts of a transaction row. */
export const FACT_COLUMNS = sql`CASE WHEN type = 'capture' THEN (data->>'amount')::bigint ELSE -(data->>'amount')::bigint END AS amount,
  CASE WHEN type = 'capture' THEN 1 ELSE 0 END AS capture_count,
  CASE WHEN type = 'refund' THEN 1 ELSE 0 END AS refund_count`;

import { scopeFilter } from '../access/scope';
import type { Queryable } from '../db/database';
import { type SQL, sql } from '../db/sql';
import { invalid } from '../lib/errors';

export type ListOrder = 'asc' | 'desc';

export interface ListParams {
  limit?: number | undefined;
  cursor?: string | undefined;
  /** `desc` (default): newest first. `asc`: oldest first. */
  order?: ListOrder | undefined;
  created_gte?: string | undefined;
  created_lt?: string | undefined;
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * Encodes a page cursor: the id of the last item of the page and the order it was listed in,
 * as base64url JSON, so that a cursor can only continue the walk it came from.
 *
 * @example
 * encodeCursor('asc', 'itx_123'); // 'eyJvIjoiYXNjIiwiaWQiOiJpdHhfMTIzIn0'
 */
export function encodeCursor(order: ListOrder, id: string): string {
  return Buffer.from(JSON.stringify({ o: order, id })).toString('base64url');
}

/**
 * Decodes a cursor from {@link encodeCursor}. A bare id (the format before cursors carried their
 * order) is read as a newest-first cursor. Returns null when the cursor is not one of ours.
 *
 * @example
 * decodeCursor(encodeCursor('asc', 'itx_123')); // { order: 'asc', id: 'itx_123' }
 */
export function decodeCursor(cursor: string): { order: ListOrder; id: string } | null {
  if (!cursor.startsWith('eyJ')) return { order: 'desc', id: cursor };
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; id?: unknown };
    if ((v.o === 'asc' || v.o === 'desc') && typeof v.id === 'string' && v.id.length > 0)
      return { order: v.o, id: v.id };
  } catch {
    // fall through
  }
  return null;
}

/**
 * Lists a resource table with keyset pagination on `(created_at, id)`: newest first by default,
 * oldest first with `order: 'asc'`. The cursor names the last item of the previous page and the
 * order it was listed in; a cursor from the other order is refused. `where` holds extra filter
 * fragments.
 */
export async function listRows<T>(
  q: Queryable,
  table: string,
  params: ListParams,
  where: SQL[] = [],
  map: (row: { data: unknown }) => T = (r) => r.data as T,
): Promise<ListPage<T>> {
  const limit = params.limit ?? 10;
  const order: ListOrder = params.order === 'asc' ? 'asc' : 'desc';
  const t = sql.identifier(table);
  const conds: SQL[] = [...where];
  const scoped = scopeFilter(table);
  if (scoped) conds.push(scoped);
  if (params.created_gte) conds.push(sql`created_at >= ${params.created_gte}::timestamptz`);
  if (params.created_lt) conds.push(sql`created_at < ${params.created_lt}::timestamptz`);
  if (params.cursor) {
    const decoded = decodeCursor(params.cursor);
    if (!decoded)
      throw invalid(
        'cursor',
        `cursor: '${params.cursor}' is not a cursor from this list; pass a next_cursor as is.`,
      );
    if (decoded.order !== order)
      throw invalid(
        'cursor',
        `cursor: this cursor continues a list in order=${decoded.order}; send order=${decoded.order} with it, or omit the cursor to start over in order=${order}.`,
      );
    const found = await q.rows(
      sql`SELECT 1 FROM ${t} WHERE id = ${decoded.id}${scoped ? sql` AND ${scoped}` : sql``}`,
    );
    if (found.length === 0)
      throw invalid('cursor', `cursor: '${params.cursor}' is not a cursor from this list.`);
    const anchor = sql`(SELECT created_at, id FROM ${t} WHERE id = ${decoded.id})`;
    conds.push(order === 'asc' ? sql`(created_at, id) > ${anchor}` : sql`(created_at, id) < ${anchor}`);
  }
  const whereSql = conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const orderSql =
    order === 'asc' ? sql`ORDER BY created_at ASC, id ASC` : sql`ORDER BY created_at DESC, id DESC`;
  const rows = await q.rows<{ data: unknown }>(
    sql`SELECT data FROM ${t} ${whereSql} ${orderSql} LIMIT ${limit + 1}`,
  );
  const has_more = rows.length > limit;
  const data = rows.slice(0, limit).map(map);
  const last = data[data.length - 1] as { id?: string } | undefined;
  return {
    object: 'list',
    data,
    has_more,
    next_cursor: has_more && last?.id ? encodeCursor(order, last.id) : null,
  };
}

import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/database';
import { invalid } from '../lib/errors';

export interface ListParams {
  limit?: number | undefined;
  cursor?: string | undefined;
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
 * Lists a resource table newest first with cursor pagination: the cursor is the id of the last
 * item of the previous page. `where` holds extra filter fragments.
 */
export async function listRows<T>(
  q: Queryable,
  table: string,
  params: ListParams,
  where: SQL[] = [],
  map: (row: { data: unknown }) => T = (r) => r.data as T,
): Promise<ListPage<T>> {
  const limit = params.limit ?? 10;
  const t = sql.identifier(table);
  const conds: SQL[] = [...where];
  if (params.created_gte) conds.push(sql`created_at >= ${params.created_gte}::timestamptz`);
  if (params.created_lt) conds.push(sql`created_at < ${params.created_lt}::timestamptz`);
  if (params.cursor) {
    const found = await q.rows(sql`SELECT 1 FROM ${t} WHERE id = ${params.cursor}`);
    if (found.length === 0)
      throw invalid('cursor', `cursor: '${params.cursor}' is not an id from this list.`);
    conds.push(sql`(created_at, id) < (SELECT created_at, id FROM ${t} WHERE id = ${params.cursor})`);
  }
  const whereSql = conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const rows = await q.rows<{ data: unknown }>(
    sql`SELECT data FROM ${t} ${whereSql} ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
  );
  const has_more = rows.length > limit;
  const data = rows.slice(0, limit).map(map);
  const last = data[data.length - 1] as { id?: string } | undefined;
  return { object: 'list', data, has_more, next_cursor: has_more && last?.id ? last.id : null };
}

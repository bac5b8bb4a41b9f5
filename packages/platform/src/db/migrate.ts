import type { Database } from './database';
import * as m0001 from './migrations/0001_init';
import * as m0002 from './migrations/0002_outbox_trigger';
import * as m0003 from './migrations/0003_usage_counters';
import * as m0004 from './migrations/0004_outbox_set_based';
import * as m0005 from './migrations/0005_access';
import * as m0006 from './migrations/0006_balance_slots';
import * as m0007 from './migrations/0007_counter_shards';
import * as m0008 from './migrations/0008_rate_limit_buckets';
import * as m0009 from './migrations/0009_budgets_spend_rollups';
import * as m0010 from './migrations/0010_budget_shards';
import * as m0011 from './migrations/0011_spend_period_rollups';
import * as m0012 from './migrations/0012_spend_rollup_group_index';
import * as m0013 from './migrations/0013_row_versions';
import * as m0014 from './migrations/0014_event_dimensions';
import * as m0015 from './migrations/0015_hot_path_index_writes';
import * as m0016 from './migrations/0016_event_object_index';
import * as m0017 from './migrations/0017_wider_balance_slots';
import { sql } from './sql';

/** Ordered migrations; append only. */
export const migrations: ReadonlyArray<{ id: string; sql: string }> = [
  { id: '0001_init', sql: m0001.sql },
  { id: '0002_outbox_trigger', sql: m0002.sql },
  { id: '0003_usage_counters', sql: m0003.sql },
  { id: '0004_outbox_set_based', sql: m0004.sql },
  { id: '0005_access', sql: m0005.sql },
  { id: '0006_balance_slots', sql: m0006.sql },
  { id: '0007_counter_shards', sql: m0007.sql },
  { id: '0008_rate_limit_buckets', sql: m0008.sql },
  { id: '0009_budgets_spend_rollups', sql: m0009.sql },
  { id: '0010_budget_shards', sql: m0010.sql },
  { id: '0011_spend_period_rollups', sql: m0011.sql },
  { id: '0012_spend_rollup_group_index', sql: m0012.sql },
  { id: '0013_row_versions', sql: m0013.sql },
  { id: '0014_event_dimensions', sql: m0014.sql },
  { id: '0015_hot_path_index_writes', sql: m0015.sql },
  { id: '0016_event_object_index', sql: m0016.sql },
  { id: '0017_wider_balance_slots', sql: m0017.sql },
];

/**
 * Applies pending migrations in order, each in its own transaction. Safe to run from several
 * processes at once on PostgreSQL: a transaction-scoped advisory lock serialises them.
 *
 * @example
 * await migrate(await openDatabase({}));
 */
export async function migrate(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.rows(sql`SELECT pg_advisory_xact_lock(4242001)`);
    await tx.rows(
      sql`CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await tx.rows<{ id: string }>(sql`SELECT id FROM schema_migrations`)).map((r) => r.id),
    );
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      for (const statement of splitStatements(m.sql)) {
        if (statement.trim()) await tx.rows(sql.raw(statement));
      }
      await tx.rows(sql`INSERT INTO schema_migrations (id) VALUES (${m.id})`);
    }
  });
}

/** Splits a migration into statements at `;` + newline, leaving dollar-quoted bodies ($fn$ … $fn$) whole. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let tag: string | null = null;
  const re = /\$[A-Za-z_]*\$|;[ \t]*\n/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    current += text.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0].startsWith('$')) {
      if (tag === null) tag = m[0];
      else if (tag === m[0]) tag = null;
      current += m[0];
    } else if (tag !== null) {
      current += m[0];
    } else {
      if (current.trim()) out.push(current.trim());
      current = '';
    }
  }
  current += text.slice(last);
  if (current.trim()) out.push(current.trim());
  return out;
}

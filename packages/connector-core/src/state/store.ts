import type { JournalEntry } from '../journal.js';
import type { SyncCursor } from '../transaction.js';
import type { SqlDriver } from './driver.js';

/**
 * Lifecycle of one transaction in the state store:
 * - `pending`: not yet sent, or known not to have been applied;
 * - `in_doubt`: sent (or about to be) without a known outcome — looked up in the ERP before any re-post;
 * - `posted`: the ERP has it (`erpId`);
 * - `dead`: permanently rejected (the ERP's message) or unmappable — waiting for a human.
 */
export type ItemStatus = 'pending' | 'in_doubt' | 'posted' | 'dead';

export interface ItemRecord {
  externalRef: string;
  status: ItemStatus;
  attempts: number;
  nextAttemptAt: number;
  erpId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  entry: JournalEntry | null;
  txCreatedAt: string;
  updatedAt: number;
}

export interface IngestItem {
  externalRef: string;
  txCreatedAt: string;
  entry: JournalEntry | null;
  /** Set when the transaction could not be mapped: the item goes straight to the dead-letter list. */
  dead?: { code: string; message: string };
}

interface Row {
  external_ref: string;
  status: ItemStatus;
  attempts: number;
  next_attempt_at: string | number;
  erp_id: string | null;
  error_code: string | null;
  error_message: string | null;
  entry: JournalEntry | string | null;
  tx_created_at: string;
  updated_at: string | number;
}

const toRecord = (r: Row): ItemRecord => ({
  externalRef: r.external_ref,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  erpId: r.erp_id,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  entry: typeof r.entry === 'string' ? (JSON.parse(r.entry) as JournalEntry) : r.entry,
  txCreatedAt: r.tx_created_at,
  updatedAt: Number(r.updated_at),
});

/**
 * Durable record of every sync outcome, over PGlite (default) or PostgreSQL. Every state change is
 * one SQL statement (or one transaction), so a crash at any point leaves a consistent store.
 *
 * @example
 * const store = new StateStore(await openPGlite('./.sync-state'));
 * await store.init();
 */
export class StateStore {
  private readonly db: SqlDriver;
  constructor(
    driver: SqlDriver,
    private readonly options: {
      /** Namespaces the cursor when several connectors share one store. @default 'default' */
      connector?: string;
      /** Table name prefix, so several stores can share one database. @default 'oi_sync' */
      tablePrefix?: string;
    } = {},
  ) {
    const prefix = options.tablePrefix ?? 'oi_sync';
    if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) {
      throw new Error(`tablePrefix "${prefix}" must be a lowercase SQL identifier ([a-z_][a-z0-9_]*)`);
    }
    const rename = (sql: string) => (prefix === 'oi_sync' ? sql : sql.replaceAll('oi_sync_', `${prefix}_`));
    this.db = {
      query: (sql, params) => driver.query(rename(sql), params),
      exec: (sql) => driver.exec(rename(sql)),
      transaction: (fn) =>
        driver.transaction((tx) =>
          fn({ query: (sql, params) => tx.query(rename(sql), params), exec: (sql) => tx.exec(rename(sql)) }),
        ),
      close: () => driver.close(),
    };
  }

  /** Creates the tables when missing. */
  async init(): Promise<void> {
    await this.db.exec(`
      create table if not exists oi_sync_items (
        external_ref text primary key,
        status text not null,
        attempts integer not null default 0,
        next_attempt_at bigint not null default 0,
        erp_id text,
        error_code text,
        error_message text,
        has_entry boolean not null default false,
        tx_created_at text not null,
        updated_at bigint not null
      );
      create index if not exists oi_sync_items_status on oi_sync_items (status, next_attempt_at);
      create index if not exists oi_sync_items_queue on oi_sync_items (tx_created_at, external_ref)
        where status in ('pending', 'in_doubt');
      create table if not exists oi_sync_meta (key text primary key, value text not null);
      -- journal entries are written once; keeping them out of the status rows keeps every status
      -- update small (no large row rewrite per state change)
      create table if not exists oi_sync_entries (external_ref text primary key, entry jsonb not null);
    `);
  }

  private key(name: string): string {
    return `${this.options.connector ?? 'default'}:${name}`;
  }

  async getCursor(): Promise<SyncCursor | null> {
    const { rows } = await this.db.query<{ value: string }>('select value from oi_sync_meta where key = $1', [
      this.key('cursor'),
    ]);
    return rows[0] ? (JSON.parse(rows[0].value) as SyncCursor) : null;
  }

  /**
   * Records new transactions (ignoring ones already known) and, in the same database transaction,
   * advances the cursor. Returns how many were new.
   */
  async ingest(items: IngestItem[], cursor: SyncCursor | null, now = Date.now()): Promise<number> {
    return this.db.transaction(async (tx) => {
      let inserted = 0;
      if (items.length > 0) {
        const { rows } = await tx.query<{ n: number }>(
          `with u as (
             select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               as u(ref, status, entry, created, code, message)),
           ins as (
             insert into oi_sync_items (external_ref, status, has_entry, tx_created_at, error_code, error_message, updated_at)
             select u.ref, u.status, u.entry is not null, u.created, u.code, u.message, $7 from u
             on conflict (external_ref) do nothing
             returning external_ref),
           ent as (
             insert into oi_sync_entries (external_ref, entry)
             select u.ref, u.entry::jsonb from u join ins on ins.external_ref = u.ref where u.entry is not null
             on conflict (external_ref) do nothing)
           select count(*)::int as n from ins`,
          [
            items.map((i) => i.externalRef),
            items.map((i) => (i.dead ? 'dead' : 'pending')),
            items.map((i) => (i.entry ? JSON.stringify(i.entry) : null)),
            items.map((i) => i.txCreatedAt),
            items.map((i) => i.dead?.code ?? null),
            items.map((i) => i.dead?.message ?? null),
            now,
          ],
        );
        inserted = Number(rows[0]?.n ?? 0);
      }
      if (cursor) {
        await tx.query(
          `insert into oi_sync_meta (key, value) values ($1, $2)
           on conflict (key) do update set value = excluded.value`,
          [this.key('cursor'), JSON.stringify(cursor)],
        );
      }
      return inserted;
    });
  }

  /**
   * Claims up to `limit` items to work on (pending or in doubt, backoff elapsed, oldest first) and marks
   * them `in_doubt` with one more attempt — in the same statement, before anything is sent. Each record
   * carries `previousStatus`: only items that were already in doubt need an ERP lookup first.
   */
  async claim(
    now: number,
    limit: number,
    exclude: ReadonlySet<string>,
  ): Promise<Array<ItemRecord & { previousStatus: ItemStatus }>> {
    const { rows } = await this.db.query<Row & { prev: ItemStatus }>(
      `with c as (
         select external_ref, status as prev from oi_sync_items
         where status in ('pending', 'in_doubt') and next_attempt_at <= $1
           and not (external_ref = any($3::text[]))
         order by tx_created_at, external_ref
         limit $2),
       u as (
         update oi_sync_items i set status = 'in_doubt', attempts = i.attempts + 1, updated_at = $1
         from c where i.external_ref = c.external_ref
         returning i.*, c.prev)
       select u.*, e.entry from u left join oi_sync_entries e using (external_ref)
       order by u.tx_created_at, u.external_ref`,
      [now, limit, [...exclude]],
    );
    return rows.map((r) => ({ ...toRecord(r), previousStatus: r.prev }));
  }

  /** Items ready to work on (pending or in doubt, backoff elapsed), oldest transaction first. */
  async claimable(now: number, limit: number, exclude: ReadonlySet<string>): Promise<ItemRecord[]> {
    // excluded items are filtered here rather than in SQL: an index scan plus a small overshoot is far
    // cheaper than testing every row against a large array
    const { rows } = await this.db.query<Row>(
      `select i.*, e.entry from (select * from oi_sync_items
         where status in ('pending', 'in_doubt') and next_attempt_at <= $1
         order by tx_created_at, external_ref
         limit $2) i left join oi_sync_entries e using (external_ref)
       order by i.tx_created_at, i.external_ref`,
      [now, limit + exclude.size],
    );
    return rows
      .filter((r) => !exclude.has(r.external_ref))
      .slice(0, limit)
      .map(toRecord);
  }

  /** Earliest time a waiting item becomes claimable, or null when nothing is waiting. */
  async nextWakeAt(exclude: ReadonlySet<string>): Promise<number | null> {
    const { rows } = await this.db.query<{ external_ref: string; next_attempt_at: string | number }>(
      `select external_ref, next_attempt_at from oi_sync_items
       where status in ('pending', 'in_doubt') order by next_attempt_at limit $1`,
      [exclude.size + 1],
    );
    const first = rows.find((r) => !exclude.has(r.external_ref));
    return first ? Number(first.next_attempt_at) : null;
  }

  /** Marks items as sent-with-unknown-outcome, before the request leaves. Counts an attempt. */
  async markInDoubt(refs: string[], now = Date.now()): Promise<void> {
    if (refs.length === 0) return;
    await this.db.query(
      `update oi_sync_items set status = 'in_doubt', attempts = attempts + 1, updated_at = $2
       where external_ref = any($1::text[])`,
      [refs, now],
    );
  }

  async markPosted(items: { externalRef: string; erpId: string }[], now = Date.now()): Promise<void> {
    if (items.length === 0) return;
    await this.db.query(
      `update oi_sync_items i set status = 'posted', erp_id = u.erp_id, error_code = null, error_message = null,
         updated_at = $3
       from unnest($1::text[], $2::text[]) as u(ref, erp_id)
       where i.external_ref = u.ref`,
      [items.map((i) => i.externalRef), items.map((i) => i.erpId), now],
    );
  }

  /** Sets items back to `pending` (known not applied) or keeps them `in_doubt`, to retry at `at`. */
  async markRetry(
    refs: string[],
    status: 'pending' | 'in_doubt',
    at: number,
    error: { code?: string; message: string },
    now = Date.now(),
  ): Promise<void> {
    if (refs.length === 0) return;
    await this.db.query(
      `update oi_sync_items set status = $2, next_attempt_at = $3, error_code = $4, error_message = $5, updated_at = $6
       where external_ref = any($1::text[]) and status <> 'posted'`,
      [refs, status, at, error.code ?? null, error.message, now],
    );
  }

  async markDead(
    items: { externalRef: string; code: string; message: string }[],
    now = Date.now(),
  ): Promise<void> {
    if (items.length === 0) return;
    await this.db.query(
      `update oi_sync_items i set status = 'dead', error_code = u.code, error_message = u.message, updated_at = $4
       from unnest($1::text[], $2::text[], $3::text[]) as u(ref, code, message)
       where i.external_ref = u.ref`,
      [items.map((i) => i.externalRef), items.map((i) => i.code), items.map((i) => i.message), now],
    );
  }

  /** Counts per status. */
  async counts(): Promise<Record<ItemStatus, number>> {
    const { rows } = await this.db.query<{ status: ItemStatus; n: number }>(
      'select status, count(*)::int as n from oi_sync_items group by status',
    );
    const out: Record<ItemStatus, number> = { pending: 0, in_doubt: 0, posted: 0, dead: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  /** The dead-letter list: permanently failed items with the ERP's message. */
  async deadLetters(): Promise<ItemRecord[]> {
    const { rows } = await this.db.query<Row>(
      `select i.*, e.entry from oi_sync_items i left join oi_sync_entries e using (external_ref)
       where i.status = 'dead' order by i.tx_created_at, i.external_ref`,
    );
    return rows.map(toRecord);
  }

  /** Puts dead-lettered items back in the queue (after fixing the cause). They are looked up first. */
  async requeueDead(refs?: string[], now = Date.now()): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `with u as (update oi_sync_items set status = 'in_doubt', attempts = 0, next_attempt_at = 0, updated_at = $2
         where status = 'dead' and has_entry and ($1::text[] is null or external_ref = any($1::text[]))
         returning 1) select count(*)::int as n from u`,
      [refs ?? null, now],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async get(refs: string[]): Promise<ItemRecord[]> {
    const { rows } = await this.db.query<Row>(
      `select i.*, e.entry from oi_sync_items i left join oi_sync_entries e using (external_ref)
       where i.external_ref = any($1::text[])`,
      [refs],
    );
    return rows.map(toRecord);
  }

  /** Every item (for reconciliation). */
  async all(): Promise<ItemRecord[]> {
    const { rows } = await this.db.query<Row>(
      `select i.*, e.entry from oi_sync_items i left join oi_sync_entries e using (external_ref)
       order by i.tx_created_at, i.external_ref`,
    );
    return rows.map(toRecord);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

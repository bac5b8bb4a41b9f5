import type { ErpJob } from '../erp.js';
import type { JournalEntry } from '../journal.js';
import type { SyncCursor } from '../transaction.js';
import type { SqlDriver } from './driver.js';
import { GroupCommit } from './group-commit.js';
import { changeStatement, inDoubtChanges, settlementChanges, statementsOf } from './item-changes.js';

/**
 * Lifecycle of one transaction in the state store:
 * - `pending`: not yet sent, or known not to have been applied;
 * - `in_doubt`: sent without a known outcome (or held by an unfinished ERP job, `jobId`) — looked up
 *   in the ERP, or followed to the end of its job, before any re-post;
 * - `posted`: the ERP has it (`erpId`);
 * - `dead`: permanently rejected (the ERP's message) or unmappable — waiting for a human.
 */
export type ItemStatus = 'pending' | 'in_doubt' | 'posted' | 'dead';

export interface ItemRecord {
  externalRef: string;
  status: ItemStatus;
  /** Requests that carried this entry to the ERP (lookups and refused requests do not count). */
  attempts: number;
  /** Not claimed before this time (epoch ms): backoff, or the timeout of a request still in flight. */
  nextAttemptAt: number;
  erpId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  entry: JournalEntry | null;
  txCreatedAt: string;
  updatedAt: number;
  /** The unfinished ERP job holding this entry; it is never submitted again while set. */
  jobId: string | null;
  /** Entries with the same key are submitted together and alone (re-submission after a failed job). */
  batchKey: string | null;
}

export interface IngestItem {
  externalRef: string;
  txCreatedAt: string;
  entry: JournalEntry | null;
  /** Set when the transaction could not be mapped: the item goes straight to the dead-letter list. */
  dead?: { code: string; message: string };
}

/** An unfinished ERP job as recorded before the engine waits on it. */
export interface JobRecord {
  job: ErpJob;
  externalRefs: string[];
  submittedAt: number;
  nextPollAt: number;
  polls: number;
}

/** What to do with items once outcomes are known; applied in one database transaction. */
export interface Settlement {
  posted?: { externalRef: string; erpId: string }[];
  dead?: { externalRef: string; code: string; message: string }[];
  retry?: {
    refs: string[];
    status: 'pending' | 'in_doubt';
    at: number;
    error: { code?: string; message: string };
    /** The request never reached the ERP's books (refused, or its job failed): it is not counted. */
    uncount?: boolean;
    batchKey?: string | null;
  }[];
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
  job_id: string | null;
  batch_key: string | null;
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
  jobId: r.job_id ?? null,
  batchKey: r.batch_key ?? null,
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
  /** In-doubt marks and outcomes of concurrent requests share one statement (group commit). */
  private readonly writes: GroupCommit;
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
    this.writes = new GroupCommit(this.db);
  }

  /** Creates the tables when missing, and adds the columns of newer versions to older stores. */
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
      alter table oi_sync_items add column if not exists job_id text;
      alter table oi_sync_items add column if not exists batch_key text;
      create index if not exists oi_sync_items_status on oi_sync_items (status, next_attempt_at);
      create index if not exists oi_sync_items_queue on oi_sync_items (tx_created_at, external_ref)
        where status in ('pending', 'in_doubt');
      create index if not exists oi_sync_items_job on oi_sync_items (job_id) where job_id is not null;
      create table if not exists oi_sync_meta (key text primary key, value text not null);
      -- journal entries are written once; keeping them out of the status rows keeps every status
      -- update small (no large row rewrite per state change)
      create table if not exists oi_sync_entries (external_ref text primary key, entry jsonb not null);
      create table if not exists oi_sync_jobs (
        job_id text primary key,
        data jsonb,
        submitted_at bigint not null,
        next_poll_at bigint not null,
        polls integer not null default 0
      );
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
   * Items ready to work on: pending or in doubt, not held by a job, backoff (or the timeout of a
   * request of a dead process) elapsed, oldest transaction first. Nothing is changed: an item is marked
   * in doubt, and its attempt counted, only when a request carrying it is about to leave
   * ({@link markInDoubt}).
   */
  async claimable(now: number, limit: number, exclude: ReadonlySet<string>): Promise<ItemRecord[]> {
    const { rows } = await this.db.query<Row>(
      `select i.*, e.entry from (select * from oi_sync_items
         where status in ('pending', 'in_doubt') and next_attempt_at <= $1 and job_id is null
           and not (external_ref = any($3::text[]))
         order by tx_created_at, external_ref
         limit $2) i left join oi_sync_entries e using (external_ref)
       order by i.tx_created_at, i.external_ref`,
      [now, limit, [...exclude]],
    );
    return rows.map(toRecord);
  }

  /** Earliest time a waiting item becomes claimable, or null when nothing is waiting. */
  async nextWakeAt(exclude: ReadonlySet<string>): Promise<number | null> {
    const { rows } = await this.db.query<{ at: string | number | null }>(
      `select min(next_attempt_at) as at from oi_sync_items
       where status in ('pending', 'in_doubt') and job_id is null and not (external_ref = any($1::text[]))`,
      [[...exclude]],
    );
    const at = rows[0]?.at;
    return at === null || at === undefined ? null : Number(at);
  }

  /**
   * Marks items as sent-with-unknown-outcome just before the request carrying them leaves, and counts
   * the attempt. They become claimable again only at `leaseUntil` — the moment the ERP will no longer
   * apply that request — so a process that dies with the request in flight leaves nothing a successor
   * could re-post too early.
   */
  async markInDoubt(refs: string[], now = Date.now(), leaseUntil = now): Promise<void> {
    await this.writes.write(inDoubtChanges(refs, now, leaseUntil));
  }

  /**
   * Records outcomes (posted, dead, retry) atomically. Outcomes of concurrent requests (and their
   * in-doubt marks) are written together: one set-based statement for all of them.
   */
  async settle(s: Settlement, now = Date.now()): Promise<void> {
    await this.writes.write(settlementChanges(s, now));
  }

  async markPosted(items: { externalRef: string; erpId: string }[], now = Date.now()): Promise<void> {
    await this.settle({ posted: items }, now);
  }

  /** Sets items back to `pending` (known not applied) or keeps them `in_doubt`, to retry at `at`. */
  async markRetry(
    refs: string[],
    status: 'pending' | 'in_doubt',
    at: number,
    error: { code?: string; message: string },
    now = Date.now(),
  ): Promise<void> {
    await this.settle({ retry: [{ refs, status, at, error }] }, now);
  }

  async markDead(
    items: { externalRef: string; code: string; message: string }[],
    now = Date.now(),
  ): Promise<void> {
    await this.settle({ dead: items }, now);
  }

  /**
   * Records a job the ERP accepted, and that it holds `refs`, in one database transaction — before the
   * engine waits on it. From then on those entries are only followed through the job, never re-sent.
   */
  async recordJob(job: ErpJob, refs: string[], now: number, nextPollAt: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into oi_sync_jobs (job_id, data, submitted_at, next_poll_at) values ($1, $2::jsonb, $3, $4)
         on conflict (job_id) do nothing`,
        [job.id, JSON.stringify(job.data ?? null), now, nextPollAt],
      );
      await tx.query(
        `update oi_sync_items set job_id = $2, status = 'in_doubt', updated_at = $3
         where external_ref = any($1::text[]) and status not in ('posted', 'dead')`,
        [refs, job.id, now],
      );
    });
  }

  /** Unfinished jobs, those due for a status poll first (at most `limit`). */
  async openJobs(limit = 1000): Promise<JobRecord[]> {
    const { rows } = await this.db.query<{
      job_id: string;
      data: Record<string, unknown> | string | null;
      submitted_at: string | number;
      next_poll_at: string | number;
      polls: number;
      refs: string[] | null;
    }>(
      `select j.*, (select array_agg(i.external_ref order by i.tx_created_at, i.external_ref)
                    from oi_sync_items i where i.job_id = j.job_id) as refs
       from oi_sync_jobs j order by j.next_poll_at, j.job_id limit $1`,
      [limit],
    );
    return rows.map((r) => {
      const data =
        typeof r.data === 'string' ? (JSON.parse(r.data) as Record<string, unknown> | null) : r.data;
      return {
        job: { id: r.job_id, ...(data ? { data } : {}) },
        externalRefs: r.refs ?? [],
        submittedAt: Number(r.submitted_at),
        nextPollAt: Number(r.next_poll_at),
        polls: Number(r.polls),
      };
    });
  }

  /** Schedules the next status poll of a running job. */
  async deferJob(jobId: string, nextPollAt: number): Promise<void> {
    await this.db.query('update oi_sync_jobs set next_poll_at = $2, polls = polls + 1 where job_id = $1', [
      jobId,
      nextPollAt,
    ]);
  }

  /**
   * Applies the outcomes of an ended job to the items it still holds and forgets the job, in one
   * database transaction.
   */
  async completeJob(jobId: string, s: Settlement, now = Date.now()): Promise<void> {
    await this.db.transaction(async (tx) => {
      // only items still held by the job change: outcomes of a job applied twice (a crash between
      // applying and forgetting it) can never touch items that were submitted again since
      for (const group of statementsOf(settlementChanges(s, now))) {
        const { sql, params } = changeStatement(group, jobId);
        await tx.query(sql, params);
      }
      // anything the settlement did not cover is in doubt: looked up before any re-post
      await tx.query(
        `update oi_sync_items set job_id = null, next_attempt_at = $2, updated_at = $2
         where job_id = $1`,
        [jobId, now],
      );
      await tx.query('delete from oi_sync_jobs where job_id = $1', [jobId]);
    });
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
    await this.writes.idle();
    await this.db.close();
  }
}

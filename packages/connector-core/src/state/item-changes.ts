import type { Settlement } from './store.js';

/**
 * One item's next state, as the state store writes it. Every status change of a sent item (marked in
 * doubt, posted, dead-lettered, retried) is a row of these, so a whole settlement — or the writes of
 * several requests at once — is one set-based statement.
 */
export interface ItemChange {
  ref: string;
  status: 'pending' | 'in_doubt' | 'posted' | 'dead';
  /** Added to `attempts` (never below 0): +1 for a request about to leave, -1 for one not counted. */
  attemptsDelta: number;
  /** The new `next_attempt_at`; null keeps it. */
  nextAttemptAt: number | null;
  /** The ERP's id (posted only); null keeps it. */
  erpId: string | null;
  /** The recorded error (null clears it); undefined keeps it. */
  error?: { code: string | null; message: string | null } | null;
  /** Keep the item's job (a request of its own leaving); otherwise the job is cleared. */
  keepJob: boolean;
  batchKey: string | null;
  /** Applies only when the item is not `posted` (`not_posted`), or neither posted nor dead (`open`). */
  unless: 'none' | 'not_posted' | 'open';
  now: number;
}

/**
 * The changes of items about to be sent: in doubt, the attempt counted, claimable again at
 * `leaseUntil` (when the ERP will no longer apply the request).
 */
export function inDoubtChanges(refs: readonly string[], now: number, leaseUntil: number): ItemChange[] {
  return refs.map((ref) => ({
    ref,
    status: 'in_doubt',
    attemptsDelta: 1,
    nextAttemptAt: leaseUntil,
    erpId: null,
    keepJob: true,
    batchKey: null,
    unless: 'none',
    now,
  }));
}

/**
 * The changes a settlement makes, in the order the store applies them: posted, then dead (unless
 * posted), then each retry group (unless posted or dead).
 */
export function settlementChanges(s: Settlement, now: number): ItemChange[] {
  const out: ItemChange[] = [];
  for (const p of s.posted ?? []) {
    out.push({
      ref: p.externalRef,
      status: 'posted',
      attemptsDelta: 0,
      nextAttemptAt: null,
      erpId: p.erpId,
      error: null,
      keepJob: false,
      batchKey: null,
      unless: 'none',
      now,
    });
  }
  for (const d of s.dead ?? []) {
    out.push({
      ref: d.externalRef,
      status: 'dead',
      attemptsDelta: 0,
      nextAttemptAt: null,
      erpId: null,
      error: { code: d.code, message: d.message },
      keepJob: false,
      batchKey: null,
      unless: 'not_posted',
      now,
    });
  }
  for (const r of s.retry ?? []) {
    for (const ref of r.refs) {
      out.push({
        ref,
        status: r.status,
        attemptsDelta: r.uncount ? -1 : 0,
        nextAttemptAt: r.at,
        erpId: null,
        error: { code: r.error.code ?? null, message: r.error.message },
        keepJob: false,
        batchKey: r.batchKey ?? null,
        unless: 'open',
        now,
      });
    }
  }
  return out;
}

/**
 * Splits changes into statements that each name an item at most once, keeping their order: within one
 * statement every row sees the state before it, so a second change of the same item must follow in a
 * statement of its own to see the first.
 */
export function statementsOf(changes: readonly ItemChange[]): ItemChange[][] {
  const out: ItemChange[][] = [];
  let current: ItemChange[] = [];
  let refs = new Set<string>();
  for (const c of changes) {
    if (refs.has(c.ref)) {
      out.push(current);
      current = [];
      refs = new Set();
    }
    current.push(c);
    refs.add(c.ref);
  }
  if (current.length > 0) out.push(current);
  return out;
}

const UNLESS = { none: 0, not_posted: 1, open: 2 } as const;

/**
 * The statement that applies one group of changes (each item named at most once), with its
 * parameters. With `jobId`, only items still held by that job change. The `= any($1)` lets the
 * planner find the rows by primary key: joined with `unnest` alone it hashes the whole table, a cost
 * that grows with every transaction ever synced.
 */
export function changeStatement(
  changes: readonly ItemChange[],
  jobId: string | null,
): { sql: string; params: unknown[] } {
  const held = jobId === null ? '' : ' and i.job_id = $13';
  return {
    sql: `update oi_sync_items i set status = u.status,
         attempts = greatest(0, i.attempts + u.delta),
         next_attempt_at = coalesce(u.next_at, i.next_attempt_at),
         erp_id = coalesce(u.erp_id, i.erp_id),
         error_code = case when u.set_error then u.code else i.error_code end,
         error_message = case when u.set_error then u.message else i.error_message end,
         job_id = case when u.keep_job then i.job_id end,
         batch_key = u.batch_key, updated_at = u.now
       from unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::text[], $6::boolean[], $7::text[],
                   $8::text[], $9::boolean[], $10::text[], $11::int[], $12::bigint[])
         as u(ref, status, delta, next_at, erp_id, set_error, code, message, keep_job, batch_key, unless, now)
       where i.external_ref = u.ref and i.external_ref = any($1::text[])
         and (u.unless = 0 or i.status <> 'posted') and (u.unless < 2 or i.status <> 'dead')${held}`,
    params: [
      changes.map((c) => c.ref),
      changes.map((c) => c.status),
      changes.map((c) => c.attemptsDelta),
      changes.map((c) => c.nextAttemptAt),
      changes.map((c) => c.erpId),
      changes.map((c) => c.error !== undefined),
      changes.map((c) => c.error?.code ?? null),
      changes.map((c) => c.error?.message ?? null),
      changes.map((c) => c.keepJob),
      changes.map((c) => c.batchKey),
      changes.map((c) => UNLESS[c.unless]),
      changes.map((c) => c.now),
      ...(jobId === null ? [] : [jobId]),
    ],
  };
}

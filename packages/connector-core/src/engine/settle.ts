import type { ErpJobStatus, PostOutcome } from '../erp.js';
import { ErpError } from '../errors.js';
import type { ItemRecord, Settlement } from '../state/store.js';

/** How long to wait before retrying after `err` on attempt `attempt` (1-based). */
export type DelayFor = (attempt: number, err: ErpError) => number;

/** A settlement plus what the engine reports about it. */
export interface SettledOutcomes {
  settlement: Settlement;
  posted: number;
  dead: { externalRef: string; code: string; message: string }[];
  /** Groups of retried entries, one per error kind, for progress events. */
  retried: { count: number; error: ErpError; delayMs: number }[];
  /** A fatal outcome: recorded (its entries are pending again) and then the run stops with it. */
  fatal: ErpError | null;
}

const NO_OUTCOME = 'the ERP returned no outcome for this entry';

function empty(): SettledOutcomes {
  return { settlement: { posted: [], dead: [], retry: [] }, posted: 0, dead: [], retried: [], fatal: null };
}

function retry(
  out: SettledOutcomes,
  refs: string[],
  status: 'pending' | 'in_doubt',
  error: ErpError,
  delayMs: number,
  now: number,
  extra: { uncount?: boolean; batchKey?: string | null } = {},
): void {
  if (refs.length === 0) return;
  out.settlement.retry?.push({
    refs,
    status,
    at: now + delayMs,
    error: { ...(error.code ? { code: error.code } : {}), message: error.message },
    ...extra,
  });
  out.retried.push({ count: refs.length, error, delayMs });
}

function rejected(
  out: SettledOutcomes,
  externalRef: string,
  error: { code?: string | undefined; message: string },
) {
  const d = { externalRef, code: error.code ?? 'rejected', message: error.message };
  out.settlement.dead?.push(d);
  out.dead.push(d);
}

/**
 * Turns the per-entry outcomes of one request into store changes:
 * - `ok` → posted; `permanent` → dead-lettered with the ERP's message;
 * - `transient` → still in doubt (it may have been applied), looked up after the backoff;
 * - `rate_limited` → pending (the ERP applied nothing) after `Retry-After`, the attempt not counted;
 * - `fatal` → pending, not counted, and the run stops;
 * - no outcome at all → in doubt, looked up after the backoff.
 *
 * @param items the entries the request carried, with `attempts` already counting this request
 */
export function settleOutcomes(
  items: readonly ItemRecord[],
  outcomes: readonly PostOutcome[],
  now: number,
  delayFor: DelayFor,
): SettledOutcomes {
  const out = empty();
  const open = new Map(items.map((i) => [i.externalRef, i]));
  const groups = new Map<string, { items: ItemRecord[]; error: ErpError }>();
  const group = (key: string, item: ItemRecord, error: ErpError) => {
    const g = groups.get(key) ?? { items: [], error };
    g.items.push(item);
    groups.set(key, g);
  };
  for (const o of outcomes) {
    const item = open.get(o.externalRef);
    if (!item) continue; // not in this request, or a second outcome for the same entry
    open.delete(o.externalRef);
    if (o.ok) {
      out.settlement.posted?.push({ externalRef: o.externalRef, erpId: o.erpId });
      out.posted++;
    } else if (o.error.kind === 'permanent') rejected(out, o.externalRef, o.error);
    else group(`${o.error.kind}\u0000${o.error.message}`, item, o.error);
  }
  for (const item of open.values()) group('missing', item, new ErpError(NO_OUTCOME, { kind: 'transient' }));
  for (const g of groups.values()) {
    const refs = g.items.map((i) => i.externalRef);
    const attempt = Math.max(1, ...g.items.map((i) => i.attempts));
    const e = g.error;
    if (e.kind === 'fatal') {
      out.fatal ??= e;
      retry(out, refs, 'pending', e, 0, now, { uncount: true });
    } else if (e.kind === 'rate_limited')
      retry(out, refs, 'pending', e, delayFor(attempt, e), now, { uncount: true });
    else retry(out, refs, 'in_doubt', e, delayFor(attempt, e), now);
  }
  return out;
}

/**
 * Turns the end of a job into store changes. A succeeded job settles like a synchronous request
 * (entries without an outcome are looked up). A failed job applied nothing: entries it names are
 * dead-lettered; when it names some, the others go again once, together (`<job>:rest`); when it names
 * none, the group is split in two (`<job>:a`, `<job>:b`) and an entry failing alone is dead-lettered with
 * the job's message. Re-submissions after a failed job do not count as attempts.
 */
export function settleJob(
  jobId: string,
  items: readonly ItemRecord[],
  status: Exclude<ErpJobStatus, { state: 'running' }>,
  outcomes: readonly PostOutcome[],
  now: number,
  delayFor: DelayFor,
): SettledOutcomes {
  if (status.state === 'succeeded') {
    return settleOutcomes(items, outcomes, now, delayFor);
  }
  const out = empty();
  const refs = new Set(items.map((i) => i.externalRef));
  const named = new Set<string>();
  for (const o of outcomes) {
    if (!refs.has(o.externalRef) || named.has(o.externalRef)) continue;
    if (o.ok) {
      named.add(o.externalRef);
      out.settlement.posted?.push({ externalRef: o.externalRef, erpId: o.erpId });
      out.posted++;
    } else if (o.error.kind === 'permanent') {
      named.add(o.externalRef);
      rejected(out, o.externalRef, o.error);
    }
  }
  const rest = items.map((i) => i.externalRef).filter((r) => !named.has(r));
  const error = new ErpError(`job ${jobId} failed: ${status.message}`, {
    kind: 'transient',
    ...(status.code ? { code: status.code } : {}),
  });
  if (out.dead.length > 0) {
    retry(out, rest, 'pending', error, 0, now, { uncount: true, batchKey: `${jobId}:rest` });
  } else if (rest.length === 1) {
    rejected(out, rest[0] as string, { code: status.code ?? 'job_failed', message: status.message });
  } else {
    const half = Math.ceil(rest.length / 2);
    retry(out, rest.slice(0, half), 'pending', error, 0, now, { uncount: true, batchKey: `${jobId}:a` });
    retry(out, rest.slice(half), 'pending', error, 0, now, { uncount: true, batchKey: `${jobId}:b` });
  }
  return out;
}

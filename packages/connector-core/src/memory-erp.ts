import type { ErpAdapter, ErpLimits, ErpLookup, ErpPosting, PostContext, PostOutcome } from './erp.js';
import { ErpError } from './errors.js';
import { expenseAccount, type JournalEntry, signedExpense } from './journal.js';

/** A failure of a whole `post` request. */
export type MemoryBatchFault =
  /** The connection fails; with `applied`, after the ERP applied every entry (the "response lost" case). */
  | { kind: 'transient'; applied: boolean }
  /** The ERP refuses the request: nothing is applied. */
  | { kind: 'rate_limited'; retryAfterMs?: number }
  | { kind: 'fatal' | 'permanent'; message?: string };

/** The outcome forced on one entry of a `post` request. */
export type MemoryEntryFault =
  /** A transient per-entry error; with `applied`, the ERP applied the entry anyway. */
  | { kind: 'transient'; applied: boolean }
  /** No outcome is returned for the entry; with `applied`, the ERP applied it. */
  | { kind: 'missing'; applied: boolean }
  | { kind: 'rate_limited'; retryAfterMs?: number }
  | { kind: 'fatal' | 'permanent'; message?: string };

/** A failure of a `find` lookup. */
export type MemoryFindFault = { kind: 'transient' | 'fatal' } | { kind: 'unknown'; reason: string };

export interface MemoryErpOptions {
  limits?: Partial<ErpLimits>;
  /** Share of posts that fail transiently: half before applying, half after (the response is lost). */
  transientRate?: number;
  /** Rejects chosen entries permanently with the returned message. */
  reject?: (entry: JournalEntry) => string | null;
  /** Forces an outcome on chosen entries (see {@link MemoryEntryFault}); `attempt` counts posts of that entry. */
  entryFault?: (entry: JournalEntry, attempt: number) => MemoryEntryFault | null;
  random?: () => number;
}

/**
 * A complete in-memory ERP ledger implementing {@link ErpAdapter}: the reference adapter for
 * testing rules, reconciliation and your own pipelines without a real ERP. It models the whole fault
 * model the engine handles: whole-request failures (`failNextPost`: transient before or after
 * applying, rate-limited, permanent, fatal), per-entry outcomes (`entryFault`: transient applied or
 * not, missing, rate-limited, permanent, fatal), failed and "still unknown" lookups (`failNextFind`),
 * random transient faults (`transientRate`) and permanent rejections (`reject`).
 *
 * @example
 * const erp = new MemoryErp({ transientRate: 0.1 });
 * await new SyncEngine({ adapter: erp, store, mapping, source }).run();
 * erp.count('itxn_123'); // 1
 */
export class MemoryErp implements ErpAdapter {
  readonly name = 'memory';
  readonly limits: ErpLimits;
  private readonly entries: Array<{ id: string; entry: JournalEntry }> = [];
  private readonly postFaults: MemoryBatchFault[] = [];
  private readonly findFaults: MemoryFindFault[] = [];
  private readonly attempts = new Map<string, number>();
  private seq = 0;
  /** Every `post` request received, in order, as the external references it carried. */
  readonly requests: string[][] = [];
  /** How many `find` calls were made. */
  finds = 0;

  constructor(private readonly options: MemoryErpOptions = {}) {
    this.limits = { maxBatchSize: 25, maxConcurrent: 4, requestTimeoutMs: 0, ...options.limits };
  }

  private roll(): number {
    return (this.options.random ?? Math.random)();
  }

  /** Fails the next `post` request(s) with `fault`. */
  failNextPost(fault: MemoryBatchFault, count = 1): void {
    for (let i = 0; i < count; i++) this.postFaults.push(fault);
  }

  /** Fails the next `find` call(s) with `fault`. */
  failNextFind(fault: MemoryFindFault, count = 1): void {
    for (let i = 0; i < count; i++) this.findFaults.push(fault);
  }

  private apply(entry: JournalEntry): string {
    const id = String(++this.seq);
    this.entries.push({ id, entry });
    return id;
  }

  private errorFor(f: Exclude<MemoryEntryFault, { kind: 'missing' }> | MemoryBatchFault): ErpError {
    switch (f.kind) {
      case 'transient':
        return new ErpError(`injected: transient failure${f.applied ? ' after applying' : ''}`, {
          kind: 'transient',
        });
      case 'rate_limited':
        return new ErpError('injected: rate limited', {
          kind: 'rate_limited',
          code: '429',
          ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
        });
      default:
        return new ErpError(f.message ?? `injected: ${f.kind}`, { kind: f.kind, code: `injected_${f.kind}` });
    }
  }

  async post(entries: JournalEntry[], _signal?: AbortSignal, _context?: PostContext): Promise<PostOutcome[]> {
    this.requests.push(entries.map((e) => e.externalRef));
    const scripted = this.postFaults.shift();
    const rate = this.options.transientRate ?? 0;
    const r = scripted ? 1 : this.roll();
    const batchFault: MemoryBatchFault | null =
      scripted ??
      (r < rate / 2
        ? { kind: 'transient', applied: false }
        : r < rate
          ? { kind: 'transient', applied: true }
          : null);
    if (batchFault && !(batchFault.kind === 'transient' && batchFault.applied))
      throw this.errorFor(batchFault);
    const out: PostOutcome[] = [];
    for (const entry of entries) {
      const attempt = (this.attempts.get(entry.externalRef) ?? 0) + 1;
      this.attempts.set(entry.externalRef, attempt);
      const reason = this.options.reject?.(entry);
      if (reason) {
        out.push({
          externalRef: entry.externalRef,
          ok: false,
          error: new ErpError(reason, { kind: 'permanent', code: 'rejected' }),
        });
        continue;
      }
      const f = this.options.entryFault?.(entry, attempt) ?? null;
      if (!f) {
        out.push({ externalRef: entry.externalRef, ok: true, erpId: this.apply(entry) });
      } else if (f.kind === 'missing') {
        if (f.applied) this.apply(entry);
      } else {
        if (f.kind === 'transient' && f.applied) this.apply(entry);
        out.push({ externalRef: entry.externalRef, ok: false, error: this.errorFor(f) });
      }
    }
    if (batchFault) throw this.errorFor(batchFault);
    return out;
  }

  private toPosting(x: { id: string; entry: JournalEntry }): ErpPosting {
    return {
      externalRef: x.entry.externalRef,
      erpId: x.id,
      date: x.entry.date,
      account: expenseAccount(x.entry),
      amount: signedExpense(x.entry),
      currency: x.entry.currency,
    };
  }

  async find(refs: string[]): Promise<ErpLookup> {
    this.finds++;
    const fault = this.findFaults.shift();
    if (fault && fault.kind !== 'unknown') {
      throw new ErpError(`injected: lookup failed (${fault.kind})`, { kind: fault.kind });
    }
    const want = new Set(refs);
    const out: ErpLookup = new Map();
    for (const x of this.entries)
      if (want.has(x.entry.externalRef)) out.set(x.entry.externalRef, this.toPosting(x));
    if (fault?.kind === 'unknown') {
      for (const ref of refs)
        if (!out.has(ref)) out.set(ref, { externalRef: ref, unknown: true, reason: fault.reason });
    }
    return out;
  }

  async list(range: { from: string; to: string }): Promise<ErpPosting[]> {
    return this.entries
      .filter((x) => x.entry.date >= range.from && x.entry.date <= range.to)
      .map((x) => this.toPosting(x));
  }

  /** How many times an external reference was booked (exactly-once means 1). */
  count(externalRef: string): number {
    return this.entries.filter((x) => x.entry.externalRef === externalRef).length;
  }

  /** How many `post` requests carried an external reference. */
  submissions(externalRef: string): number {
    return this.requests.filter((r) => r.includes(externalRef)).length;
  }

  /** Every booked entry. */
  all(): JournalEntry[] {
    return this.entries.map((x) => x.entry);
  }

  /** Removes a booking (to simulate someone deleting it in the ERP). */
  remove(externalRef: string): void {
    const i = this.entries.findIndex((x) => x.entry.externalRef === externalRef);
    if (i >= 0) this.entries.splice(i, 1);
  }
}

import type { ErpAdapter, ErpLimits, ErpPosting, PostOutcome } from './erp.js';
import { ErpError } from './errors.js';
import { expenseAccount, type JournalEntry, signedExpense } from './journal.js';

/**
 * A complete in-memory ERP ledger implementing {@link ErpAdapter}: the reference adapter for
 * testing rules, reconciliation and your own pipelines without a real ERP. It can inject faults:
 * `transientRate` fails that share of posts (half before applying, half after applying — the
 * "response lost" case), and `reject` rejects chosen entries permanently.
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
  private seq = 0;
  constructor(
    private readonly options: {
      limits?: Partial<ErpLimits>;
      transientRate?: number;
      reject?: (entry: JournalEntry) => string | null;
      random?: () => number;
    } = {},
  ) {
    this.limits = { maxBatchSize: 25, maxConcurrent: 4, ...options.limits };
  }

  private roll(): number {
    return (this.options.random ?? Math.random)();
  }

  async post(entries: JournalEntry[]): Promise<PostOutcome[]> {
    const rate = this.options.transientRate ?? 0;
    const r = this.roll();
    if (r < rate / 2)
      throw new ErpError('injected: service unavailable (nothing applied)', { kind: 'transient' });
    const out: PostOutcome[] = entries.map((entry) => {
      const reason = this.options.reject?.(entry);
      if (reason)
        return {
          externalRef: entry.externalRef,
          ok: false,
          error: new ErpError(reason, { kind: 'permanent', code: 'rejected' }),
        };
      const id = String(++this.seq);
      this.entries.push({ id, entry });
      return { externalRef: entry.externalRef, ok: true, erpId: id };
    });
    if (r < rate) throw new ErpError('injected: connection reset after applying', { kind: 'transient' });
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

  async find(refs: string[]): Promise<Map<string, ErpPosting>> {
    const want = new Set(refs);
    const out = new Map<string, ErpPosting>();
    for (const x of this.entries)
      if (want.has(x.entry.externalRef)) out.set(x.entry.externalRef, this.toPosting(x));
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

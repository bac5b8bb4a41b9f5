import type { ErpError } from './errors.js';
import type { JournalEntry } from './journal.js';

/** Outcome of posting one entry. */
export type PostOutcome =
  | { externalRef: string; ok: true; erpId: string }
  | { externalRef: string; ok: false; error: ErpError };

/** An entry as it exists in the ERP, for exactly-once lookups and reconciliation. */
export interface ErpPosting {
  externalRef: string;
  erpId: string;
  date: string;
  /** Expense account as the mapping rules name it. */
  account: string;
  /** Signed expense amount in minor units: positive for charges, negative for refunds. */
  amount: number;
  currency: string;
}

/** The limits an ERP documents, which the engine sizes its work by. */
export interface ErpLimits {
  /** Largest number of entries the ERP accepts in one batch request. */
  maxBatchSize: number;
  /** Requests the ERP allows in flight at once. */
  maxConcurrent: number;
}

/**
 * What a connector implements for its ERP. Everything ERP-specific lives behind this interface:
 * the engine only sees journal entries, outcomes and external references.
 */
export interface ErpAdapter {
  readonly name: string;
  readonly limits: ErpLimits;
  /** Resolves/creates what entries reference (vendors, …) before posting. Optional. */
  prepare?(entries: JournalEntry[], signal?: AbortSignal): Promise<void>;
  /** Posts up to `limits.maxBatchSize` entries; one outcome per entry. Throws ErpError for batch-level failure. */
  post(entries: JournalEntry[], signal?: AbortSignal): Promise<PostOutcome[]>;
  /** Looks external references up in the ERP; returns those that exist (keyed by external reference). */
  find(externalRefs: string[], signal?: AbortSignal): Promise<Map<string, ErpPosting>>;
  /** Lists entries posted by this connector dated within `[from, to]` (YYYY-MM-DD, inclusive). */
  list(range: { from: string; to: string }, signal?: AbortSignal): Promise<ErpPosting[]>;
  close?(): Promise<void>;
}

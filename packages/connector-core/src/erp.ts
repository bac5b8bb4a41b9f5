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

/**
 * What `find` answers for a reference whose fate the ERP cannot tell yet — typically one held by an
 * import job that is still running. The engine keeps the entry in doubt and asks again later; it
 * never treats "unknown" as "absent".
 */
export interface StillUnknown {
  externalRef: string;
  unknown: true;
  /** Why, for the logs and the reconciliation report (e.g. "held by running job 4711"). */
  reason: string;
}

/** The answer of `find`: references that exist, and those the ERP cannot tell about yet. */
export type ErpLookup = Map<string, ErpPosting | StillUnknown>;

/** The limits an ERP documents, which the engine sizes its work by. */
export interface ErpLimits {
  /** Largest number of entries the ERP accepts in one batch request (or one import job). */
  maxBatchSize: number;
  /** Requests (or unfinished jobs) the ERP allows at once. */
  maxConcurrent: number;
  /**
   * The longest the ERP may take to apply a request, after which it is applied or never will be
   * (QuickBooks: 120 s). When a process dies with requests in flight, their entries are not looked up
   * before this much time has passed since they were sent, so a request still being processed can
   * never be followed by a second post of the same entry. For job-based ERPs: the longest the upload
   * call itself may take (the job that follows is recorded and tracked). @default 120000
   */
  requestTimeoutMs?: number;
}

/** What the engine tells the adapter about one `post` call. */
export interface PostContext {
  /**
   * A unique id for this submission, made by the engine before the request leaves. Adapters of
   * ERPs that take a client-chosen id (a file name, a message id, an idempotency key) should send it.
   */
  submissionId: string;
}

/** A job the ERP accepted for a set of entries; its outcome comes later. */
export interface ErpJob {
  /** The ERP's id for the job (Oracle: the ESS request id). */
  id: string;
  /** Anything else the adapter needs to follow the job, JSON-serialisable; stored with the job. */
  data?: Record<string, unknown>;
}

/** What `post` answers for a job-based ERP: every entry it was given is now held by `job`. */
export interface JobSubmitted {
  submitted: ErpJob;
}

/** The state of a job as the ERP reports it. */
export type ErpJobStatus =
  | { state: 'running' /** When to ask again, if the ERP says. */; retryAfterMs?: number }
  | { state: 'succeeded' }
  /** The job ended without applying its entries (Oracle rejects a whole import group for one bad journal). */
  | { state: 'failed'; message: string; code?: string };

/**
 * How the engine follows jobs. Implement it when `post` can answer {@link JobSubmitted}.
 *
 * Contract:
 * - `status` may be called any number of times, from any process, for a job recorded earlier —
 *   including after the process that submitted it was killed.
 * - `outcomes` is called once the job has ended. For a `succeeded` job: one outcome per entry
 *   (entries without one are looked up with `find`). For a `failed` job nothing was applied: return
 *   a `permanent` outcome (with the ERP's message) for each entry the ERP names as the cause; the
 *   engine submits the others again, once, in a new group. When the results name no entry, return
 *   none: the engine bisects the group (at most 2·log₂(group size) extra submissions per bad entry)
 *   and dead-letters an entry that fails alone with the job's message.
 * - `find` must answer {@link StillUnknown} for references held by a job that has not ended.
 */
export interface ErpJobs {
  status(job: ErpJob, signal?: AbortSignal): Promise<ErpJobStatus>;
  outcomes(job: ErpJob, status: ErpJobStatus, signal?: AbortSignal): Promise<PostOutcome[]>;
}

/** One request exactly as an adapter would send it, for `openissuing-sync run --dry-run`. */
export interface RenderedRequest {
  /** File name without the sequence prefix, e.g. `batch.json`, `JournalEntryCreate.xml`, `GlInterface.zip`. */
  name: string;
  /** The request body, byte for byte. */
  body: string | Uint8Array;
  /** What the request does and anything it depends on, in a sentence (written to the index). */
  description?: string;
  /** The external references it carries. */
  externalRefs?: string[];
}

/**
 * What a connector implements for its ERP. Everything ERP-specific lives behind this interface:
 * the engine only sees journal entries, outcomes, jobs and external references.
 *
 * @example
 * class MyErp implements ErpAdapter {
 *   readonly name = 'My ERP';
 *   readonly limits = { maxBatchSize: 50, maxConcurrent: 2 };
 *   async post(entries) { … return entries.map((e) => ({ externalRef: e.externalRef, ok: true, erpId })); }
 *   async find(refs) { … }
 *   async list(range) { … }
 * }
 */
export interface ErpAdapter {
  readonly name: string;
  readonly limits: ErpLimits;
  /** Resolves/creates what entries reference (vendors, …) before posting. Optional. */
  prepare?(entries: JournalEntry[], signal?: AbortSignal): Promise<void>;
  /**
   * Posts up to `limits.maxBatchSize` entries: one outcome per entry (synchronous ERPs), or
   * {@link JobSubmitted} when the ERP took them as one job (then implement `jobs`). Throws ErpError for
   * a failure of the whole request.
   */
  post(
    entries: JournalEntry[],
    signal?: AbortSignal,
    context?: PostContext,
  ): Promise<PostOutcome[] | JobSubmitted>;
  /** Follows jobs `post` submitted; required when `post` can answer {@link JobSubmitted}. */
  readonly jobs?: ErpJobs;
  /**
   * Looks external references up in the ERP: those that exist, and {@link StillUnknown} for those the
   * ERP cannot tell about yet. A reference left out is known to be absent.
   */
  find(externalRefs: string[], signal?: AbortSignal): Promise<ErpLookup>;
  /** Lists entries posted by this connector dated within `[from, to]` (YYYY-MM-DD, inclusive). */
  list(range: { from: string; to: string }, signal?: AbortSignal): Promise<ErpPosting[]>;
  /**
   * The requests `post` (and `prepare`) would send for these entries, without sending anything or
   * changing the ERP (reads are allowed). Needed by `openissuing-sync run --dry-run`.
   */
  render?(entries: JournalEntry[], signal?: AbortSignal): Promise<RenderedRequest[]>;
  close?(): Promise<void>;
}

/** True when a lookup answer says the reference exists. */
export function isPosting(v: ErpPosting | StillUnknown | undefined): v is ErpPosting {
  return v !== undefined && !('unknown' in v && v.unknown === true);
}

/** True when `post` answered with a job. */
export function isJobSubmitted(v: PostOutcome[] | JobSubmitted): v is JobSubmitted {
  return !Array.isArray(v) && typeof v === 'object' && v !== null && 'submitted' in v;
}

import {
  type Clock,
  type ErpAdapter,
  ErpError,
  type ErpLimits,
  type ErpPosting,
  type JournalEntry,
  type PostOutcome,
  systemClock,
} from '@openissuing/connector-core';
import type { AuthProvider } from './client/auth.js';
import {
  essExecutionDetails,
  essJobStatus,
  importBulkData,
  TERMINAL_STATUSES,
} from './client/erpintegrations.js';
import { FusionClient } from './client/fusion.js';
import { findBatches, listBatches, type ReadOptions } from './client/journal-batches.js';
import { namedRejections } from './execution-report.js';
import { buildUpload, type FbdiUpload } from './fbdi/upload.js';
import { type JobLog, MemoryJobLog, type UploadRecord } from './job-log.js';
import type { JournalLayout } from './options.js';

export interface OracleAdapterOptions {
  /** Pod URL, e.g. `https://fa-abcd.fa.us2.oraclecloud.com`. */
  baseUrl: string;
  /** @default "11.13.18.05" */
  apiVersion?: string;
  auth: AuthProvider;
  layout: JournalLayout;
  dataAccessSetId?: string | undefined;
  /** Import Journals parameter 5. @default false */
  postErrorsToSuspense?: boolean;
  /** Import Journals parameter 6. @default false */
  createSummaryJournals?: boolean;
  /** @default "fin$/generalLedger$/import$" */
  documentAccount?: string;
  /** First status poll after this long, then growing by `pollBackoff` up to `maxPollMs`. @default 10000 */
  pollMs?: number;
  /** @default 1.5 */
  pollBackoff?: number;
  /** @default 60000 */
  maxPollMs?: number;
  /** A job not finished this long after its upload is reported stuck; it is never resubmitted while it runs. @default 1800000 */
  jobTimeoutMs?: number;
  /** @default 500 */
  maxBatchSize?: number;
  /** @default 2 */
  maxConcurrent?: number;
  /** Where uploads are recorded before they are waited on. @default an in-memory log (use FileJobLog across processes) */
  jobLog?: JobLog;
  clock?: Clock;
  fetch?: typeof fetch;
  /**
   * Inside `post`, upload a rejected group's good journals again in a fresh group (without the journals
   * the execution details name), or split it in halves when they name none. @default true
   */
  regroup?: boolean;
  /** Looks a card's last 4 digits up (e.g. the platform SDK's `cards.retrieve`) for the line description. */
  cardLast4?: ((cardId: string) => Promise<string | undefined>) | undefined;
  /** Fresh GROUP_IDs; the default is time-based and random (16 digits). */
  groupId?: () => string;
}

/** A submitted upload the engine (or `post`) follows to its end. */
export interface OracleJob {
  groupId: string;
  requestId: string;
  refs: string[];
}

/** Outcome of following a job: per-entry results plus the references to upload again. */
export interface JobResult {
  status: string;
  outcomes: PostOutcome[];
  /** Not imported because another journal of the group failed: safe to upload again in a new group. */
  resubmit: string[];
  /** True when the group failed and Oracle named none of its journals (bisect to find the bad one). */
  unnamed: boolean;
}

/** A file `--dry-run --out-dir` writes: exactly what one upload would send. */
export interface RenderedPayload {
  name: string;
  contentType: string;
  body: Uint8Array | string;
}

function defaultGroupId(clock: Clock): () => string {
  let last = 0;
  return () => {
    // 13-digit ms timestamp + 3 random digits, strictly increasing within a process
    let id = clock.now() * 1000 + Math.floor(Math.random() * 1000);
    if (id <= last) id = last + 1;
    last = id;
    return String(id);
  };
}

/**
 * Oracle Fusion Cloud ERP General Ledger adapter: each engine batch becomes one FBDI upload
 * (`GlInterface.csv` zipped, `importBulkData` with Import Journals, a fresh GROUP_ID), recorded in the
 * job log before it is waited on, followed through ESS to its end, and turned into per-entry outcomes
 * by reading the journals back through journalBatches and the job's execution details.
 *
 * @example
 * const adapter = new OracleAdapter({ baseUrl, auth: basicAuth(user, password), layout, jobLog: await FileJobLog.open('.oracle-jobs.jsonl') });
 * const outcomes = await adapter.post(entries);
 */
export class OracleAdapter implements ErpAdapter {
  readonly name = 'oracle';
  readonly limits: ErpLimits;
  readonly fusion: FusionClient;
  readonly jobLog: JobLog;
  private readonly clock: Clock;
  private readonly nextGroupId: () => string;
  private ledgerId: Promise<string> | null = null;
  private readonly last4 = new Map<string, Promise<string | undefined>>();
  /** Counters for tests and benchmarks. */
  readonly stats = { uploads: 0, polls: 0, regroups: 0, bisections: 0 };

  constructor(private readonly options: OracleAdapterOptions) {
    this.clock = options.clock ?? systemClock;
    this.fusion = new FusionClient({
      baseUrl: options.baseUrl,
      auth: options.auth,
      ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.jobLog = options.jobLog ?? new MemoryJobLog();
    this.limits = { maxBatchSize: options.maxBatchSize ?? 500, maxConcurrent: options.maxConcurrent ?? 2 };
    this.nextGroupId = options.groupId ?? defaultGroupId(this.clock);
  }

  private get layout(): JournalLayout {
    return this.options.layout;
  }

  private readOptions(): ReadOptions {
    const names = new Map<string, string>();
    for (const [name, code] of Object.entries(this.layout.accounts ?? {}))
      if (!names.has(code)) names.set(code, name);
    return {
      accountName: (code) => names.get(code) ?? code,
      naturalAccountIndex: Math.max(
        0,
        this.layout.segments.findIndex((s) => s.account === true),
      ),
      journalSource: this.layout.journalSource,
    };
  }

  /** The ledger id: configured, or looked up by name through ledgersLOV once. */
  resolveLedgerId(signal?: AbortSignal): Promise<string> {
    const { id, name } = this.layout.ledger;
    if (id) return Promise.resolve(id);
    this.ledgerId ??= (async () => {
      const q = `Name = '${String(name).replaceAll("'", "''")}'`;
      const page = await this.fusion.get<{ items?: Array<{ LedgerId?: number | string }> }>(
        'ledgersLOV',
        { q, onlyData: 'true' },
        signal,
      );
      const found = page?.items?.[0]?.LedgerId;
      if (found === undefined)
        throw new ErpError(
          `Oracle has no ledger named "${name}": fix connector.options.ledger.name or give its id`,
          {
            kind: 'fatal',
          },
        );
      return String(found);
    })().catch((err) => {
      this.ledgerId = null;
      throw err;
    });
    return this.ledgerId;
  }

  /** Card last 4 digits for the entries' cards: configured, else looked up once per card (best effort). */
  private async cardDigits(entries: JournalEntry[]): Promise<Record<string, string>> {
    const out: Record<string, string> = { ...(this.layout.cardLast4 ?? {}) };
    const lookup = this.options.cardLast4;
    if (!lookup) return out;
    const cards = [
      ...new Set(entries.map((e) => e.source.card).filter((c): c is string => !!c && !(c in out))),
    ];
    await Promise.all(
      cards.map(async (card) => {
        let p = this.last4.get(card);
        if (!p) {
          p = lookup(card).catch(() => undefined);
          this.last4.set(card, p);
        }
        const digits = await p;
        if (digits && /^\d{4}$/.test(digits)) out[card] = digits;
      }),
    );
    return out;
  }

  /** Lays entries out as one upload (fresh GROUP_ID) without sending anything. */
  async build(entries: JournalEntry[], signal?: AbortSignal): Promise<FbdiUpload> {
    const ledgerId = await this.resolveLedgerId(signal);
    const layout = { ...this.layout, cardLast4: await this.cardDigits(entries) };
    return buildUpload(entries, layout, {
      ledgerId,
      groupId: this.nextGroupId(),
      createdOn: new Date(this.clock.now()).toISOString().slice(0, 10),
      dataAccessSetId: this.options.dataAccessSetId,
      postErrorsToSuspense: this.options.postErrorsToSuspense ?? false,
      createSummaryJournals: this.options.createSummaryJournals ?? false,
      documentAccount: this.options.documentAccount ?? 'fin$/generalLedger$/import$',
    });
  }

  /**
   * The payloads one upload of these entries would send (for `--dry-run --out-dir`): the FBDI zip and
   * the `importBulkData` request body. Nothing is sent or recorded.
   */
  async render(entries: JournalEntry[], signal?: AbortSignal): Promise<RenderedPayload[]> {
    const upload = await this.build(entries, signal);
    return [
      { name: upload.fileName, contentType: 'application/zip', body: upload.zip },
      {
        name: `importBulkData_${upload.groupId}.json`,
        contentType: 'application/json',
        body: `${JSON.stringify(upload.body, null, 2)}\n`,
      },
    ];
  }

  /**
   * Uploads entries as one group and returns the job, recorded in the job log before the request
   * leaves (a lost answer leaves the group "in flight" until the job timeout has passed). Entries the
   * layout cannot express come back in `rejected` as permanent outcomes.
   */
  async submit(
    entries: JournalEntry[],
    signal?: AbortSignal,
  ): Promise<{ job: OracleJob | null; rejected: PostOutcome[] }> {
    const upload = await this.build(entries, signal);
    const rejected: PostOutcome[] = upload.rejected.map((r) => ({
      externalRef: r.externalRef,
      ok: false,
      error: new ErpError(r.error.message, { kind: 'permanent', code: 'mapping' }),
    }));
    if (upload.refs.length === 0) return { job: null, rejected };
    const lines = upload.refs.map((ref) => upload.rows.filter((r) => r.REFERENCE6 === ref).length);
    await this.jobLog.intent({ groupId: upload.groupId, refs: upload.refs, lines, at: this.clock.now() });
    this.stats.uploads++;
    const requestId = await importBulkData(this.fusion, upload.body, signal);
    await this.jobLog.submitted(upload.groupId, requestId);
    return { job: { groupId: upload.groupId, requestId, refs: upload.refs }, rejected };
  }

  /** One status poll: the ESS status, upper case. */
  async jobStatus(job: Pick<OracleJob, 'requestId'>, signal?: AbortSignal): Promise<string> {
    this.stats.polls++;
    return essJobStatus(this.fusion, job.requestId, signal);
  }

  /**
   * Polls a job with backoff until it ends. A job still running `jobTimeoutMs` after its upload throws
   * a transient `job_stuck` error naming the request — its entries stay in doubt and are not uploaded
   * again while it runs.
   */
  async waitForJob(job: OracleJob, submittedAt: number, signal?: AbortSignal): Promise<string> {
    let delay = this.options.pollMs ?? 10_000;
    const timeout = this.options.jobTimeoutMs ?? 30 * 60_000;
    for (;;) {
      await this.clock.sleep(delay, signal);
      const status = await this.jobStatus(job, signal);
      if (TERMINAL_STATUSES.has(status)) return status;
      if (this.clock.now() - submittedAt >= timeout) throw this.stuck(job.requestId, job.groupId, status);
      delay = Math.min(delay * (this.options.pollBackoff ?? 1.5), this.options.maxPollMs ?? 60_000);
    }
  }

  private stuck(requestId: string | undefined, groupId: string, status: string): ErpError {
    const minutes = Math.round((this.options.jobTimeoutMs ?? 30 * 60_000) / 60_000);
    return new ErpError(
      `Oracle job ${requestId ?? '(request id unknown: the upload answer was lost)'} for group ${groupId} is still ${status} after ${minutes} min: check Scheduled Processes in Fusion. Its journals are not uploaded again while it may run.`,
      { kind: 'transient', code: 'job_stuck' },
    );
  }

  /**
   * Per-entry results of a finished job: a journal found in journalBatches is posted (its batch id is
   * the ERP id); one the execution details name is rejected with Oracle's code and text; any other was
   * held back by its group and may go again in a new group.
   */
  async jobResult(job: OracleJob, status: string, signal?: AbortSignal): Promise<JobResult> {
    const found = await findBatches(this.fusion, job.refs, this.readOptions(), signal);
    const missing = job.refs.filter((r) => !found.has(r));
    let named = new Map<string, { code: string; message: string }>();
    if (missing.length > 0) {
      const record = await this.jobLog.get(job.groupId);
      const recordRefs = record
        ? record.refs.flatMap((r, i) => Array(record.lines[i] ?? 1).fill(r) as string[])
        : [];
      named = namedRejections(await essExecutionDetails(this.fusion, job.requestId, signal), recordRefs);
    }
    await this.jobLog.finished(job.groupId, status);
    const outcomes: PostOutcome[] = [];
    const resubmit: string[] = [];
    for (const ref of job.refs) {
      const posting = found.get(ref);
      if (posting) {
        outcomes.push({ externalRef: ref, ok: true, erpId: posting.erpId });
        continue;
      }
      const n = named.get(ref);
      if (n) {
        outcomes.push({
          externalRef: ref,
          ok: false,
          error: new ErpError(`Oracle Journal Import ${n.code}: ${n.message}`, {
            kind: 'permanent',
            code: n.code,
          }),
        });
      } else resubmit.push(ref);
    }
    return { status, outcomes, resubmit, unnamed: resubmit.length > 0 && named.size === 0 };
  }

  /**
   * Posts entries and follows the job to its end. When Oracle rejects the group, the journals it names
   * are dead-lettered with its code and text and the rest go again once in a fresh group; when it names
   * none, the group is split in halves (at most 2·log₂(n) extra uploads per bad journal).
   */
  async post(entries: JournalEntry[], signal?: AbortSignal): Promise<PostOutcome[]> {
    const byRef = new Map(entries.map((e) => [e.externalRef, e]));
    const out: PostOutcome[] = [];
    const run = async (batch: JournalEntry[], depth: number): Promise<void> => {
      const at = this.clock.now();
      const { job, rejected } = await this.submit(batch, signal);
      out.push(...rejected);
      if (!job) return;
      const status = await this.waitForJob(job, at, signal);
      const result = await this.jobResult(job, status, signal);
      out.push(...result.outcomes);
      if (result.resubmit.length === 0) return;
      const again = result.resubmit.map((r) => byRef.get(r) as JournalEntry);
      const give = (why: string) => {
        for (const e of again)
          out.push({
            externalRef: e.externalRef,
            ok: false,
            error: new ErpError(
              `Oracle did not import the journal (job ${job.requestId} ended ${status}): ${why}`,
              {
                kind: 'permanent',
                code: status,
              },
            ),
          });
      };
      if (this.options.regroup === false) {
        for (const e of again)
          out.push({
            externalRef: e.externalRef,
            ok: false,
            error: new ErpError(`held back: another journal of group ${job.groupId} failed`, {
              kind: 'rate_limited',
              code: 'group_rejected',
              retryAfterMs: 0,
            }),
          });
        return;
      }
      if (!result.unnamed) {
        this.stats.regroups++;
        if (depth > 3) return give('its group kept failing without naming it');
        await run(again, depth + 1);
        return;
      }
      if (again.length === 1)
        return give('the execution report names no journal; see the job in Scheduled Processes');
      this.stats.bisections++;
      const half = Math.ceil(again.length / 2);
      await run(again.slice(0, half), depth);
      await run(again.slice(half), depth);
    };
    await run(entries, 0);
    return out;
  }

  /**
   * Looks references up through journalBatches. A reference held by an upload that has not finished —
   * its job still running, or its answer lost less than `jobTimeoutMs` ago — is still unknown: this
   * throws a transient error instead of calling it absent, so the engine keeps it in doubt.
   */
  async find(externalRefs: string[], signal?: AbortSignal): Promise<Map<string, ErpPosting>> {
    for (const record of await this.jobLog.unfinished(externalRefs)) await this.settle(record, signal);
    return findBatches(this.fusion, externalRefs, this.readOptions(), signal);
  }

  /** Brings an unfinished upload up to date, or throws while it may still import. */
  private async settle(record: UploadRecord, signal?: AbortSignal): Promise<void> {
    const age = this.clock.now() - record.at;
    const timeout = this.options.jobTimeoutMs ?? 30 * 60_000;
    if (!record.requestId) {
      if (age < timeout) {
        throw new ErpError(
          `the upload of group ${record.groupId} got no answer ${Math.round(age / 1000)} s ago; its references stay unknown until its job would have ended`,
          { kind: 'transient', code: 'job_unknown' },
        );
      }
      await this.jobLog.finished(record.groupId, 'UNKNOWN');
      return;
    }
    const status = await this.jobStatus({ requestId: record.requestId }, signal);
    if (TERMINAL_STATUSES.has(status)) {
      await this.jobLog.finished(record.groupId, status);
      return;
    }
    if (age >= timeout) throw this.stuck(record.requestId, record.groupId, status);
    throw new ErpError(
      `Oracle job ${record.requestId} (group ${record.groupId}) is ${status}: its journals are still unknown`,
      {
        kind: 'transient',
        code: 'job_running',
      },
    );
  }

  list(range: { from: string; to: string }, signal?: AbortSignal): Promise<ErpPosting[]> {
    return listBatches(this.fusion, range, this.readOptions(), signal);
  }
}

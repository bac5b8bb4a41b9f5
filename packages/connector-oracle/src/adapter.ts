import {
  type Clock,
  type ErpAdapter,
  ErpError,
  type ErpJob,
  type ErpJobStatus,
  type ErpJobs,
  type ErpLimits,
  type ErpLookup,
  type ErpPosting,
  type JobSubmitted,
  type JournalEntry,
  type PostContext,
  type PostOutcome,
  type RenderedRequest,
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
import {
  jobData,
  journalImportError,
  type OracleJobData,
  stuckJobError,
  toJobStatus,
  unmappedOutcomes,
} from './jobs.js';
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
  /**
   * The longest an Import Journals job may take from upload to end. A job running longer is reported
   * (`onStuckJob`) and kept — never uploaded again while it may run; entries whose upload got no
   * answer are not looked up before this has passed. @default 1800000 (30 min)
   */
  jobTimeoutMs?: number;
  /** Per-request HTTP timeout (the upload call included). @default 120000 */
  requestTimeoutMs?: number;
  /** @default 500 */
  maxBatchSize?: number;
  /** Import jobs in flight at once. @default 2 */
  maxConcurrent?: number;
  /** Told once per job that runs past `jobTimeoutMs` (the CLI writes it to stderr). */
  onStuckJob?: (error: ErpError) => void;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Looks a card's last 4 digits up (e.g. the platform SDK's `cards.retrieve`) for the line description. */
  cardLast4?: ((cardId: string) => Promise<string | undefined>) | undefined;
  /** Fresh GROUP_IDs; the default is time-based and random (16 digits). */
  groupId?: () => string;
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
 * Oracle Fusion Cloud ERP General Ledger adapter on the engine's job interface: `post` uploads one
 * engine batch as one FBDI group (`GlInterface.csv` zipped, `importBulkData` with Import Journals, a
 * fresh GROUP_ID) and answers "submitted as ESS request R"; the engine records the job, polls
 * `jobs.status` and takes `jobs.outcomes` — journals read back through journalBatches are posted,
 * journals the execution details name are rejected with Oracle's code and text. Re-grouping and
 * bisection of a rejected group are the engine's.
 *
 * @example
 * const adapter = new OracleAdapter({ baseUrl, auth: basicAuth(user, password), layout });
 * const engine = new SyncEngine({ adapter, store, mapping, source });
 * await engine.run();
 */
export class OracleAdapter implements ErpAdapter {
  readonly name = 'oracle';
  readonly limits: ErpLimits;
  readonly fusion: FusionClient;
  readonly jobs: ErpJobs;
  private readonly clock: Clock;
  private readonly jobTimeoutMs: number;
  private readonly nextGroupId: () => string;
  private ledgerId: Promise<string> | null = null;
  private readonly last4 = new Map<string, Promise<string | undefined>>();
  /** Uploads sent from this process whose answer did not come: group id → references, sent at. */
  private readonly unanswered = new Map<string, { refs: string[]; sentAt: number }>();
  /** Jobs submitted or followed from this process that have not been seen to end. */
  private readonly open = new Map<string, OracleJobData>();
  private readonly reportedStuck = new Set<string>();
  /** Counters for tests and benchmarks. */
  readonly stats = { uploads: 0, polls: 0 };

  constructor(private readonly options: OracleAdapterOptions) {
    this.clock = options.clock ?? systemClock;
    this.fusion = new FusionClient({
      baseUrl: options.baseUrl,
      auth: options.auth,
      ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
      ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.jobTimeoutMs = options.jobTimeoutMs ?? 30 * 60_000;
    this.limits = {
      maxBatchSize: options.maxBatchSize ?? 500,
      maxConcurrent: options.maxConcurrent ?? 2,
      // a process killed between the upload and the engine recording its job leaves entries that a
      // successor must not look up before the job has ended
      requestTimeoutMs: (options.requestTimeoutMs ?? 120_000) + this.jobTimeoutMs,
    };
    this.nextGroupId = options.groupId ?? defaultGroupId(this.clock);
    this.jobs = {
      status: (job, signal) => this.jobStatus(job, signal),
      outcomes: (job, status, signal) => this.jobOutcomes(job, status, signal),
    };
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
          { kind: 'fatal' },
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
   * What `post` would upload for these entries (for `openissuing-sync run --dry-run --out-dir`): the
   * FBDI zip holding `GlInterface.csv`, byte for byte, with the `importBulkData` parameters in its
   * description. Nothing is sent (the ledger id may be looked up by name).
   */
  async render(entries: JournalEntry[], signal?: AbortSignal): Promise<RenderedRequest[]> {
    const upload = await this.build(entries, signal);
    const unmapped = upload.rejected.map((r) => `${r.externalRef}: ${r.error.message}`);
    if (upload.refs.length === 0) return [];
    return [
      {
        name: upload.fileName,
        body: upload.zip,
        description: `POST erpintegrations importBulkData ${upload.body.JobName} ParameterList ${upload.body.ParameterList}: ${upload.refs.length} journal(s), ${upload.rows.length} GL_INTERFACE row(s) in ${upload.fileName}${unmapped.length ? `; not laid out: ${unmapped.join('; ')}` : ''}`,
        externalRefs: upload.refs,
      },
    ];
  }

  /**
   * Uploads the entries as one group and answers the ESS request that imports it; the engine follows
   * it through {@link jobs}. Entries the segment layout cannot express are not uploaded: they come
   * back as permanent outcomes (with the job's outcomes, or at once when nothing else is left).
   */
  async post(
    entries: JournalEntry[],
    signal?: AbortSignal,
    _context?: PostContext,
  ): Promise<PostOutcome[] | JobSubmitted> {
    const upload = await this.build(entries, signal);
    const unmapped = upload.rejected.map((r) => ({ externalRef: r.externalRef, message: r.error.message }));
    if (upload.refs.length === 0)
      return unmappedOutcomes({ groupId: upload.groupId, refs: [], lines: [], unmapped, sentAt: 0 });
    const sentAt = this.clock.now();
    const data: OracleJobData = {
      groupId: upload.groupId,
      refs: upload.refs,
      lines: upload.refs.map((ref) => upload.rows.filter((r) => r.REFERENCE6 === ref).length),
      unmapped,
      sentAt,
    };
    this.unanswered.set(upload.groupId, { refs: upload.refs, sentAt });
    this.stats.uploads++;
    let requestId: string;
    try {
      requestId = await importBulkData(this.fusion, upload.body, signal);
    } catch (err) {
      // refused outright (4xx, throttled, credentials): nothing was applied. Otherwise the job may run.
      if (!(err instanceof ErpError) || err.kind !== 'transient') this.unanswered.delete(upload.groupId);
      throw err;
    }
    this.unanswered.delete(upload.groupId);
    this.open.set(requestId, data);
    return { submitted: { id: requestId, data: { ...data } } };
  }

  /** One status poll of an import job. Past `jobTimeoutMs` the job is reported once and kept. */
  private async jobStatus(job: ErpJob, signal?: AbortSignal): Promise<ErpJobStatus> {
    const data = jobData(job);
    this.stats.polls++;
    const status = await essJobStatus(this.fusion, job.id, signal);
    const state = toJobStatus(job.id, status);
    if (state.state !== 'running') return state;
    this.open.set(job.id, data);
    if (this.clock.now() - data.sentAt >= this.jobTimeoutMs && !this.reportedStuck.has(job.id)) {
      this.reportedStuck.add(job.id);
      this.options.onStuckJob?.(stuckJobError(job.id, data.groupId, status, this.jobTimeoutMs));
    }
    return state;
  }

  /**
   * Per-entry outcomes of an ended job: journals found in journalBatches are posted (the batch id is
   * the ERP id); journals the execution details name are rejected with Oracle's code and text; the
   * entries the layout could not express are rejected with the reason. Any other journal has no
   * outcome: after a failed job the engine uploads it again in a new group (or bisects when nothing is
   * named), after a succeeded one it looks it up.
   */
  private async jobOutcomes(
    job: ErpJob,
    _status: ErpJobStatus,
    signal?: AbortSignal,
  ): Promise<PostOutcome[]> {
    const data = jobData(job);
    const found = await findBatches(this.fusion, data.refs, this.readOptions(), signal);
    const missing = data.refs.filter((r) => !found.has(r));
    const named =
      missing.length > 0
        ? namedRejections(
            await essExecutionDetails(this.fusion, job.id, signal),
            data.refs.flatMap((r, i) => Array(data.lines[i] ?? 1).fill(r) as string[]),
          )
        : new Map();
    const outcomes: PostOutcome[] = unmappedOutcomes(data);
    for (const ref of data.refs) {
      const posting = found.get(ref);
      const rejection = named.get(ref);
      if (posting) outcomes.push({ externalRef: ref, ok: true, erpId: posting.erpId });
      else if (rejection)
        outcomes.push({
          externalRef: ref,
          ok: false,
          error: journalImportError(rejection.code, rejection.message),
        });
    }
    this.open.delete(job.id);
    return outcomes;
  }

  /**
   * Looks references up through journalBatches (`OI-<id>` batch names, confirmed by the journal
   * reference). A reference not found but held by an upload of this process that has not ended — its
   * job still running, or its answer lost less than `jobTimeoutMs` ago — is {@link StillUnknown}, never
   * absent: Oracle does not reject a duplicate batch name, so this lookup is the only guard.
   */
  async find(externalRefs: string[], signal?: AbortSignal): Promise<ErpLookup> {
    // first what holds the references, then journalBatches: a job seen ended has imported before the read
    const held = new Map<string, string>();
    const wanted = new Set(externalRefs);
    const now = this.clock.now();
    for (const [groupId, u] of this.unanswered) {
      if (now - u.sentAt >= this.jobTimeoutMs) {
        this.unanswered.delete(groupId);
        continue;
      }
      const reason = `the upload of group ${groupId} got no answer ${Math.round((now - u.sentAt) / 1000)} s ago; its job may still import it`;
      for (const ref of u.refs) if (wanted.has(ref)) held.set(ref, reason);
    }
    for (const [requestId, data] of this.open) {
      if (!data.refs.some((r) => wanted.has(r) && !held.has(r))) continue;
      const status = await essJobStatus(this.fusion, requestId, signal);
      if (TERMINAL_STATUSES.has(status)) {
        this.open.delete(requestId);
        continue;
      }
      const reason = `held by Oracle import job ${requestId} (group ${data.groupId}), still ${status}`;
      for (const ref of data.refs) if (wanted.has(ref) && !held.has(ref)) held.set(ref, reason);
    }
    const found: ErpLookup = await findBatches(this.fusion, externalRefs, this.readOptions(), signal);
    for (const [ref, reason] of held)
      if (!found.has(ref)) found.set(ref, { externalRef: ref, unknown: true, reason });
    return found;
  }

  list(range: { from: string; to: string }, signal?: AbortSignal): Promise<ErpPosting[]> {
    return listBatches(this.fusion, range, this.readOptions(), signal);
  }
}

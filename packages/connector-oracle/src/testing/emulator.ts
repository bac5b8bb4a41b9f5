import { randomBytes } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { JOURNAL_IMPORT_JOB } from '../fbdi/parameters.js';
import { type InterfaceRow, type LoadRejection, loadGlInterfaceCsv } from './interface-table.js';
import { type ImportedBatch, type ImportParameters, runJournalImport } from './journal-import.js';
import { matches, parseQuery, QueryError } from './query.js';
import { defaultPodSetup, type PodSetup } from './setup.js';

/** A request as the emulator sees it, independent of the HTTP layer (msw or node:http). */
export interface EmulatorRequest {
  method: string;
  url: URL;
  headers: { get(name: string): string | null };
  body: string;
}

/** A response; `drop` asks the HTTP layer to cut the connection without answering. */
export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  drop?: boolean;
}

/**
 * Faults the emulator can inject:
 * - `500` / `503`: fail before applying anything;
 * - `lost`: apply the request (an upload is accepted and its job runs), then drop the connection;
 * - `timeout`: apply the request, then answer 504 (the client cannot know it applied).
 */
export type FaultKind = '500' | '503' | 'lost' | 'timeout';

/** ESS request statuses the emulator reports. */
export type EssStatus = 'WAIT' | 'RUNNING' | 'SUCCEEDED' | 'ERROR' | 'WARNING';

export interface OracleEmulatorOptions {
  setup?: PodSetup;
  /** Clock (ms). Job progress is computed from it, so tests can move time. @default Date.now */
  now?: () => number;
  /** Basic-auth users: name → password. @default { "integration.user": "emulator-password" } */
  users?: Record<string, string>;
  /**
   * How long a job waits before it runs, and runs: WAIT for `queuedMs`, RUNNING for `runningMs` plus
   * `perJournalMs` per journal in the file. @default { queuedMs: 1000, runningMs: 3000, perJournalMs: 0 }
   */
  jobLatency?: { queuedMs?: number; runningMs?: number; perJournalMs?: number };
  /** Status of a job whose group was rejected. Oracle's choice (ERROR vs WARNING) is not documented. @default "ERROR" */
  rejectedGroupStatus?: 'ERROR' | 'WARNING';
  /** Unbalanced journals: EU02 (default) or accepted unbalanced, as some pods do. @default "reject" */
  unbalanced?: 'reject' | 'accept';
  /**
   * What the execution report of a rejected group lists: every line with its status (`lines`), or only
   * the summary (`summary`), as a report that names no journal. @default "lines"
   */
  executionReport?: 'lines' | 'summary';
  /** Random faults on API requests: probability and kinds. */
  faults?: { rate: number; kinds?: FaultKind[]; random?: () => number };
  /** Simulated processing time per HTTP request (real ms). @default 0 */
  latencyMs?: number;
}

interface EssJob {
  id: number;
  name: string;
  parentId: number | null;
  submittedAt: number;
  startsAt: number;
  endsAt: number;
  done: boolean;
  status: EssStatus;
  log: string[];
  report: string | null;
  childId: number | null;
  upload: { csv: string; params: ImportParameters; fileName: string } | null;
}

const BASE = '/fscmRestApi/resources/';
const ROUTE =
  /^\/fscmRestApi\/resources\/([^/]+)\/(erpintegrations|journalBatches|ledgersLOV)(?:\/(\d+)(?:\/child\/(journalHeaders)(?:\/(\d+)(?:\/child\/(journalLines))?)?)?)?\/?$/;

/**
 * A stateful emulator of the slice of Oracle Fusion Cloud ERP's REST API that GL journal import uses:
 * `erpintegrations` (importBulkData with an FBDI zip, ESS job status, execution details),
 * Journal Import over a `GL_INTERFACE` table (positional CSV, per-line validation with Oracle's status
 * codes, whole-group rejection), `journalBatches` with child journals and lines, `ledgersLOV`, Basic
 * and bearer auth, and faults — on an injectable clock.
 *
 * @example
 * const oracle = new OracleEmulator({ jobLatency: { queuedMs: 50, runningMs: 200 } });
 * const server = await startOracleEmulator({ emulator: oracle }); // or oracleHandlers(oracle) for msw
 */
export class OracleEmulator {
  readonly setup: PodSetup;
  /** The `GL_INTERFACE` table: rows stay here when their group fails (purge with `purgeInterface`). */
  readonly interfaceTable: InterfaceRow[] = [];
  readonly batches: ImportedBatch[] = [];
  readonly jobs = new Map<number, EssJob>();
  readonly users: Record<string, string>;
  /** Counters for fidelity tests and benchmarks. */
  readonly stats = {
    requests: 0,
    uploads: 0,
    statusPolls: 0,
    faults: 0,
    rejectedGroups: 0,
    importedJournals: 0,
  };
  private readonly now: () => number;
  private readonly tokens = new Set<string>();
  private readonly scheduled: FaultKind[] = [];
  private faultOptions: OracleEmulatorOptions['faults'];
  private stickNext = 0;
  private nextRequestId = 10_075_800;
  private nextInterfaceId = 1;
  private nextBatchId = 2_485_000;
  private nextHeaderId = 3_490_000;

  constructor(private readonly options: OracleEmulatorOptions = {}) {
    this.setup = options.setup ?? defaultPodSetup();
    this.now = options.now ?? Date.now;
    this.users = options.users ?? { 'integration.user': 'emulator-password' };
    this.faultOptions = options.faults;
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Issues an OAuth bearer token the API accepts (as the identity domain would). */
  issueToken(): string {
    const t = `eyJemu.${randomBytes(24).toString('base64url')}`;
    this.tokens.add(t);
    return t;
  }

  /** Invalidates every bearer token. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Fails the next `count` API requests with `kind`. */
  failNext(kind: FaultKind, count = 1): void {
    for (let i = 0; i < count; i++) this.scheduled.push(kind);
  }

  /** Sets (or clears) random fault injection. */
  setFaults(faults: OracleEmulatorOptions['faults'] | undefined): void {
    this.faultOptions = faults;
  }

  /** The next `count` uploads start a job that stays RUNNING until `releaseStuckJobs()`. */
  stickNextJobs(count = 1): void {
    this.stickNext += count;
  }

  /** Lets stuck jobs finish now. */
  releaseStuckJobs(): void {
    for (const job of this.jobs.values())
      if (job.endsAt === Number.POSITIVE_INFINITY) job.endsAt = Math.max(this.now(), job.startsAt);
  }

  /** Closes (`C`) or opens (`O`) an accounting period by name. */
  setPeriodStatus(periodName: string, status: 'O' | 'C' | 'F' | 'N'): void {
    for (const l of this.setup.ledgers)
      for (const p of l.periods) if (p.name === periodName) p.status = status;
  }

  /** Disables (or re-enables) a segment value, e.g. `setSegmentValue('Account', '6100', { enabled: false })`. */
  setSegmentValue(
    segment: string,
    value: string,
    change: { enabled?: boolean; postable?: boolean; endDate?: string },
  ): void {
    for (const l of this.setup.ledgers)
      for (const s of l.segments)
        if (s.name === segment) s.values[value] = { ...(s.values[value] ?? {}), ...change };
  }

  /** Removes interface rows of a group (the "Purge Interface Tables" job). */
  purgeInterface(groupId: string): number {
    const before = this.interfaceTable.length;
    for (let i = this.interfaceTable.length - 1; i >= 0; i--)
      if (this.interfaceTable[i]?.values.GROUP_ID === groupId) this.interfaceTable.splice(i, 1);
    return before - this.interfaceTable.length;
  }

  /** Finishes every job whose time has come (also done lazily on each request). */
  settle(): void {
    const now = this.now();
    const due = [...this.jobs.values()]
      .filter((j) => !j.done && j.parentId === null && j.endsAt <= now)
      .sort((a, b) => a.endsAt - b.endsAt || a.id - b.id);
    for (const job of due) this.finish(job);
  }

  /** Current status of an ESS request. */
  status(requestId: number): EssStatus | null {
    this.settle();
    const job = this.jobs.get(requestId);
    if (!job) return null;
    if (job.done) return job.status;
    const parent = job.parentId === null ? job : this.jobs.get(job.parentId);
    return this.now() < (parent?.startsAt ?? 0) ? 'WAIT' : 'RUNNING';
  }

  /** Journals imported per external reference marker (REFERENCE6), for exactly-once checks. */
  journalsByReference(): Map<string, number> {
    const out = new Map<string, number>();
    for (const b of this.batches)
      for (const j of b.journals) if (j.reference) out.set(j.reference, (out.get(j.reference) ?? 0) + 1);
    return out;
  }

  // ---- Journal Import -------------------------------------------------------------------------

  private finish(job: EssJob): void {
    job.done = true;
    const up = job.upload;
    if (!up) return;
    const loaded = loadGlInterfaceCsv(up.csv);
    job.log.push(
      `Load Interface File for Import: ${up.fileName}, ${loaded.rows.length + loaded.rejected.length} records read`,
    );
    if (loaded.rejected.length > 0) {
      job.log.push(...loaded.rejected.map((r: LoadRejection) => r.message));
      job.log.push(
        `${loaded.rejected.length} records rejected; the data file was not loaded into GL_INTERFACE and Import Journals was not submitted.`,
      );
      job.status = 'ERROR';
      return;
    }
    const rows = loaded.rows.map((r) => ({
      id: this.nextInterfaceId++,
      record: r.record,
      loadRequestId: job.id,
      values: r.values,
      status: r.values.STATUS ?? '',
      statusDescription: '',
    }));
    this.interfaceTable.push(...rows);
    job.log.push(`${rows.length} records loaded into GL_INTERFACE (load request ${job.id}).`);
    const child: EssJob = {
      ...job,
      id: this.nextRequestId++,
      name: 'JournalImport',
      parentId: job.id,
      log: [],
      upload: null,
      report: null,
      childId: null,
    };
    this.jobs.set(child.id, child);
    job.childId = child.id;
    const result = runJournalImport(
      this.interfaceTable,
      up.params,
      this.setup,
      child.id,
      new Date(this.now()).toISOString(),
      { batchId: () => this.nextBatchId++, headerId: () => this.nextHeaderId++ },
      { unbalanced: this.options.unbalanced ?? 'reject' },
    );
    const ledger = this.setup.ledgers.find((l) => l.id === up.params.ledgerId);
    const lines = [
      'Journal Import Execution Report',
      `Request ID: ${child.id}\tParent request ID: ${job.id}`,
      `Ledger: ${ledger?.name} (${up.params.ledgerId})\tSource: ${up.params.source}\tGroup ID: ${up.params.groupId}`,
    ];
    if (result.selected.length === 0) {
      lines.push(
        `Status: Warning - no GL_INTERFACE rows with status NEW for ledger ${up.params.ledgerId}, source ${up.params.source} and group ${up.params.groupId}.`,
      );
      child.status = 'WARNING';
    } else if (result.rejected) {
      this.stats.rejectedGroups++;
      lines.push(
        'Status: Error - lines of this group failed validation; no journal of the group was created and its lines stay in GL_INTERFACE.',
      );
      if (this.options.executionReport !== 'summary')
        lines.push('', 'STATUS\tBATCH NAME\tJOURNAL NAME\tLINE\tACCOUNT\tMESSAGE');
      for (const r of this.options.executionReport === 'summary' ? [] : result.selected) {
        const acct = ledger?.segments.map((_, i) => r.values[`SEGMENT${i + 1}`] ?? '').join('.') ?? '';
        lines.push(
          [
            r.status,
            r.values.REFERENCE1 ?? '',
            r.values.REFERENCE4 ?? '',
            r.record,
            acct,
            r.statusDescription,
          ].join('\t'),
        );
      }
      child.status = this.options.rejectedGroupStatus ?? 'ERROR';
    } else {
      this.batches.push(...result.batches);
      const n = result.batches.reduce((s, b) => s + b.journals.length, 0);
      this.stats.importedJournals += n;
      lines.push(
        `Status: Success - ${result.batches.length} batches, ${n} journals, ${result.selected.length} lines created.`,
      );
      for (const u of result.unbalanced)
        lines.push(`Warning: journal ${u.journal} is unbalanced (DR ${u.dr}, CR ${u.cr}).`);
      child.status = 'SUCCEEDED';
    }
    child.report = lines.join('\n');
    child.log.push(`Journal Import ${child.status} for group ${up.params.groupId}.`);
    job.status = child.status;
    job.log.push(`Import Journals request ${child.id} ended ${child.status}.`);
  }

  // ---- HTTP-independent request handling -----------------------------------------------------

  private json(
    status: number,
    body: unknown,
    type = 'application/vnd.oracle.adf.resourcecollection+json',
  ): EmulatorResponse {
    return { status, headers: { 'content-type': type }, body: JSON.stringify(body) };
  }

  /** Fusion's REST error body (`application/vnd.oracle.adf.error+json`). */
  private error(status: number, detail: string, code?: string): EmulatorResponse {
    const titles: Record<number, string> = {
      400: 'Bad Request',
      404: 'Not Found',
      500: 'Internal Server Error',
      503: 'Service Unavailable',
    };
    return this.json(
      status,
      {
        type: `http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.${status >= 500 ? 5 : 4}.${(status % 100) + 1}`,
        title: titles[status] ?? 'Error',
        status: String(status),
        'o:errorDetails': [{ detail, ...(code ? { 'o:errorCode': code } : {}) }],
      },
      'application/vnd.oracle.adf.error+json',
    );
  }

  private pickFault(): FaultKind | null {
    const next = this.scheduled.shift();
    if (next) return next;
    const f = this.faultOptions;
    if (!f || f.rate <= 0) return null;
    const rnd = f.random ?? Math.random;
    if (rnd() >= f.rate) return null;
    const kinds = f.kinds ?? ['500', '503', 'lost', 'timeout'];
    return kinds[Math.floor(rnd() * kinds.length)] ?? '500';
  }

  private authenticated(req: EmulatorRequest): boolean {
    const auth = req.headers.get('authorization') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(auth)?.[1];
    if (basic) {
      const [user = '', ...pw] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      return this.users[user] !== undefined && this.users[user] === pw.join(':');
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    return bearer !== undefined && this.tokens.has(bearer);
  }

  /** Handles one HTTP request. */
  async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    const m = ROUTE.exec(req.url.pathname);
    if (!m) return this.error(404, `The resource ${req.url.pathname} was not found.`);
    this.stats.requests++;
    if (!this.authenticated(req)) {
      return {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="Fusion"', 'content-type': 'text/plain' },
        body: '',
      };
    }
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const fault = this.pickFault();
    if (fault === '500' || fault === '503') {
      this.stats.faults++;
      return this.error(
        Number(fault),
        fault === '500'
          ? 'An unexpected error occurred (injected by the emulator).'
          : 'Service unavailable (injected by the emulator).',
      );
    }
    let res: EmulatorResponse;
    try {
      this.settle();
      res = this.route(req, m);
    } catch (err) {
      if (err instanceof QueryError) res = this.error(400, err.message);
      else throw err;
    }
    if (fault === 'lost') {
      this.stats.faults++;
      return { ...res, drop: true };
    }
    if (fault === 'timeout') {
      this.stats.faults++;
      return {
        status: 504,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>504 Gateway Time-out</body></html>',
      };
    }
    return res;
  }

  private route(req: EmulatorRequest, m: RegExpExecArray): EmulatorResponse {
    const [, , resource, id, child, childId, grandchild] = m;
    const method = req.method.toUpperCase();
    if (resource === 'erpintegrations') {
      if (method === 'POST' && !id) return this.importBulkData(req);
      if (method === 'GET' && !id) return this.erpFinder(req.url.searchParams);
      return this.error(400, `${method} is not supported on erpintegrations${id ? `/${id}` : ''}.`);
    }
    if (resource === 'ledgersLOV' && method === 'GET') {
      const items = this.setup.ledgers.map((l) => ({
        LedgerId: Number(l.id),
        Name: l.name,
        CurrencyCode: l.currency,
      }));
      return this.collection(items, req.url.searchParams);
    }
    if (resource === 'journalBatches') {
      if (method === 'DELETE' && id && !child) {
        const i = this.batches.findIndex((b) => String(b.id) === id);
        if (i < 0) return this.error(404, `The journal batch ${id} does not exist.`);
        this.batches.splice(i, 1);
        return { status: 204, headers: {}, body: '' };
      }
      if (method !== 'GET')
        return this.error(
          400,
          `${method} is not supported on journalBatches: it is read, patch and delete only.`,
        );
      // a nested child implies its parent: expand=journalHeaders.journalLines expands both
      const expand = (req.url.searchParams.get('expand') ?? '')
        .split(',')
        .map((s) => s.trim())
        .flatMap((s) => (s.includes('.') ? [s.split('.')[0] as string, s] : [s]));
      // filter on the batch's own attributes, then expand only the page
      if (!id)
        return this.collection(
          this.batches.map((b) => this.batchItem(b, [])),
          req.url.searchParams,
          (item) => this.batchItem(this.batchById(item.JeBatchId as number) as ImportedBatch, expand),
        );
      const batch = this.batches.find((b) => String(b.id) === id);
      if (!batch) return this.error(404, `The journal batch ${id} does not exist.`);
      if (!child)
        return this.json(200, this.batchItem(batch, expand), 'application/vnd.oracle.adf.resourceitem+json');
      if (!childId)
        return this.collection(
          batch.journals.map((j) => this.headerItem(batch, j, expand.includes('journalLines'))),
          req.url.searchParams,
        );
      const header = batch.journals.find((j) => String(j.id) === childId);
      if (!header) return this.error(404, `The journal ${childId} does not exist in batch ${id}.`);
      if (!grandchild)
        return this.json(
          200,
          this.headerItem(batch, header, false),
          'application/vnd.oracle.adf.resourceitem+json',
        );
      return this.collection(this.lineItems(batch, header), req.url.searchParams);
    }
    return this.error(404, `The resource ${req.url.pathname} was not found.`);
  }

  private batchById(id: number): ImportedBatch | undefined {
    return this.batches.find((b) => b.id === id);
  }

  /** Paging and `q` filtering of Fusion's collection resources. */
  private collection(
    items: Array<Record<string, unknown>>,
    params: URLSearchParams,
    expandItem: (item: Record<string, unknown>) => Record<string, unknown> = (i) => i,
  ): EmulatorResponse {
    const q = params.get('q');
    const node = q ? parseQuery(q) : null;
    let rows = node ? items.filter((it) => matches(node, it)) : items;
    const orderBy = params.get('orderBy');
    if (orderBy) {
      const [attr = '', dir = 'asc'] = orderBy.split(':');
      rows = [...rows].sort((a, b) => {
        const x = a[attr] as string | number;
        const y = b[attr] as string | number;
        const r = x < y ? -1 : x > y ? 1 : 0;
        return dir === 'desc' ? -r : r;
      });
    }
    const limitRaw = params.get('limit');
    const offsetRaw = params.get('offset');
    const limit = limitRaw === null ? 25 : Number(limitRaw);
    const offset = offsetRaw === null ? 0 : Number(offsetRaw);
    if (!Number.isInteger(limit) || limit < 1)
      throw new QueryError(`URL request parameter limit with value ${limitRaw} is not valid.`);
    if (!Number.isInteger(offset) || offset < 0)
      throw new QueryError(`URL request parameter offset with value ${offsetRaw} is not valid.`);
    const capped = Math.min(limit, 500);
    const page = rows.slice(offset, offset + capped).map(expandItem);
    const body: Record<string, unknown> = {
      items: page,
      count: page.length,
      hasMore: offset + page.length < rows.length,
      limit: capped,
      offset,
      links: [],
    };
    if (params.get('totalResults') === 'true') body.totalResults = rows.length;
    return this.json(200, body);
  }

  private batchItem(b: ImportedBatch, expand: string[]): Record<string, unknown> {
    const dr = b.journals.flatMap((j) => j.lines).reduce((s, l) => s + Number(l.enteredDr ?? 0), 0);
    const cr = b.journals.flatMap((j) => j.lines).reduce((s, l) => s + Number(l.enteredCr ?? 0), 0);
    const item: Record<string, unknown> = {
      JeBatchId: b.id,
      BatchName: b.name,
      BatchDescription: b.description,
      Status: 'U',
      StatusMeaning: 'Unposted',
      DefaultPeriodName: b.periodName,
      UserJeSourceName: b.source,
      ActualFlagMeaning: 'Actual',
      ApprovalStatusMeaning: 'Not required',
      RequestId: b.requestId,
      RunningTotalDr: Math.round(dr * 100) / 100,
      RunningTotalCr: Math.round(cr * 100) / 100,
      CreatedBy: 'integration.user',
      CreationDate: b.createdAt,
    };
    if (expand.includes('journalHeaders') || expand.includes('all'))
      item.journalHeaders = b.journals.map((j) =>
        this.headerItem(b, j, expand.includes('journalHeaders.journalLines') || expand.includes('all')),
      );
    return item;
  }

  private headerItem(
    b: ImportedBatch,
    j: ImportedBatch['journals'][number],
    withLines: boolean,
  ): Record<string, unknown> {
    const ledger = this.setup.ledgers.find((l) => l.id === b.ledgerId);
    const item: Record<string, unknown> = {
      JeHeaderId: j.id,
      JournalName: j.name,
      JournalDescription: j.description,
      ExternalReference: j.reference,
      UserJeCategoryName: j.category,
      UserJeSourceName: b.source,
      CurrencyCode: j.currency,
      DefaultEffectiveDate: j.accountingDate,
      PeriodName: j.periodName,
      LedgerId: Number(b.ledgerId),
      LedgerName: ledger?.name ?? null,
      UserCurrencyConversionType: j.conversionType,
      CurrencyConversionRate: j.conversionRate === null ? null : Number(j.conversionRate),
      Status: 'U',
    };
    if (withLines) item.journalLines = this.lineItems(b, j);
    return item;
  }

  private lineItems(b: ImportedBatch, j: ImportedBatch['journals'][number]): Array<Record<string, unknown>> {
    const num = (v: string | null) => (v === null ? null : Number(v));
    return j.lines.map((l) => ({
      JeLineNumber: l.number,
      AccountCombination: l.segments.join('.'),
      ...Object.fromEntries(l.segments.map((s, i) => [`Segment${i + 1}`, s])),
      EnteredDebitAmount: num(l.enteredDr),
      EnteredCreditAmount: num(l.enteredCr),
      AccountedDebitAmount: num(l.accountedDr),
      AccountedCreditAmount: num(l.accountedCr),
      CurrencyCode: j.currency,
      Description: l.description,
      JeBatchId: b.id,
    }));
  }

  private parseBody(req: EmulatorRequest): Record<string, unknown> | null {
    try {
      const v = JSON.parse(req.body) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  private importBulkData(req: EmulatorRequest): EmulatorResponse {
    const body = this.parseBody(req);
    if (!body) return this.error(400, 'The request body is not a JSON object.');
    if (body.OperationName !== 'importBulkData')
      return this.error(
        400,
        `OperationName "${String(body.OperationName)}" is not supported by the emulator (importBulkData only).`,
      );
    const jobName = String(body.JobName ?? '');
    if (jobName.replace(/\/$/, '') !== JOURNAL_IMPORT_JOB)
      return this.error(400, `JobName "${jobName}" is not Import Journals (${JOURNAL_IMPORT_JOB}).`);
    if (typeof body.DocumentContent !== 'string' || body.DocumentContent.length === 0)
      return this.error(400, 'DocumentContent is required: the base64 encoded zip file.');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body.DocumentContent))
      return this.error(400, 'DocumentContent is not valid base64.');
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(Buffer.from(body.DocumentContent, 'base64'));
    } catch {
      return this.error(400, 'DocumentContent is not a zip file.');
    }
    const csvName = Object.keys(files).find((n) => n === 'GlInterface.csv');
    if (!csvName)
      return this.error(
        400,
        `The zip file must contain GlInterface.csv; it contains ${Object.keys(files).join(', ') || 'nothing'}.`,
      );
    if (body.ContentType !== undefined && String(body.ContentType).toLowerCase() !== 'zip')
      return this.error(400, `ContentType "${String(body.ContentType)}" must be zip.`);
    const account = String(body.DocumentAccount ?? '').replaceAll('$', '');
    if (account !== 'fin/generalLedger/import')
      return this.error(
        400,
        `DocumentAccount "${String(body.DocumentAccount)}" is not the General Ledger import account fin$/generalLedger$/import$.`,
      );
    const plist = String(body.ParameterList ?? '').split(',');
    if (plist.length !== 7)
      return this.error(
        400,
        `ParameterList must have the 7 Import Journals parameters, got ${plist.length}.`,
      );
    const [das = '', source = '', ledgerId = '', groupId = '', suspense = '', summary = '', dff = ''] = plist;
    const ledger = this.setup.ledgers.find((l) => l.id === ledgerId);
    if (!ledger) return this.error(400, `Import Journals parameter 3: ledger ${ledgerId} does not exist.`);
    if (!this.setup.sources.includes(source))
      return this.error(400, `Import Journals parameter 2: journal source "${source}" does not exist.`);
    if (das !== '#NULL' && das !== '' && !this.setup.dataAccessSets[das]?.includes(ledgerId))
      return this.error(
        400,
        `Import Journals parameter 1: data access set ${das} does not give access to ledger ${ledgerId}.`,
      );
    if (!/^(\d{1,18}|ALL)$/.test(groupId))
      return this.error(
        400,
        `Import Journals parameter 4: group id "${groupId}" must be a number (GL_INTERFACE.GROUP_ID is NUMBER(18)).`,
      );
    for (const [n, v] of [
      [5, suspense],
      [6, summary],
      [7, dff],
    ] as const)
      if (v !== 'Y' && v !== 'N')
        return this.error(400, `Import Journals parameter ${n} must be Y or N, got "${v}".`);
    this.stats.uploads++;
    const csv = strFromU8(files[csvName] as Uint8Array);
    const journals = new Set(csv.split('\n').map((l) => l.split(',')[45])).size;
    const lat = this.options.jobLatency ?? {};
    const now = this.now();
    const startsAt = now + (lat.queuedMs ?? 1000);
    const stuck = this.stickNext > 0;
    if (stuck) this.stickNext--;
    const endsAt = stuck
      ? Number.POSITIVE_INFINITY
      : startsAt + (lat.runningMs ?? 3000) + (lat.perJournalMs ?? 0) * journals;
    const job: EssJob = {
      id: this.nextRequestId++,
      name: 'LoadInterfaceFileForImport',
      parentId: null,
      submittedAt: now,
      startsAt,
      endsAt,
      done: false,
      status: 'WAIT',
      log: [],
      report: null,
      childId: null,
      upload: {
        csv,
        fileName: String(body.FileName ?? 'GlInterface.zip'),
        params: {
          dataAccessSetId: das === '#NULL' ? null : das,
          source,
          ledgerId,
          groupId,
          postErrorsToSuspense: suspense === 'Y',
        },
      },
    };
    this.jobs.set(job.id, job);
    return this.json(
      201,
      {
        OperationName: 'importBulkData',
        DocumentId: null,
        DocumentContent: null,
        FileName: job.upload?.fileName,
        ContentType: 'zip',
        FileType: null,
        DocumentAccount: body.DocumentAccount,
        Comments: null,
        ProcessName: null,
        LoadRequestId: null,
        JobPackageName: null,
        JobDefName: null,
        ReqstId: String(job.id),
        RequestStatus: null,
        JobName: jobName,
        ParameterList: body.ParameterList,
        NotificationCode: body.NotificationCode ?? null,
        CallbackURL: body.CallbackURL ?? null,
        JobOptions: body.JobOptions ?? null,
        StatusCode: null,
        ESSParameters: null,
        links: [],
      },
      'application/vnd.oracle.adf.resourceitem+json',
    );
  }

  private erpFinder(params: URLSearchParams): EmulatorResponse {
    const finder = params.get('finder') ?? '';
    const m = /^(ESSJobStatusRF|ESSJobExecutionDetailsRF);(.*)$/.exec(finder);
    if (!m)
      return this.error(
        400,
        `finder "${finder}" is not supported by the emulator (ESSJobStatusRF, ESSJobExecutionDetailsRF).`,
      );
    const vars = Object.fromEntries(
      (m[2] ?? '').split(',').map((kv) => {
        const [k = '', ...v] = kv.split('=');
        return [k.trim(), v.join('=').trim()];
      }),
    );
    const requestId = Number(vars.requestId);
    const job = this.jobs.get(requestId);
    if (!Number.isInteger(requestId) || !job)
      return this.error(400, `The ESS request ${vars.requestId} does not exist.`);
    const status = this.status(requestId) as EssStatus;
    if (m[1] === 'ESSJobStatusRF') {
      this.stats.statusPolls++;
      return this.json(200, {
        items: [
          { OperationName: 'getESSJobStatus', ReqstId: String(requestId), RequestStatus: status, links: [] },
        ],
        count: 1,
        hasMore: false,
        limit: 25,
        offset: 0,
        links: [],
      });
    }
    const fileType = (vars.fileType ?? 'ALL').toUpperCase();
    let content: string | null = null;
    if (job.done) {
      const files: Record<string, Uint8Array> = {};
      const child = job.childId ? this.jobs.get(job.childId) : undefined;
      if (fileType === 'LOG' || fileType === 'ALL') {
        files[`${job.id}.log`] = strToU8(job.log.join('\n'));
        if (child) files[`${child.id}.log`] = strToU8(child.log.join('\n'));
      }
      const report = job.report ?? child?.report;
      if (report && (fileType === 'OUT' || fileType === 'ALL' || fileType === 'LOG'))
        files[`JournalImportExecutionReport_${child?.id ?? job.id}.txt`] = strToU8(report);
      content = Buffer.from(zipSync(files)).toString('base64');
    }
    return this.json(200, {
      items: [
        {
          OperationName: 'downloadESSJobExecutionDetails',
          ReqstId: String(requestId),
          RequestStatus: status,
          FileType: fileType,
          DocumentContent: content,
          ContentType: 'zip',
          links: [],
        },
      ],
      count: 1,
      hasMore: false,
      limit: 25,
      offset: 0,
      links: [],
    });
  }
}

export { BASE as FUSION_REST_BASE };

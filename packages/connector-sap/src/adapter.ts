import {
  type ErpAdapter,
  ErpError,
  type ErpLimits,
  type ErpPosting,
  type JournalEntry,
  type PostContext,
  type PostOutcome,
} from '@openissuing/connector-core';
import { parseAmount } from './amount.js';
import { classifyFailure } from './classify.js';
import {
  type CapRemoteService,
  type CapRuntime,
  ClientCredentials,
  connectSap,
  DEFAULT_SOAP_PATH,
  loadCds,
  type SapConnectionOptions,
} from './connectivity.js';
import { type SapMapping, type SapMappingInput, sapMappingSchema } from './mapping.js';
import { confirmsReference, documentReferenceIdFor, messageIdFor, referenceFromHeader } from './reference.js';
import { describeLog, erpIdOf, isBooked, parseBulkConfirmation } from './soap/confirmation.js';
import { parseEnvelope, type SoapVersion, soapRequestHeaders } from './soap/envelope.js';
import { bulkRequestEnvelope, renderEntryRequest } from './soap/request.js';

const CUBE_ENTITY = 'API_OPLACCTGDOCITEMCUBE_SRV.A_OperationalAcctgDocItemCube';
const COLUMNS = [
  'CompanyCode',
  'FiscalYear',
  'AccountingDocument',
  'AccountingDocumentItem',
  'DocumentReferenceID',
  'Reference1InDocumentHeader',
  'Reference2InDocumentHeader',
  'PostingDate',
  'GLAccount',
  'AmountInTransactionCurrency',
  'TransactionCurrency',
  'DebitCreditCode',
  'IsReversed',
  'IsReversal',
  'ReverseDocument',
];

/** A cube row as CAP returns it (dates already `YYYY-MM-DD`, decimals as strings or numbers). */
interface CubeRow {
  CompanyCode: string;
  FiscalYear: string;
  AccountingDocument: string;
  AccountingDocumentItem: string;
  DocumentReferenceID: string;
  Reference1InDocumentHeader: string;
  Reference2InDocumentHeader: string;
  PostingDate: string;
  GLAccount: string;
  AmountInTransactionCurrency: string | number;
  TransactionCurrency: string;
  IsReversed: boolean;
  IsReversal: boolean;
  ReverseDocument: string;
}

/** One request exactly as `post` would send it (the shape of connector-core's dry-run preview). */
export interface RenderedSoapRequest {
  name: string;
  body: string;
  description: string;
  externalRefs: string[];
}

/** A document the connector booked that was reversed in SAP since: absent for reconciliation. */
export interface ReversedDocument {
  externalRef: string;
  erpId: string;
  reversedBy: string;
  date: string;
}

export interface SapAdapterOptions {
  connection: SapConnectionOptions;
  /** The `sap` section of mapping.json (company code, document type, cost center, …). */
  mapping: SapMapping | SapMappingInput;
  /**
   * The G/L accounts of mapping.json (liability first): read-back normalizes SAP's spelling (leading
   * zeros) to yours, and tells the clearing item from the expense item.
   */
  accounts?: { liability: string; expense: string[] };
  /** @default '1.1' */
  soapVersion?: SoapVersion;
  /** Journal entries per bulk SOAP request. @default 50 */
  maxBatchSize?: number;
  /** Bulk requests in flight at once (SAP documents no limit). @default 2 */
  maxConcurrent?: number;
  /** `CreatedByUser`. @default the communication user, else 'OPENISSUING' */
  createdByUser?: string;
  /** `SenderBusinessSystemID` of the bulk message header. */
  senderBusinessSystemId?: string;
  /** Looks up a card's last four digits for `DocumentHeaderText` ("Card 4242 AWS"). */
  cardLast4?: (cardId: string) => Promise<string | undefined>;
  /**
   * `DocumentReferenceID`s per cube query. CAP turns a GET whose URL is longer than
   * `cds.env.remote.max_get_url_length` (1028) into a `$batch`; 10 keeps every lookup a plain GET.
   * @default 10
   */
  findChunkSize?: number;
  /** Rows per cube page. @default 1000 */
  pageSize?: number;
  /** The CAP runtime (default: the application's `@sap/cds`). */
  cds?: CapRuntime;
  /** Called with every document found reversed while listing. */
  onReversed?: (doc: ReversedDocument) => void;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const bare = (gl: string) => gl.trim().replace(/^0+(?=\d)/, '');

function isoDate(v: unknown): string {
  if (typeof v === 'string') {
    const m = /^\/Date\((-?\d+)/.exec(v);
    return m ? new Date(Number(m[1])).toISOString().slice(0, 10) : v.slice(0, 10);
  }
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/**
 * The SAP S/4HANA connector: posts journal entries through the synchronous SOAP service
 * Journal Entry – Post (many entries per bulk request, one confirmation each) and finds them again
 * through the OData V2 cube API_OPLACCTGDOCITEMCUBE_SRV by `DocumentReferenceID`, confirming the
 * full transaction id in Reference1/Reference2. Both go through `@sap/cds` remote services.
 *
 * @example
 * const adapter = new SapAdapter({
 *   connection: { url: 'https://my400000-api.s4hana.cloud.sap', username: 'OI_SYNC_COMM', password: process.env.SAP_PASSWORD },
 *   mapping: { companyCode: '1010' },
 * });
 * await new SyncEngine({ adapter, store, mapping, source }).run();
 */
export class SapAdapter implements ErpAdapter {
  readonly name = 'SAP S/4HANA';
  readonly limits: ErpLimits;
  readonly mapping: SapMapping;
  private services: Promise<{ cube: CapRemoteService; soap: CapRemoteService }> | null = null;
  private readonly oauth: ClientCredentials | null;
  private readonly version: SoapVersion;
  private readonly cards = new Map<string, Promise<string | undefined>>();
  private readonly accountSpelling = new Map<string, string>();
  /** Documents found reversed by the last `list`. */
  lastReversed: ReversedDocument[] = [];

  constructor(private readonly options: SapAdapterOptions) {
    this.mapping = sapMappingSchema.parse(options.mapping);
    this.limits = {
      maxBatchSize: options.maxBatchSize ?? 50,
      maxConcurrent: options.maxConcurrent ?? 2,
      // a request SAP is still processing is never followed by a second post of its entries
      requestTimeoutMs: options.connection.requestTimeoutMs ?? 60_000,
    } as ErpLimits;
    this.version = options.soapVersion ?? '1.1';
    this.oauth = options.connection.oauth ? new ClientCredentials(options.connection.oauth) : null;
    for (const a of [options.accounts?.liability, ...(options.accounts?.expense ?? [])])
      if (a) this.accountSpelling.set(bare(a), a);
  }

  private connect() {
    this.services ??= (async () =>
      connectSap(this.options.cds ?? (await loadCds()), this.options.connection))().catch((err) => {
      this.services = null;
      throw err;
    });
    return this.services;
  }

  private async headers(): Promise<Record<string, string>> {
    const h: Record<string, string> = { ...this.options.connection.headers };
    if (this.oauth) h.authorization = `Bearer ${await this.oauth.bearer()}`;
    return h;
  }

  /** Runs a call, renewing the OAuth token once after a 401. */
  private async call<T>(what: string, fn: (headers: Record<string, string>) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(await this.headers());
      } catch (err) {
        const e = classifyFailure(err, what);
        if (this.oauth && e.status === 401 && attempt === 0) {
          this.oauth.invalidate();
          continue;
        }
        throw e;
      }
    }
  }

  private cardLast4(cardId: string | undefined): Promise<string | undefined> {
    if (!cardId || !this.options.cardLast4) return Promise.resolve(undefined);
    let p = this.cards.get(cardId);
    if (!p) {
      p = this.options.cardLast4(cardId).catch(() => undefined);
      this.cards.set(cardId, p);
    }
    return p;
  }

  private get createdByUser(): string {
    return this.options.createdByUser ?? this.options.connection.username ?? 'OPENISSUING';
  }

  /**
   * The exact bulk SOAP request `post` would send for these entries, without sending it (for
   * `openissuing-sync run --dry-run --out-dir`). Entries that cannot be sent are left out and named
   * in the description with the reason.
   */
  async render(entries: JournalEntry[], signal?: AbortSignal): Promise<RenderedSoapRequest[]> {
    signal?.throwIfAborted();
    const { fragments, rejected } = await this.prepareRequests(entries);
    if (fragments.length === 0) return [];
    const skipped = rejected
      .map((r) => (r.ok ? '' : ` Not sent: ${r.externalRef} (${r.error.message}).`))
      .join('');
    return [
      {
        name: 'JournalEntryBulkCreateRequest.xml',
        body: bulkRequestEnvelope(
          this.version,
          fragments.map((f) => f.xml),
          this.bulkHeader(),
        ),
        description: `SOAP ${this.version} POST ${this.options.connection.soapPath ?? DEFAULT_SOAP_PATH} (JournalEntryCreateRequestConfirmation_In): ${fragments.length} journal entr${fragments.length === 1 ? 'y' : 'ies'}.${skipped}`,
        externalRefs: fragments.map((f) => f.entry.externalRef),
      },
    ];
  }

  /**
   * The bulk `MessageHeader`: the engine's submission id as `ID` (hyphens dropped, 35 characters at
   * most) so SAP's message monitor shows which submission a request was, and the sender system.
   */
  private bulkHeader(context?: PostContext) {
    const id = context?.submissionId
      .replace(/[^A-Za-z0-9]/g, '')
      .toUpperCase()
      .slice(0, 35);
    return {
      ...(id ? { id } : {}),
      ...(this.options.senderBusinessSystemId
        ? { senderBusinessSystemId: this.options.senderBusinessSystemId }
        : {}),
    };
  }

  private async prepareRequests(entries: JournalEntry[]) {
    const fragments: { entry: JournalEntry; xml: string }[] = [];
    const rejected: PostOutcome[] = [];
    for (const entry of entries) {
      try {
        const last4 = await this.cardLast4(entry.source.card);
        fragments.push({
          entry,
          xml: renderEntryRequest(entry, {
            mapping: this.mapping,
            createdByUser: this.createdByUser,
            ...(last4 ? { cardLast4: last4 } : {}),
          }),
        });
      } catch (err) {
        if (!(err instanceof ErpError) || err.kind !== 'permanent') throw err;
        rejected.push({ externalRef: entry.externalRef, ok: false, error: err });
      }
    }
    return { fragments, rejected };
  }

  async post(entries: JournalEntry[], signal?: AbortSignal, context?: PostContext): Promise<PostOutcome[]> {
    const { fragments, rejected } = await this.prepareRequests(entries);
    if (fragments.length === 0) return rejected;
    const body = bulkRequestEnvelope(
      this.version,
      fragments.map((f) => f.xml),
      this.bulkHeader(context),
    );
    const { soap } = await this.connect();
    // a run being stopped sends nothing more (CAP's send takes no signal; a request already sent completes)
    signal?.throwIfAborted();
    const path = this.options.connection.soapPath ?? DEFAULT_SOAP_PATH;
    const text = await this.call('posting journal entries', (headers) =>
      soap.send({
        method: 'POST',
        path,
        headers: { ...headers, ...soapRequestHeaders(this.version) },
        data: body,
      }),
    );
    let envelope: ReturnType<typeof parseEnvelope>;
    try {
      envelope = parseEnvelope(String(text));
    } catch (err) {
      throw new ErpError(
        `posting journal entries: SAP's answer is not a SOAP envelope (${(err as Error).message})`,
        {
          kind: 'transient',
        },
      );
    }
    if (envelope.fault || !envelope.payload) {
      throw new ErpError(`posting journal entries: SOAP fault: ${envelope.fault?.message ?? 'empty body'}`, {
        kind: 'transient',
        code: 'soap_fault',
      });
    }
    const confirmation = parseBulkConfirmation(envelope.payload);
    const byId = new Map(confirmation.entries.filter((c) => c.referenceId).map((c) => [c.referenceId, c]));
    const positional = confirmation.entries.length === fragments.length;
    const outcomes: PostOutcome[] = [...rejected];
    fragments.forEach(({ entry }, i) => {
      const c =
        byId.get(messageIdFor(entry.externalRef)) ?? (positional ? confirmation.entries[i] : undefined);
      if (!c) return; // no confirmation: the engine treats the entry as in doubt and looks it up
      if (isBooked(c)) outcomes.push({ externalRef: entry.externalRef, ok: true, erpId: erpIdOf(c) });
      else {
        const { code, message } = describeLog(c.items);
        outcomes.push({
          externalRef: entry.externalRef,
          ok: false,
          error: new ErpError(`SAP rejected the journal entry: ${message}`, { kind: 'permanent', code }),
        });
      }
    });
    return outcomes;
  }

  private async query(
    where: (q: ReturnType<CapRuntime['ql']['SELECT']['from']>) => unknown,
  ): Promise<CubeRow[]> {
    const { cube } = await this.connect();
    const cds = this.options.cds ?? (await loadCds());
    const page = this.options.pageSize ?? 1000;
    const rows: CubeRow[] = [];
    for (let offset = 0; ; offset += page) {
      const q = cds.ql.SELECT.from(CUBE_ENTITY).columns(...COLUMNS);
      where(q);
      q.orderBy('CompanyCode', 'FiscalYear', 'AccountingDocument', 'AccountingDocumentItem').limit(
        page,
        offset,
      );
      const got = (await this.call('reading journal entries', (headers) =>
        cube.send({ query: q, headers }),
      )) as CubeRow[];
      rows.push(...got);
      if (got.length < page) return rows;
    }
  }

  private account(gl: string): string {
    return this.accountSpelling.get(bare(gl)) ?? bare(gl);
  }

  /** Groups item rows into documents and turns each of ours into a posting. */
  private toPostings(rows: CubeRow[], refFor: (row: CubeRow) => string | null) {
    const docs = new Map<string, CubeRow[]>();
    for (const r of rows) {
      const k = `${r.AccountingDocument}/${r.CompanyCode}/${r.FiscalYear}`;
      const list = docs.get(k) ?? [];
      list.push(r);
      docs.set(k, list);
    }
    const postings: Array<ErpPosting & { reversedBy?: string }> = [];
    const liability = this.options.accounts ? bare(this.options.accounts.liability) : null;
    for (const [erpId, items] of docs) {
      const head = items[0] as CubeRow;
      if (head.IsReversal) continue; // a reversal document carries the original's reference too
      const ref = refFor(head);
      if (!ref || !confirmsReference(ref, head.Reference1InDocumentHeader, head.Reference2InDocumentHeader))
        continue;
      const sorted = [...items].sort((a, b) =>
        a.AccountingDocumentItem.localeCompare(b.AccountingDocumentItem),
      );
      const expense =
        (liability ? sorted.find((i) => bare(i.GLAccount) !== liability) : undefined) ??
        (sorted[0] as CubeRow);
      const currency = expense.TransactionCurrency.trim().toUpperCase();
      postings.push({
        externalRef: ref,
        erpId,
        date: isoDate(head.PostingDate),
        account: this.account(expense.GLAccount),
        amount: parseAmount(String(expense.AmountInTransactionCurrency), currency),
        currency,
        ...(head.IsReversed ? { reversedBy: head.ReverseDocument || 'unknown' } : {}),
      });
    }
    return postings;
  }

  async find(externalRefs: string[], signal?: AbortSignal): Promise<Map<string, ErpPosting>> {
    const byDocRef = new Map(externalRefs.map((r) => [documentReferenceIdFor(r), r]));
    const out = new Map<string, ErpPosting>();
    for (const group of chunks([...byDocRef.keys()], this.options.findChunkSize ?? 10)) {
      signal?.throwIfAborted();
      const rows = await this.query((q) => q.where({ DocumentReferenceID: { in: group } }));
      // a reversed document was booked: it counts as present, so the engine never books it again
      for (const p of this.toPostings(
        rows,
        (r) => byDocRef.get(r.DocumentReferenceID.trim().toUpperCase()) ?? null,
      )) {
        const { reversedBy: _reversed, ...posting } = p;
        out.set(p.externalRef, posting);
      }
    }
    return out;
  }

  async list(range: { from: string; to: string }): Promise<ErpPosting[]> {
    // startswith keeps the period's other documents out of the answer; the marker decides
    const rows = await this.query(
      (q) =>
        q.where`PostingDate >= ${range.from} and PostingDate <= ${range.to} and startswith(DocumentReferenceID, ${'OI'})`,
    );
    const ours = rows.filter((r) => r.DocumentReferenceID?.startsWith('OI'));
    const postings = this.toPostings(ours, (r) => {
      const ref = referenceFromHeader(r.Reference1InDocumentHeader, r.Reference2InDocumentHeader);
      return ref && documentReferenceIdFor(ref) === r.DocumentReferenceID.trim().toUpperCase() ? ref : null;
    });
    this.lastReversed = [];
    const live: ErpPosting[] = [];
    for (const p of postings) {
      if (p.reversedBy !== undefined) {
        const doc = { externalRef: p.externalRef, erpId: p.erpId, reversedBy: p.reversedBy, date: p.date };
        this.lastReversed.push(doc);
        this.options.onReversed?.(doc);
      } else live.push(p);
    }
    return live;
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import {
  faultEnvelope,
  JOURNAL_ENTRY_SOAP_ACTION,
  parseEnvelope,
  SOAP_ENVELOPE_NS,
  type SoapEnvelopeError,
  type SoapVersion,
  soapContentType,
} from '../soap/envelope.js';
import { sapDateTime } from '../soap/request.js';
import { type Fields, renderRoot } from '../soap/tree.js';
import { validateRoot } from '../soap/validate.js';
import { child, childrenNamed, textOf, type XmlElement } from '../soap/xml.js';
import { CUBE_ENTITY_SET, CUBE_SERVICE, ODataError, odataErrorBody, queryCube } from './cube.js';
import { Ledger, type PostedDocument } from './ledger.js';
import { defaultMasterData, type MasterData } from './master-data.js';
import { FAULT_TEXTS, MESSAGES } from './messages.js';

/** Path of the synchronous Journal Entry – Post service on S/4HANA Cloud (from SAP's WSDL). */
export const JOURNAL_ENTRY_POST_PATH = '/sap/bc/srt/scs_ext/sap/journalentrycreaterequestconfi';
/** Path of the cube service (OData V2). */
export const CUBE_PATH = `/sap/opu/odata/sap/${CUBE_SERVICE}`;
/** The emulator's OAuth 2.0 token endpoint (client credentials). */
export const TOKEN_PATH = '/oauth/token';

/** A request as the emulator sees it, independent of the HTTP layer. */
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
 * Faults the emulator can inject into the next requests (SOAP and OData alike):
 * - `500`: a SOAP fault (server) / HTTP 500 before anything is booked;
 * - `503` / `429`: refused with `Retry-After`, nothing booked;
 * - `timeout`: the request is processed (documents booked), then the answer is a 504 after `timeoutDelayMs`;
 * - `reset`: processed, then the connection is dropped without an answer.
 */
export type SapFaultKind = '500' | '503' | '429' | 'timeout' | 'reset';

export interface SapEmulatorOptions {
  /** Communication user and password (Basic auth). @default 'OI_SYNC_COMM' / 'emulator-password' */
  username?: string;
  password?: string;
  /** OAuth 2.0 client credentials the token endpoint accepts. */
  clientId?: string;
  clientSecret?: string;
  masterData?: MasterData;
  /** Logical system of the tenant, shown in log texts. @default 'OIEMUCLNT100' */
  logicalSystem?: string;
  /** Entries accepted in one bulk request. SAP documents no limit; @default 1000 */
  maxEntriesPerRequest?: number;
  /** Largest page the cube serves. @default 5000 */
  maxPageSize?: number;
  /** Simulated processing time of every request, and of each journal entry in a post (real ms). */
  latencyMs?: number;
  perEntryLatencyMs?: number;
  /** Random faults: probability per request and kinds. */
  faults?: { rate: number; kinds?: SapFaultKind[]; random?: () => number };
  /** Delay of the 504 after a `timeout` fault. @default 20 */
  timeoutDelayMs?: number;
  /** `Retry-After` seconds on 429/503. @default 1 */
  retryAfterSeconds?: number;
  /** First document number per company code and fiscal year. @default 100000000 */
  firstDocumentNumber?: number;
  now?: () => number;
}

/**
 * A stateful emulator of the slice of SAP S/4HANA the connector uses: the synchronous SOAP service
 * Journal Entry – Post (schema-checked envelope, per-entry confirmations, SAP's posting checks and
 * failure shape) and the OData V2 cube API_OPLACCTGDOCITEMCUBE_SRV to read documents back, with
 * Basic auth, OAuth 2.0 client credentials, CSRF on writes and injected faults.
 *
 * @example
 * const sap = new SapEmulator({ latencyMs: 50 });
 * const server = await startSapEmulator({ emulator: sap }); // or `sap.fetch` in-process
 */
export class SapEmulator {
  readonly ledger: Ledger;
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly logicalSystem: string;
  private readonly now: () => number;
  private readonly tokens = new Map<string, number>();
  private readonly csrfTokens = new Set<string>();
  private faultOptions: SapEmulatorOptions['faults'];
  private readonly scheduled: SapFaultKind[] = [];
  private readonly scheduledPosts: SapFaultKind[] = [];
  /** Counters for fidelity tests and benchmarks. */
  readonly stats = {
    requests: 0,
    posts: 0,
    entries: 0,
    queries: 0,
    faults: 0,
    soapFaults: 0,
    maxQueryUrlLength: 0,
  };

  constructor(private readonly options: SapEmulatorOptions = {}) {
    this.username = options.username ?? 'OI_SYNC_COMM';
    this.password = options.password ?? 'emulator-password';
    this.clientId = options.clientId ?? 'sb-openissuing-emulator';
    this.clientSecret = options.clientSecret ?? 'emulator-client-secret';
    this.logicalSystem = options.logicalSystem ?? 'OIEMUCLNT100';
    this.now = options.now ?? Date.now;
    this.faultOptions = options.faults;
    this.ledger = new Ledger(options.masterData ?? defaultMasterData(), {
      logicalSystem: this.logicalSystem,
      now: this.now,
      firstNumber: options.firstDocumentNumber ?? 100_000_000,
    });
  }

  // ---- test controls -------------------------------------------------------------------------

  get masterData(): MasterData {
    return this.ledger.masterData;
  }

  /** Every posted document (reversals included). */
  documents(): PostedDocument[] {
    return this.ledger.documents;
  }

  /** Fails the next `count` requests with `kind`. */
  failNext(kind: SapFaultKind, count = 1): void {
    for (let i = 0; i < count; i++) this.scheduled.push(kind);
  }

  /**
   * Fails the next `count` Journal Entry – Post requests with `kind` (reads are not affected), e.g.
   * `'reset'` books the entries and drops the answer: the lost-response case.
   */
  failNextPost(kind: SapFaultKind, count = 1): void {
    for (let i = 0; i < count; i++) this.scheduledPosts.push(kind);
  }

  /** Sets (or clears) random fault injection. */
  setFaults(faults: SapEmulatorOptions['faults'] | undefined): void {
    this.faultOptions = faults;
  }

  /** Closes a posting period (`period` 1–12) of a company code; postings into it get `F5 201`. */
  closePeriod(companyCode: string, year: number, period: number): void {
    const set = this.masterData.closedPeriods.get(companyCode) ?? new Set<string>();
    set.add(`${year}-${String(period).padStart(3, '0')}`);
    this.masterData.closedPeriods.set(companyCode, set);
  }

  /** Reverses a document, as an accountant would with "Reverse Journal Entries". */
  reverse(companyCode: string, accountingDocument: string, fiscalYear: string): PostedDocument {
    return this.ledger.reverse(companyCode, accountingDocument, fiscalYear);
  }

  /** An in-process `fetch` that answers from this emulator (for msw handlers or injected clients). */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const out = await this.handle({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text(),
    });
    if (out.drop) throw new TypeError('fetch failed: the emulator dropped the connection');
    return new Response(out.status === 204 || request.method === 'HEAD' ? null : out.body, {
      status: out.status,
      headers: out.headers,
    });
  };

  // ---- request handling ----------------------------------------------------------------------

  private pickFault(): SapFaultKind | null {
    const next = this.scheduled.shift();
    if (next) return next;
    const f = this.faultOptions;
    if (!f || f.rate <= 0) return null;
    const rnd = f.random ?? Math.random;
    if (rnd() >= f.rate) return null;
    const kinds = f.kinds ?? ['500', '503', 'timeout', 'reset'];
    return kinds[Math.floor(rnd() * kinds.length)] ?? '500';
  }

  private authenticate(req: EmulatorRequest): boolean {
    const auth = req.headers.get('authorization') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(auth)?.[1];
    if (basic) return Buffer.from(basic, 'base64').toString('utf8') === `${this.username}:${this.password}`;
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (bearer) {
      const exp = this.tokens.get(bearer);
      return exp !== undefined && exp > this.now();
    }
    return false;
  }

  private unauthorized(): EmulatorResponse {
    return {
      status: 401,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'www-authenticate': 'Basic realm="SAP NetWeaver Application Server [OIE/100]"',
      },
      body: '<html><head><title>Logon Error Message</title></head><body><h1>401 Unauthorized</h1><p>Logon failed</p></body></html>',
    };
  }

  private sleep(ms: number): Promise<void> {
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }

  /** Handles one HTTP request. */
  async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    const path = req.url.pathname.replace(/\/+$/, '');
    if (path === TOKEN_PATH && req.method === 'POST') return this.token(req);
    const isSoap = path === JOURNAL_ENTRY_POST_PATH;
    const isCube = path === CUBE_PATH || path.startsWith(`${CUBE_PATH}/`);
    if (!isSoap && !isCube) {
      return {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        body: `Service cannot be reached: ${req.url.pathname}`,
      };
    }
    this.stats.requests++;
    if (!this.authenticate(req)) return this.unauthorized();
    const fault = (isSoap ? this.scheduledPosts.shift() : undefined) ?? this.pickFault();
    if (fault === '503' || fault === '429') {
      this.stats.faults++;
      return {
        status: Number(fault),
        headers: { 'content-type': 'text/plain', 'retry-after': String(this.options.retryAfterSeconds ?? 1) },
        body: fault === '429' ? 'Too Many Requests' : 'Service Unavailable',
      };
    }
    await this.sleep(this.options.latencyMs ?? 0);
    let res: EmulatorResponse;
    if (fault === '500') {
      this.stats.faults++;
      res = isSoap
        ? this.soapFault(this.versionOf(req) ?? '1.1', 'server', FAULT_TEXTS.serverError)
        : this.odataError(new ODataError(500, '/IWBEP/CM_MGW_RT/000', FAULT_TEXTS.serverError));
      return res;
    }
    res = isSoap ? await this.soap(req) : this.cube(req, path);
    if (fault === 'timeout') {
      this.stats.faults++;
      await this.sleep(this.options.timeoutDelayMs ?? 20);
      return {
        status: 504,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>504 Gateway Time-out</body></html>',
      };
    }
    if (fault === 'reset') {
      this.stats.faults++;
      return { ...res, drop: true };
    }
    return res;
  }

  private token(req: EmulatorRequest): EmulatorResponse {
    const json = (status: number, body: unknown): EmulatorResponse => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const params = new URLSearchParams(req.body);
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1];
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':')
      : [params.get('client_id'), params.get('client_secret')];
    if (id !== this.clientId || secret !== this.clientSecret)
      return json(401, { error: 'invalid_client', error_description: 'Bad credentials' });
    if (params.get('grant_type') !== 'client_credentials')
      return json(400, {
        error: 'unsupported_grant_type',
        error_description: 'only client_credentials is supported',
      });
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + 3600_000);
    return json(200, { access_token: token, token_type: 'bearer', expires_in: 3599, scope: 'uaa.resource' });
  }

  // ---- SOAP ----------------------------------------------------------------------------------

  private versionOf(req: EmulatorRequest): SoapVersion | null {
    const ct = (req.headers.get('content-type') ?? '').toLowerCase();
    if (ct.startsWith('text/xml')) return '1.1';
    if (ct.startsWith('application/soap+xml')) return '1.2';
    return null;
  }

  private soapFault(version: SoapVersion, code: 'client' | 'server', message: string): EmulatorResponse {
    this.stats.soapFaults++;
    return {
      status: 500,
      headers: { 'content-type': soapContentType(version) },
      body: faultEnvelope(version, { code, message }),
    };
  }

  private async soap(req: EmulatorRequest): Promise<EmulatorResponse> {
    if (req.method !== 'POST')
      return {
        status: 405,
        headers: { 'content-type': 'text/plain', allow: 'POST' },
        body: 'Method not allowed',
      };
    const version = this.versionOf(req);
    if (!version) {
      return {
        status: 415,
        headers: { 'content-type': 'text/plain' },
        body: 'Unsupported content type: send text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)',
      };
    }
    const action =
      version === '1.1'
        ? (req.headers.get('soapaction') ?? '').replace(/^"|"$/g, '')
        : (/action="([^"]*)"/.exec(req.headers.get('content-type') ?? '')?.[1] ?? '');
    if (action && action !== JOURNAL_ENTRY_SOAP_ACTION)
      return this.soapFault(version, 'client', FAULT_TEXTS.action(action));
    let envelope: ReturnType<typeof parseEnvelope>;
    try {
      envelope = parseEnvelope(req.body);
    } catch (err) {
      return this.soapFault(version, 'client', FAULT_TEXTS.notEnvelope((err as SoapEnvelopeError).message));
    }
    if (envelope.version !== version) return this.soapFault(version, 'client', FAULT_TEXTS.versionMismatch);
    const payload = envelope.payload;
    if (!payload) return this.soapFault(version, 'client', FAULT_TEXTS.notEnvelope('the Body is empty'));
    const violations = validateRoot(payload);
    if (violations.length > 0) {
      return this.soapFault(
        version,
        'client',
        FAULT_TEXTS.schema(violations.map((v) => `${v.path}: ${v.message}`).join('; ')),
      );
    }
    const requests = childrenNamed(payload, 'JournalEntryCreateRequest');
    const max = this.options.maxEntriesPerRequest ?? 1000;
    if (requests.length > max)
      return this.soapFault(version, 'client', FAULT_TEXTS.tooMany(requests.length, max));
    this.stats.posts++;
    this.stats.entries += requests.length;
    await this.sleep((this.options.perEntryLatencyMs ?? 0) * requests.length);
    const confirmations = requests.map((r) => this.confirm(r));
    const fields: Fields = {
      MessageHeader: this.header(textOf(child(payload, 'MessageHeader'), 'ID')),
      ConfirmationInterfaceOrignName: 'JournalEntryCreateRequestConfirmation_In',
      JournalEntryCreateConfirmation: confirmations,
      Log: {},
    };
    const body = renderRoot('JournalEntryBulkCreateConfirmation', fields);
    return {
      status: 200,
      headers: { 'content-type': soapContentType(version) },
      body: `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="${SOAP_ENVELOPE_NS[version]}"><env:Header/><env:Body>${body}</env:Body></env:Envelope>`,
    };
  }

  private header(referenceId: string | undefined): Fields {
    return {
      UUID: randomUUID(),
      ...(referenceId ? { ReferenceID: referenceId } : {}),
      CreationDateTime: sapDateTime(new Date(this.now())),
      SenderBusinessSystemID: this.logicalSystem.slice(0, 3),
    };
  }

  private confirm(request: XmlElement): Fields {
    const result = this.ledger.post(child(request, 'JournalEntry') as XmlElement);
    const header = this.header(textOf(child(request, 'MessageHeader'), 'ID'));
    if (result.ok) {
      const d = result.document;
      return {
        MessageHeader: header,
        JournalEntryCreateConfirmation: {
          AccountingDocument: d.accountingDocument,
          CompanyCode: d.companyCode,
          FiscalYear: d.fiscalYear,
        },
        Log: {
          MaximumLogItemSeverityCode: '1',
          Item: {
            TypeID: MESSAGES.posted.typeId,
            SeverityCode: '1',
            Note: MESSAGES.posted.note(
              `${d.accountingDocument}${d.companyCode}${d.fiscalYear}`,
              this.logicalSystem,
            ),
          },
        },
      };
    }
    return {
      MessageHeader: header,
      // SAP's failure shape: blank document and company code, fiscal year 0000
      JournalEntryCreateConfirmation: { AccountingDocument: ' ', CompanyCode: ' ', FiscalYear: '0000' },
      Log: {
        MaximumLogItemSeverityCode: '3',
        Item: result.items.map((i) => ({ TypeID: i.typeId, SeverityCode: String(i.severity), Note: i.note })),
      },
    };
  }

  // ---- OData V2 cube -------------------------------------------------------------------------

  private odataError(e: ODataError): EmulatorResponse {
    return {
      status: e.status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'sap-message': '' },
      body: odataErrorBody(e, randomBytes(16).toString('hex').toUpperCase(), new Date(this.now())),
    };
  }

  private cube(req: EmulatorRequest, path: string): EmulatorResponse {
    const csrfHeaders: Record<string, string> = {};
    if (req.headers.get('x-csrf-token')?.toLowerCase() === 'fetch') {
      const token = randomBytes(16).toString('base64');
      this.csrfTokens.add(token);
      csrfHeaders['x-csrf-token'] = token;
      csrfHeaders['set-cookie'] =
        `sap-XSRF_OIE_100=${encodeURIComponent(token)}; path=/sap/opu/odata/; secure; HttpOnly`;
    }
    if (req.method === 'HEAD' || (req.method === 'GET' && (path === CUBE_PATH || path === `${CUBE_PATH}/`))) {
      return {
        status: 200,
        headers: { 'content-type': 'application/json', ...csrfHeaders },
        body: '{"d":{"EntitySets":["A_OperationalAcctgDocItemCube"]}}',
      };
    }
    if (req.method !== 'GET') {
      // writes need the token fetched earlier, together with its session cookie
      const token = req.headers.get('x-csrf-token') ?? '';
      const cookie = req.headers.get('cookie') ?? '';
      if (!this.csrfTokens.has(token) || !cookie.includes(encodeURIComponent(token))) {
        return {
          status: 403,
          headers: { 'content-type': 'text/plain', 'x-csrf-token': 'Required' },
          body: 'CSRF token validation failed',
        };
      }
      return this.odataError(
        new ODataError(
          405,
          '/IWBEP/CM_MGW_RT/021',
          `The entity set ${CUBE_ENTITY_SET} is read-only (creatable, updatable and deletable are false)`,
        ),
      );
    }
    this.stats.queries++;
    this.stats.maxQueryUrlLength = Math.max(
      this.stats.maxQueryUrlLength,
      req.url.pathname.length + req.url.search.length,
    );
    const rest = path.slice(CUBE_PATH.length + 1);
    const count = rest === `${CUBE_ENTITY_SET}/$count`;
    if (rest !== CUBE_ENTITY_SET && !count) {
      return this.odataError(
        new ODataError(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${rest}'`),
      );
    }
    const format = req.url.searchParams.get('$format');
    const accept = req.headers.get('accept') ?? '';
    if (!count && format !== 'json' && !/json/.test(accept)) {
      return this.odataError(
        new ODataError(
          406,
          '/IWBEP/CM_MGW_RT/026',
          'The emulator answers JSON only: send $format=json or Accept: application/json',
        ),
      );
    }
    try {
      const result = queryCube(this.ledger.documents, req.url.searchParams, {
        baseUrl: `${req.url.origin}${CUBE_PATH}`,
        count,
        maxTop: this.options.maxPageSize ?? 5000,
      });
      return count
        ? { status: 200, headers: { 'content-type': 'text/plain', ...csrfHeaders }, body: String(result) }
        : {
            status: 200,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              dataserviceversion: '2.0',
              ...csrfHeaders,
            },
            body: JSON.stringify(result),
          };
    } catch (err) {
      if (err instanceof ODataError) return this.odataError(err);
      throw err;
    }
  }
}

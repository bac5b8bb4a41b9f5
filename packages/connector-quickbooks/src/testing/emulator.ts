import { randomBytes } from 'node:crypto';
import { Company, ENTITIES, type EntityName } from './company.js';
import {
  authFailureBody,
  authorizationFailureBody,
  fault,
  QboFault,
  qboTime,
  required,
  throttled,
} from './faults.js';
import { parseQuery } from './query.js';

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
 * Fault kinds the emulator can inject:
 * - `500` / `503`: fail before applying anything;
 * - `timeout`: apply the request, then answer 504 after `timeoutDelayMs` (the client cannot know it applied);
 * - `reset`: apply the request, then drop the connection.
 */
export type FaultKind = '500' | '503' | 'timeout' | 'reset';

/** The documented QuickBooks Online limits, scaled by `windowMs` for fast tests. */
export interface ThrottleLimits {
  /** @default 500 */
  requestsPerWindow: number;
  /** @default 40 */
  batchesPerWindow: number;
  /** @default 10 */
  maxConcurrent: number;
  /** Length of the throttling window. @default 60000 (one minute, as documented) */
  windowMs: number;
}

export interface QuickBooksEmulatorOptions {
  realmId?: string;
  /** OAuth client credentials the token endpoint accepts. */
  clientId?: string;
  clientSecret?: string;
  homeCurrency?: string;
  multiCurrency?: boolean;
  /** Clock (ms). @default Date.now */
  now?: () => number;
  /** Enforce the per-realm throttles (answered with 429). @default true */
  throttling?: boolean;
  limits?: Partial<ThrottleLimits>;
  /** Largest BatchItemRequest accepted. @default 30 */
  maxBatchItems?: number;
  /** Access-token lifetime. @default 3600 s */
  accessTokenTtlMs?: number;
  /** Random faults on API requests (not the token endpoint): probability and kinds. */
  faults?: { rate: number; kinds?: FaultKind[]; random?: () => number };
  /** Delay before a `timeout` fault answers 504. @default 20 */
  timeoutDelayMs?: number;
  /** Simulated server processing time per request (real ms). @default 0 */
  latencyMs?: number;
  /**
   * A request not applied within this time is abandoned — never applied — and answered 504, so a
   * request can land at most this long after it was sent (the connector's `limits.requestTimeoutMs`
   * relies on it). @default 120000
   */
  requestTimeoutMs?: number;
  /** Seed the company with a typical chart of accounts. @default true */
  seed?: boolean;
}

const ROUTE = /^\/v3\/company\/([^/]+)\/([a-z]+)(?:\/([^/]+))?\/?$/i;

/**
 * A stateful QuickBooks Online Accounting API emulator (the slice the connector uses): OAuth2
 * token refresh, Purchase/Vendor/Account/Class/Department create-read-update-query, the batch
 * endpoint, `requestid` replay, throttling and fault injection — with QuickBooks' own error bodies.
 *
 * @example
 * const qbo = new QuickBooksEmulator({ limits: { windowMs: 1000 } });
 * const { refreshToken } = qbo.issueTokens();
 * const server = await startQuickBooksEmulator({ emulator: qbo }); // or quickBooksHandlers(qbo) from ./testing/msw
 */
export class QuickBooksEmulator {
  readonly realmId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly company: Company;
  readonly limits: ThrottleLimits;
  readonly maxBatchItems: number;
  private readonly now: () => number;
  private throttling: boolean;
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();
  private readonly requestIds = new Map<string, EmulatorResponse>();
  private readonly requestStamps: number[] = [];
  private readonly batchStamps: number[] = [];
  private inflight = 0;
  private faultOptions: QuickBooksEmulatorOptions['faults'] | undefined;
  private readonly scheduled: FaultKind[] = [];
  private readonly scheduledPosts: FaultKind[] = [];
  /** Counters for fidelity tests and benchmarks. */
  readonly stats = { requests: 0, batches: 0, throttled: 0, faults: 0, replays: 0 };

  constructor(private readonly options: QuickBooksEmulatorOptions = {}) {
    this.realmId = options.realmId ?? '9130357766900456';
    this.clientId = options.clientId ?? 'emulator-client';
    this.clientSecret = options.clientSecret ?? 'emulator-secret';
    this.now = options.now ?? Date.now;
    this.throttling = options.throttling ?? true;
    this.limits = {
      requestsPerWindow: 500,
      batchesPerWindow: 40,
      maxConcurrent: 10,
      windowMs: 60_000,
      ...options.limits,
    };
    this.maxBatchItems = options.maxBatchItems ?? 30;
    this.faultOptions = options.faults;
    this.company = new Company({
      now: this.now,
      ...(options.homeCurrency ? { homeCurrency: options.homeCurrency } : {}),
      ...(options.multiCurrency !== undefined ? { multiCurrency: options.multiCurrency } : {}),
    });
    if (options.seed ?? true) this.seedChartOfAccounts();
  }

  private seedChartOfAccounts(): void {
    const c = this.company;
    c.createNameList('Account', {
      Name: 'OpenIssuing Card',
      AccountType: 'Credit Card',
      AccountSubType: 'CreditCard',
    });
    c.createNameList('Account', { Name: 'Checking', AccountType: 'Bank', AccountSubType: 'Checking' });
    for (const name of [
      'Advertising',
      'Cloud Services',
      'Meals',
      'Software',
      'Travel',
      'Fuel',
      'Uncategorized Expense',
    ]) {
      c.createNameList('Account', {
        Name: name,
        AccountType: 'Expense',
        AccountSubType: 'OtherMiscellaneousServiceCost',
      });
    }
    for (const name of ['Apollo', 'Gemini']) c.createNameList('Class', { Name: name });
    for (const name of ['Marketing', 'Engineering', 'Sales']) c.createNameList('Department', { Name: name });
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Issues an OAuth2 token pair, as the authorization-code flow would. */
  issueTokens(): { accessToken: string; refreshToken: string; expiresAt: number } {
    const accessToken = `eyJemu.${randomBytes(24).toString('base64url')}`;
    const refreshToken = `AB11emu${randomBytes(24).toString('base64url')}`;
    const expiresAt = this.now() + (this.options.accessTokenTtlMs ?? 3_600_000);
    this.accessTokens.set(accessToken, expiresAt);
    this.refreshTokens.add(refreshToken);
    return { accessToken, refreshToken, expiresAt };
  }

  /** Expires every access token (the next API call gets the 401/3200 body). */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Fails the next `count` API requests with `kind`. */
  failNext(kind: FaultKind, count = 1): void {
    for (let i = 0; i < count; i++) this.scheduled.push(kind);
  }

  /** Fails the next `count` posting requests (batch, or a Purchase create) with `kind`; other requests pass. */
  failNextPost(kind: FaultKind, count = 1): void {
    for (let i = 0; i < count; i++) this.scheduledPosts.push(kind);
  }

  /** Sets (or clears, with `undefined`) random fault injection. */
  setFaults(faults: QuickBooksEmulatorOptions['faults'] | undefined): void {
    this.faultOptions = faults;
  }

  setThrottling(on: boolean): void {
    this.throttling = on;
  }

  /** Makes a name-list object (account, class, department, vendor) inactive. */
  deactivate(entity: EntityName, name: string): void {
    const e = this.company
      .list(entity)
      .find((x) => String(x.Name ?? x.DisplayName).toLowerCase() === name.toLowerCase());
    if (!e) throw new Error(`no ${entity} named "${name}" in the emulator`);
    e.Active = false;
  }

  /** Every stored Purchase. */
  purchases(): Record<string, unknown>[] {
    return this.company.list('Purchase');
  }

  // ---- HTTP-independent request handling -----------------------------------------------------

  private json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
    return {
      status,
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        intuit_tid: randomBytes(8).toString('hex'),
        ...headers,
      },
      body: JSON.stringify(body),
    };
  }

  private faultResponse(f: QboFault): EmulatorResponse {
    const headers: Record<string, string> = {};
    if (f.status === 429) headers['retry-after'] = String(Math.ceil(this.retryAfterMs() / 1000));
    return this.json(f.status, fault(this.now(), f.type, ...f.errors), headers);
  }

  private retryAfterMs(): number {
    const now = this.now();
    const oldest = Math.min(this.requestStamps[0] ?? now, this.batchStamps[0] ?? now);
    return Math.max(1, oldest + this.limits.windowMs - now);
  }

  private prune(stamps: number[]): void {
    const cutoff = this.now() - this.limits.windowMs;
    while (stamps.length > 0 && (stamps[0] as number) <= cutoff) stamps.shift();
  }

  /** Applies the documented throttles; returns a 429 fault when one is exceeded. */
  private throttle(isBatch: boolean): QboFault | null {
    if (!this.throttling) return null;
    this.prune(this.requestStamps);
    this.prune(this.batchStamps);
    const l = this.limits;
    if (this.inflight >= l.maxConcurrent) {
      return throttled(`Too many concurrent requests: the limit is ${l.maxConcurrent} per realm and app.`);
    }
    if (this.requestStamps.length >= l.requestsPerWindow) {
      return throttled(
        `The request limit of ${l.requestsPerWindow} requests per ${l.windowMs / 1000} s per realm was reached.`,
      );
    }
    if (isBatch && this.batchStamps.length >= l.batchesPerWindow) {
      return throttled(
        `The batch limit of ${l.batchesPerWindow} batch requests per ${l.windowMs / 1000} s per realm was reached.`,
      );
    }
    this.requestStamps.push(this.now());
    if (isBatch) this.batchStamps.push(this.now());
    return null;
  }

  private pickFault(posting: boolean): FaultKind | null {
    const forPost = posting ? this.scheduledPosts.shift() : undefined;
    if (forPost) return forPost;
    const next = this.scheduled.shift();
    if (next) return next;
    const f = this.faultOptions;
    if (!f || f.rate <= 0) return null;
    const rnd = f.random ?? Math.random;
    if (rnd() >= f.rate) return null;
    const kinds = f.kinds ?? ['500', '503', 'timeout', 'reset'];
    return kinds[Math.floor(rnd() * kinds.length)] ?? '500';
  }

  /** Handles one HTTP request. */
  async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    if (req.url.pathname.endsWith('/oauth2/v1/tokens/bearer')) return this.token(req);
    const m = ROUTE.exec(req.url.pathname);
    if (!m)
      return this.json(
        404,
        fault(this.now(), 'ValidationFault', {
          Message: 'Unsupported Operation',
          Detail: `Operation ${req.url.pathname} is not supported.`,
          code: '500',
          element: '',
        }),
      );
    this.stats.requests++;

    // authentication first, as QuickBooks does
    const auth = req.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (!token)
      return this.json(401, authFailureBody(this.now(), 'Malformed bearer token: too short or too long'));
    const exp = this.accessTokens.get(token);
    if (exp === undefined) return this.json(401, authFailureBody(this.now(), 'Token invalid'));
    if (exp <= this.now()) return this.json(401, authFailureBody(this.now(), 'Token expired'));
    if (m[1] !== this.realmId) return this.json(403, authorizationFailureBody(this.now()));

    const resource = (m[2] as string).toLowerCase();
    const isBatch = resource === 'batch';
    const limited = this.throttle(isBatch);
    if (limited) {
      this.stats.throttled++;
      return this.faultResponse(limited);
    }
    if (isBatch) this.stats.batches++;
    this.inflight++;
    try {
      if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
      if ((this.options.latencyMs ?? 0) > (this.options.requestTimeoutMs ?? 120_000)) {
        this.stats.faults++;
        return {
          status: 504,
          headers: { 'content-type': 'text/html' },
          body: '<html><body>504 Gateway Time-out</body></html>',
        };
      }
      const requestId = req.url.searchParams.get('requestid');
      if (requestId !== null) {
        const max = isBatch ? 36 : 50;
        if (requestId.length > max) {
          return this.faultResponse(
            new QboFault(400, 'ValidationFault', [
              {
                Message: 'Invalid requestid',
                Detail: `requestid supports at most ${max} characters for ${isBatch ? 'batch' : 'this'} operation; got ${requestId.length}`,
                code: '2030',
                element: 'requestid',
              },
            ]),
          );
        }
        const seen = this.requestIds.get(requestId);
        if (seen) {
          this.stats.replays++;
          return seen;
        }
      }
      const injected = this.pickFault(req.method === 'POST' && (isBatch || resource === 'purchase'));
      if (injected === '500' || injected === '503') {
        this.stats.faults++;
        return this.json(
          Number(injected),
          fault(this.now(), 'SystemFault', {
            Message:
              injected === '500'
                ? 'An application error has occurred while processing your request'
                : 'Service Unavailable',
            Detail: 'System Failure Error: injected by the emulator',
            code: '10000',
            element: '',
          }),
        );
      }
      const res = this.route(resource, m[3], req, requestId);
      if (requestId !== null) this.requestIds.set(requestId, res);
      if (injected === 'timeout') {
        this.stats.faults++;
        await new Promise((r) => setTimeout(r, this.options.timeoutDelayMs ?? 20));
        return {
          status: 504,
          headers: { 'content-type': 'text/html' },
          body: '<html><body>504 Gateway Time-out</body></html>',
        };
      }
      if (injected === 'reset') {
        this.stats.faults++;
        return { ...res, drop: true };
      }
      return res;
    } finally {
      this.inflight--;
    }
  }

  private parseBody(req: EmulatorRequest): Record<string, unknown> {
    try {
      const v = JSON.parse(req.body || '{}') as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new QboFault(400, 'ValidationFault', [
      {
        Message: 'Request has invalid or unsupported property',
        Detail: 'Property Name:Unrecognized token specified is unsupported or invalid',
        code: '2010',
        element: '',
      },
    ]);
  }

  private route(
    resource: string,
    id: string | undefined,
    req: EmulatorRequest,
    requestId: string | null,
  ): EmulatorResponse {
    try {
      if (resource === 'query' && req.method === 'GET') {
        return this.json(200, {
          QueryResponse: this.runQuery(req.url.searchParams.get('query') ?? ''),
          time: qboTime(this.now()),
        });
      }
      if (resource === 'batch' && req.method === 'POST') return this.batch(this.parseBody(req), requestId);
      const entity = ENTITIES.find((e) => e.toLowerCase() === resource);
      if (!entity)
        throw new QboFault(400, 'ValidationFault', [
          {
            Message: 'Unsupported Operation',
            Detail: `Operation ${resource} is not supported.`,
            code: '500',
            element: '',
          },
        ]);
      if (req.method === 'GET' && id)
        return this.json(200, { [entity]: this.company.read(entity, id), time: qboTime(this.now()) });
      if (req.method === 'POST') {
        const op = req.url.searchParams.get('operation') ?? 'create';
        const result = this.operate(entity, op, this.parseBody(req));
        return this.json(200, { [entity]: result, time: qboTime(this.now()) });
      }
      throw new QboFault(400, 'ValidationFault', [
        {
          Message: 'Unsupported Operation',
          Detail: `${req.method} is not supported here.`,
          code: '500',
          element: '',
        },
      ]);
    } catch (err) {
      if (err instanceof QboFault) return this.faultResponse(err);
      throw err;
    }
  }

  private operate(entity: EntityName, op: string, body: Record<string, unknown>): Record<string, unknown> {
    if (op === 'create')
      return entity === 'Purchase'
        ? this.company.createPurchase(body)
        : this.company.createNameList(entity, body);
    if (op === 'update') return this.company.update(entity, body);
    if (op === 'delete') return this.company.delete(entity, body);
    throw new QboFault(400, 'ValidationFault', [
      {
        Message: 'Unsupported Operation',
        Detail: `Operation ${op} is not supported.`,
        code: '500',
        element: '',
      },
    ]);
  }

  private runQuery(text: string): Record<string, unknown> {
    const q = parseQuery(text);
    const { rows, total } = this.company.query(q);
    if (q.count) return { totalCount: total };
    const name = rows.length
      ? (ENTITIES.find((e) => e.toLowerCase() === q.entity.toLowerCase()) as string)
      : null;
    return name ? { [name]: rows, startPosition: q.startPosition, maxResults: rows.length } : {};
  }

  private batch(body: Record<string, unknown>, requestId: string | null): EmulatorResponse {
    const items = body.BatchItemRequest;
    if (!Array.isArray(items) || items.length === 0) throw required('BatchItemRequest');
    if (items.length > this.maxBatchItems) {
      throw new QboFault(400, 'ValidationFault', [
        {
          Message: 'Batch size exceeds allowed limit',
          Detail: `The batch size ${items.length} exceeds the maximum of ${this.maxBatchItems} BatchItemRequest items.`,
          code: '1040',
          element: 'BatchItemRequest',
        },
      ]);
    }
    const seen = new Set<string>();
    const out = items.map((raw) => {
      const item = raw as Record<string, unknown>;
      const bId = item.bId;
      try {
        if (typeof bId !== 'string' || bId === '') throw required('bId');
        if (seen.has(bId))
          throw new QboFault(400, 'ValidationFault', [
            {
              Message: 'Duplicate batch id',
              Detail: `bId ${bId} is used more than once in this batch`,
              code: '1050',
              element: 'bId',
            },
          ]);
        seen.add(bId);
        if (requestId !== null && bId.length > 10) {
          throw new QboFault(400, 'ValidationFault', [
            {
              Message: 'Invalid bId',
              Detail: 'bId supports at most 10 characters when requestid is specified',
              code: '2030',
              element: 'bId',
            },
          ]);
        }
        if (typeof item.Query === 'string') return { bId, QueryResponse: this.runQuery(item.Query) };
        const entity = ENTITIES.find((e) => e in item);
        if (!entity) throw required('entity payload');
        const op = String(item.operation ?? '');
        if (!['create', 'update', 'delete'].includes(op)) throw required('operation');
        return { bId, [entity]: this.operate(entity, op, item[entity] as Record<string, unknown>) };
      } catch (err) {
        if (!(err instanceof QboFault)) throw err;
        return { bId: typeof bId === 'string' ? bId : '', Fault: { Error: err.errors, type: err.type } };
      }
    });
    return this.json(200, { BatchItemResponse: out, time: qboTime(this.now()) });
  }

  private token(req: EmulatorRequest): EmulatorResponse {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (id !== this.clientId || secret !== this.clientSecret)
      return this.json(401, { error: 'invalid_client' });
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'refresh_token')
      return this.json(400, { error: 'unsupported_grant_type' });
    const rt = form.get('refresh_token') ?? '';
    if (!this.refreshTokens.has(rt)) return this.json(400, { error: 'invalid_grant' });
    // a new refresh token is issued with every refresh (the previous one keeps working, see README)
    const t = this.issueTokens();
    return this.json(200, {
      token_type: 'bearer',
      access_token: t.accessToken,
      refresh_token: t.refreshToken,
      expires_in: Math.round((this.options.accessTokenTtlMs ?? 3_600_000) / 1000),
      x_refresh_token_expires_in: 8_726_400,
    });
  }
}

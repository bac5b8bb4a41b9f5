import { randomUUID } from 'node:crypto';
import {
  type ErpAdapter,
  ErpError,
  type ErpLimits,
  type ErpPosting,
  type JournalEntry,
  type PostOutcome,
  RateLimiter,
  type RenderedRequest,
  toMinor,
} from '@openissuing/connector-core';
import { classifyError, classifyFault, faultErrors } from './classify.js';
import { type QuickBooksTokens, TokenManager } from './oauth.js';
import { docNumberFor, referenceMarker, toPurchase, vendorDisplayName } from './purchase.js';
import { call, createNodeQuickBooks, type NodeQuickBooks, QboHttpError, type QboResult } from './qbo.js';

/** QuickBooks Online's documented limits (per realm and app). */
export interface QuickBooksLimits {
  /** @default 500 */
  requestsPerWindow: number;
  /** @default 40 */
  batchesPerWindow: number;
  /** @default 10 */
  maxConcurrent: number;
  /** @default 60000 */
  windowMs: number;
  /** BatchItemRequest items per batch. @default 30 */
  maxBatchSize: number;
  /**
   * How long QuickBooks may take to apply a request; after a crash, entries of a request that was in
   * flight are not looked up before this has passed (see `ErpLimits.requestTimeoutMs`). @default 120000
   */
  requestTimeoutMs: number;
}

export interface QuickBooksAdapterOptions {
  realmId: string;
  clientId: string;
  clientSecret: string;
  tokens: QuickBooksTokens;
  /** Called with every refreshed token set — persist it, the refresh token rotates. */
  onTokens?: (tokens: QuickBooksTokens) => void | Promise<void>;
  /** `…/v3/company/`. @default production; `sandbox: true` for the sandbox host */
  endpoint?: string;
  sandbox?: boolean;
  tokenUrl?: string;
  /** @default 75 */
  minorVersion?: number;
  /** Home currency of the company. @default 'USD' */
  homeCurrency?: string;
  /** Send CurrencyRef/ExchangeRate (the company has multicurrency on). @default false */
  multiCurrency?: boolean;
  limits?: Partial<QuickBooksLimits>;
  /** Pace requests to the limits client-side (a 429 is still honoured when off). @default true */
  throttle?: boolean;
  /** Use the batch endpoint; when false every entry is a single create with a `requestid`. @default true */
  batch?: boolean;
  now?: () => number;
}

interface NamedRef {
  id: string;
  name: string;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * The QuickBooks Online connector: posts journal entries as Purchases (batch endpoint for throughput,
 * `requestid` for single posts), finds them again by DocNumber, paces itself to QuickBooks' documented
 * throttles and refreshes OAuth 2.0 tokens.
 *
 * @example
 * const adapter = new QuickBooksAdapter({ realmId, clientId, clientSecret, tokens: { accessToken, refreshToken } });
 * await new SyncEngine({ adapter, store, mapping, source }).run();
 */
export class QuickBooksAdapter implements ErpAdapter {
  readonly name = 'QuickBooks Online';
  readonly limits: ErpLimits;
  private readonly qbo: NodeQuickBooks;
  private readonly auth: TokenManager;
  private readonly limiter: RateLimiter;
  private readonly q: QuickBooksLimits;
  private readonly homeCurrency: string;
  private refData: Promise<{
    accounts: Map<string, NamedRef>;
    classes: Map<string, NamedRef>;
    departments: Map<string, NamedRef>;
  }> | null = null;
  private readonly accountLabel = new Map<string, string>();
  private readonly vendors = new Map<string, Promise<string>>();

  constructor(private readonly options: QuickBooksAdapterOptions) {
    this.q = {
      requestsPerWindow: 500,
      batchesPerWindow: 40,
      maxConcurrent: 10,
      windowMs: 60_000,
      maxBatchSize: 30,
      requestTimeoutMs: 120_000,
      ...options.limits,
    };
    this.limits = {
      maxBatchSize: options.batch === false ? 1 : this.q.maxBatchSize,
      maxConcurrent: this.q.maxConcurrent,
      requestTimeoutMs: this.q.requestTimeoutMs,
    };
    this.homeCurrency = (options.homeCurrency ?? 'USD').toUpperCase();
    const endpoint =
      options.endpoint ??
      (options.sandbox
        ? 'https://sandbox-quickbooks.api.intuit.com/v3/company/'
        : 'https://quickbooks.api.intuit.com/v3/company/');
    this.qbo = createNodeQuickBooks({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      accessToken: options.tokens.accessToken,
      refreshToken: options.tokens.refreshToken,
      realmId: options.realmId,
      endpoint: endpoint.endsWith('/') ? endpoint : `${endpoint}/`,
      minorVersion: options.minorVersion ?? 75,
    });
    this.auth = new TokenManager({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      tokens: options.tokens,
      ...(options.tokenUrl ? { tokenUrl: options.tokenUrl } : {}),
      ...(options.onTokens ? { onTokens: options.onTokens } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    const throttle = options.throttle ?? true;
    this.limiter = new RateLimiter({
      maxConcurrent: this.q.maxConcurrent,
      windows: throttle
        ? [
            { name: 'all', limit: this.q.requestsPerWindow, windowMs: this.q.windowMs },
            { name: 'batch', limit: this.q.batchesPerWindow, windowMs: this.q.windowMs },
          ]
        : [],
      // slots are dated at completion (see RateLimiter); a few ms more absorb clock granularity
      marginMs: throttle ? 5 : 0,
      ...(options.now
        ? { clock: { now: options.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) } }
        : {}),
    });
  }

  /** One API call through the throttle, with token refresh on 401 and classification of failures. */
  private async request<T>(
    kind: 'batch' | 'single',
    fn: (qbo: NodeQuickBooks) => (cb: Parameters<Parameters<typeof call>[0]>[0]) => void,
  ): Promise<QboResult<T>> {
    const windows = kind === 'batch' ? ['all', 'batch'] : ['all'];
    for (let attempt = 0; ; attempt++) {
      this.qbo.token = await this.auth.accessToken();
      try {
        return await this.limiter.run(windows, () => call<T>(fn(this.qbo)));
      } catch (err) {
        if (err instanceof QboHttpError && err.status === 401 && attempt === 0) {
          await this.auth.refresh();
          continue;
        }
        const e = classifyError(err);
        if (e.kind === 'rate_limited')
          this.limiter.pause((this.options.now ?? Date.now)() + (e.retryAfterMs ?? 60_000));
        throw e;
      }
    }
  }

  private async query<T>(
    entity: 'Purchase' | 'Vendor' | 'Account' | 'Class' | 'Department',
    where: string,
  ): Promise<T[]> {
    const method = (
      {
        Purchase: 'findPurchases',
        Vendor: 'findVendors',
        Account: 'findAccounts',
        Class: 'findClasses',
        Department: 'findDepartments',
      } as const
    )[entity];
    const out: T[] = [];
    for (let start = 1; ; start += 1000) {
      const res = await this.request<{ QueryResponse?: Record<string, unknown> }>(
        'single',
        (qbo) => (cb) => qbo[method](`${where} startposition ${start} maxresults 1000`, cb),
      );
      const rows = (res.body.QueryResponse?.[entity] as T[] | undefined) ?? [];
      out.push(...rows);
      if (rows.length < 1000) return out;
    }
  }

  private loadRefData() {
    this.refData ??= (async () => {
      const index = (rows: Array<{ Id: string; Name?: string; FullyQualifiedName?: string }>) => {
        const m = new Map<string, NamedRef>();
        for (const r of rows) {
          const ref = { id: r.Id, name: r.Name ?? r.Id };
          m.set(`id:${r.Id}`, ref);
          if (r.Name) m.set(r.Name.toLowerCase(), ref);
          if (r.FullyQualifiedName) m.set(r.FullyQualifiedName.toLowerCase(), ref);
        }
        return m;
      };
      // inactive objects are included: posting against them yields QuickBooks' own 610 message
      const all = 'where Active IN (true, false)';
      const [accounts, classes, departments] = await Promise.all([
        this.query<{ Id: string; Name: string; FullyQualifiedName?: string }>('Account', all),
        this.query<{ Id: string; Name: string; FullyQualifiedName?: string }>('Class', all),
        this.query<{ Id: string; Name: string; FullyQualifiedName?: string }>('Department', all),
      ]);
      return { accounts: index(accounts), classes: index(classes), departments: index(departments) };
    })().catch((err) => {
      this.refData = null;
      throw err;
    });
    return this.refData;
  }

  private find1(map: Map<string, NamedRef>, key: string): NamedRef | undefined {
    return /^\d+$/.test(key)
      ? (map.get(`id:${key}`) ?? map.get(key.toLowerCase()))
      : map.get(key.toLowerCase());
  }

  /** Resolves (or creates) the vendor for a merchant name; concurrent callers share one lookup. */
  private vendorId(merchant: string): Promise<string> {
    const display = vendorDisplayName(merchant);
    const key = display.toLowerCase();
    let p = this.vendors.get(key);
    if (!p) {
      p = this.resolveVendor(display).catch((err) => {
        this.vendors.delete(key);
        throw err;
      });
      this.vendors.set(key, p);
    }
    return p;
  }

  private async resolveVendor(display: string): Promise<string> {
    const found = await this.query<{ Id: string }>(
      'Vendor',
      `where DisplayName = ${quote(display)} and Active IN (true, false)`,
    );
    if (found[0]) return found[0].Id;
    for (const name of [display, `${display.slice(0, 491)} (vendor)`]) {
      try {
        const res = await this.request<{ Id: string }>(
          'single',
          (qbo) => (cb) => qbo.createVendor({ DisplayName: name, requestId: randomUUID() }, cb),
        );
        return res.body.Id;
      } catch (err) {
        // 6240: the name is taken — by a vendor created meanwhile, or by a customer/employee
        if (!(err instanceof ErpError) || err.code !== '6240') throw err;
        const again = await this.query<{ Id: string }>(
          'Vendor',
          `where DisplayName = ${quote(name)} and Active IN (true, false)`,
        );
        if (again[0]) return again[0].Id;
      }
    }
    throw new ErpError(
      `cannot create a QuickBooks vendor for "${display}": the name is used by a customer or employee`,
      {
        kind: 'permanent',
        code: '6240',
      },
    );
  }

  async prepare(entries: JournalEntry[]): Promise<void> {
    await this.loadRefData();
    await Promise.all([...new Set(entries.map((e) => e.counterparty.name))].map((n) => this.vendorId(n)));
  }

  private async build(
    entry: JournalEntry,
    vendorId: (merchant: string) => Promise<string> = (m) => this.vendorId(m),
  ): Promise<Record<string, unknown>> {
    const ref = await this.loadRefData();
    const expense = entry.lines.find((l) => l.role === 'expense');
    const liability = entry.lines.find((l) => l.role === 'liability');
    const need = (
      map: Map<string, NamedRef>,
      key: string | undefined,
      what: string,
      field: string,
    ): NamedRef => {
      const r = key ? this.find1(map, key) : undefined;
      if (!r) {
        throw new ErpError(
          `QuickBooks has no ${what} "${key}" (${field}) — create it in QuickBooks or fix mapping.json`,
          {
            kind: 'permanent',
            code: 'reference_not_found',
          },
        );
      }
      return r;
    };
    const exp = need(ref.accounts, expense?.account, 'account', 'expense account');
    this.accountLabel.set(exp.id, expense?.account ?? exp.name);
    const liab = need(ref.accounts, liability?.account, 'account', 'liabilityAccount');
    const cls = entry.dimensions.class
      ? need(ref.classes, entry.dimensions.class, 'class', 'dimensions.class')
      : undefined;
    const dep = entry.dimensions.department
      ? need(ref.departments, entry.dimensions.department, 'department', 'dimensions.department')
      : undefined;
    const multiCurrency = this.options.multiCurrency ?? false;
    if (entry.currency !== this.homeCurrency) {
      if (!multiCurrency) {
        throw new ErpError(
          `transaction currency ${entry.currency} differs from the QuickBooks home currency ${this.homeCurrency}: turn on multicurrency (multiCurrency: true)`,
          { kind: 'permanent', code: 'currency' },
        );
      }
      if (entry.exchangeRate === undefined) {
        throw new ErpError(
          `no exchange rate ${entry.currency}→${this.homeCurrency}: add exchangeRates.${entry.currency} to mapping.json`,
          {
            kind: 'permanent',
            code: 'exchange_rate',
          },
        );
      }
    }
    return toPurchase(
      entry,
      {
        liabilityAccountId: liab.id,
        expenseAccountId: exp.id,
        vendorId: await vendorId(entry.counterparty.name),
        ...(cls ? { classId: cls.id } : {}),
        ...(dep ? { departmentId: dep.id } : {}),
      },
      { multiCurrency, homeCurrency: this.homeCurrency },
    );
  }

  /** Vendors a dry run found missing (rendered as creates once, then referred to by name). */
  private readonly plannedVendors = new Set<string>();

  /**
   * The requests `prepare` and `post` would send for these entries — vendor creates for merchants
   * QuickBooks does not know yet, then the batch (or single) Purchase create — without sending any of
   * them. Reads (the chart of accounts, vendor lookups) go to QuickBooks. A Purchase whose vendor would be
   * created first names it as `EntityRef.value: "(new vendor: <name>)"`.
   */
  async render(entries: JournalEntry[]): Promise<RenderedRequest[]> {
    await this.loadRefData();
    const out: RenderedRequest[] = [];
    const path = (resource: string) =>
      `POST /v3/company/${this.options.realmId}/${resource}?minorversion=${this.options.minorVersion ?? 75}`;
    const known = new Map<string, string>();
    for (const name of new Set(entries.map((e) => vendorDisplayName(e.counterparty.name)))) {
      const cached = this.vendors.get(name.toLowerCase());
      const found = cached
        ? [{ Id: await cached }]
        : await this.query<{ Id: string }>(
            'Vendor',
            `where DisplayName = ${quote(name)} and Active IN (true, false)`,
          );
      if (found[0]) known.set(name, found[0].Id);
      else if (!this.plannedVendors.has(name)) {
        this.plannedVendors.add(name);
        out.push({
          name: 'vendor.json',
          body: `${JSON.stringify({ DisplayName: name }, null, 2)}\n`,
          description: `${path('vendor')}: create the vendor "${name}"`,
          externalRefs: [],
        });
      }
    }
    const vendorId = async (merchant: string) => {
      const name = vendorDisplayName(merchant);
      return known.get(name) ?? `(new vendor: ${name})`;
    };
    const ready: Array<{ entry: JournalEntry; purchase: Record<string, unknown> }> = [];
    for (const entry of entries) {
      try {
        ready.push({ entry, purchase: await this.build(entry, vendorId) });
      } catch (err) {
        const e = classifyError(err);
        if (e.kind !== 'permanent') throw e;
        out.push({
          name: 'rejected.txt',
          body: `${entry.externalRef}: not sent — ${e.message}\n`,
          description: `nothing is sent for ${entry.externalRef}: ${e.message}`,
          externalRefs: [entry.externalRef],
        });
      }
    }
    if (ready.length === 1 || (ready.length > 1 && this.options.batch === false)) {
      for (const r of ready) {
        out.push({
          name: 'purchase.json',
          body: `${JSON.stringify(r.purchase, null, 2)}\n`,
          description: `${path('purchase')}&requestid=<uuid>: create the Purchase for ${r.entry.externalRef}`,
          externalRefs: [r.entry.externalRef],
        });
      }
    } else if (ready.length > 1) {
      out.push({
        name: 'batch.json',
        body: `${JSON.stringify({ BatchItemRequest: this.batchItems(ready) }, null, 2)}\n`,
        description: `${path('batch')}: create ${ready.length} Purchases in one batch`,
        externalRefs: ready.map((r) => r.entry.externalRef),
      });
    }
    return out;
  }

  private batchItems(ready: Array<{ purchase: Record<string, unknown> }>) {
    return ready.map((r, i) => ({ bId: `b${i}`, operation: 'create', Purchase: r.purchase }));
  }

  async post(entries: JournalEntry[]): Promise<PostOutcome[]> {
    const outcomes: PostOutcome[] = [];
    const ready: Array<{ entry: JournalEntry; purchase: Record<string, unknown> }> = [];
    for (const entry of entries) {
      try {
        ready.push({ entry, purchase: await this.build(entry) });
      } catch (err) {
        const e = classifyError(err);
        if (e.kind !== 'permanent') throw e;
        outcomes.push({ externalRef: entry.externalRef, ok: false, error: e });
      }
    }
    if (ready.length === 0) return outcomes;
    if (ready.length === 1 || this.options.batch === false) {
      for (const r of ready) outcomes.push(await this.postOne(r.entry, r.purchase));
      return outcomes;
    }
    const items = this.batchItems(ready);
    const res = await this.request<{ BatchItemResponse?: Array<Record<string, unknown>> }>(
      'batch',
      (qbo) => (cb) => qbo.batch(items, cb),
    );
    const byId = new Map((res.body.BatchItemResponse ?? []).map((r) => [String(r.bId), r]));
    ready.forEach((r, i) => {
      const item = byId.get(`b${i}`);
      if (!item) return; // no outcome: the engine treats it as in doubt
      const purchase = item.Purchase as { Id?: string } | undefined;
      if (purchase?.Id) outcomes.push({ externalRef: r.entry.externalRef, ok: true, erpId: purchase.Id });
      else {
        const f = faultErrors(item);
        outcomes.push({
          externalRef: r.entry.externalRef,
          ok: false,
          error: f
            ? classifyFault(f.type, f.errors)
            : new ErpError('batch item without Purchase or Fault', { kind: 'transient' }),
        });
      }
    });
    return outcomes;
  }

  /** Single create with a `requestid`: a network-level retry of the same request is replayed, not re-applied. */
  private async postOne(entry: JournalEntry, purchase: Record<string, unknown>): Promise<PostOutcome> {
    const requestId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.request<{ Id: string }>(
          'single',
          (qbo) => (cb) => qbo.createPurchase({ ...purchase, requestId }, cb),
        );
        return { externalRef: entry.externalRef, ok: true, erpId: res.body.Id };
      } catch (err) {
        const e = classifyError(err);
        if (e.kind === 'transient' && attempt < 2) continue;
        if (e.kind === 'permanent') return { externalRef: entry.externalRef, ok: false, error: e };
        throw e;
      }
    }
  }

  private async toPosting(p: Record<string, unknown>, ref: string): Promise<ErpPosting> {
    const lines =
      (p.Line as Array<{
        Amount?: number;
        AccountBasedExpenseLineDetail?: { AccountRef?: { value?: string } };
      }>) ?? [];
    const currency = String(
      (p.CurrencyRef as { value?: string } | undefined)?.value ?? this.homeCurrency,
    ).toUpperCase();
    const sum = lines.reduce((s, l) => s + toMinor(l.Amount ?? 0, currency), 0);
    const accountId = String(lines[0]?.AccountBasedExpenseLineDetail?.AccountRef?.value ?? '');
    let account = this.accountLabel.get(accountId);
    if (!account) {
      const refData = await this.loadRefData();
      account = refData.accounts.get(`id:${accountId}`)?.name ?? accountId;
    }
    return {
      externalRef: ref,
      erpId: String(p.Id),
      date: String(p.TxnDate),
      account,
      amount: p.Credit === true ? -sum : sum,
      currency,
    };
  }

  async find(externalRefs: string[]): Promise<Map<string, ErpPosting>> {
    const out = new Map<string, ErpPosting>();
    const byDoc = new Map(externalRefs.map((r) => [docNumberFor(r), r]));
    for (const group of chunks([...byDoc.keys()], 30)) {
      const rows = await this.query<Record<string, unknown>>(
        'Purchase',
        `where DocNumber IN (${group.map(quote).join(', ')})`,
      );
      for (const p of rows) {
        const ref = byDoc.get(String(p.DocNumber));
        // DocNumber is not unique in QuickBooks: confirm with the marker in PrivateNote
        if (ref && String(p.PrivateNote ?? '').includes(referenceMarker(ref)))
          out.set(ref, await this.toPosting(p, ref));
      }
    }
    return out;
  }

  async list(range: { from: string; to: string }): Promise<ErpPosting[]> {
    const rows = await this.query<Record<string, unknown>>(
      'Purchase',
      `where TxnDate >= ${quote(range.from)} and TxnDate <= ${quote(range.to)}`,
    );
    const out: ErpPosting[] = [];
    for (const p of rows) {
      const m = /\[openissuing:([^\]]+)\]/.exec(String(p.PrivateNote ?? ''));
      if (m?.[1]) out.push(await this.toPosting(p, m[1]));
    }
    return out;
  }
}

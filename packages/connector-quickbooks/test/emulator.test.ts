import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createNodeQuickBooks } from '../src/index.js';
import {
  QBO_SANDBOX,
  QuickBooksEmulator,
  type RunningEmulator,
  startQuickBooksEmulator,
} from '../src/testing/index.js';
import { quickBooksHandlers } from '../src/testing/msw.js';
import { at, must } from './helpers.js';

/** A manual clock so throttling windows and token expiry are tested without waiting. */
const clock = { t: Date.parse('2026-11-20T12:00:00Z'), now: () => clock.t };

let server: RunningEmulator;
let token: string;
let refreshToken: string;
let base: string;

beforeAll(async () => {
  server = await startQuickBooksEmulator({ now: clock.now, multiCurrency: false });
  ({ accessToken: token, refreshToken } = server.emulator.issueTokens());
  base = `${server.endpoint}${server.emulator.realmId}`;
});
afterAll(async () => {
  await server.close();
});

// biome-ignore lint/suspicious/noExplicitAny: JSON response bodies are navigated freely in assertions
type Json = any;

async function api(method: string, path: string, body?: unknown, auth = token) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${auth}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json().catch(() => null)) as Record<string, Json>,
  };
}

const id = (entity: string, name: string) =>
  must(
    server.emulator.company.list(entity as 'Account').find((x) => x.Name === name || x.DisplayName === name),
    name,
  ).Id;

function purchase(extra: Record<string, unknown> = {}) {
  return {
    PaymentType: 'CreditCard',
    AccountRef: { value: id('Account', 'OpenIssuing Card') },
    TxnDate: '2026-11-20',
    Line: [
      {
        Amount: 12.5,
        DetailType: 'AccountBasedExpenseLineDetail',
        AccountBasedExpenseLineDetail: { AccountRef: { value: id('Account', 'Advertising') } },
      },
    ],
    ...extra,
  };
}

const firstError = (r: { body: Record<string, Json> }) => r.body.Fault.Error[0];

describe('authentication', () => {
  it('answers a missing or expired bearer token with the lowercase 3200 body', async () => {
    const r = await api('GET', '/purchase/1', undefined, 'nope');
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({
      warnings: null,
      intuitObject: null,
      fault: {
        error: [
          {
            message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
            code: '3200',
            element: null,
          },
        ],
        type: 'AUTHENTICATION',
      },
      batchItemResponse: [],
      requestId: null,
      cdcresponse: [],
    });
    expect(typeof r.body.time).toBe('number');
    expect(r.body.Fault).toBeUndefined();
  });

  it('refreshes tokens at the OAuth2 endpoint with client credentials', async () => {
    const basic = Buffer.from(`${server.emulator.clientId}:${server.emulator.clientSecret}`).toString(
      'base64',
    );
    const form = (rt: string) =>
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt }).toString();
    const ok = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form(refreshToken),
    });
    const t = (await ok.json()) as Record<string, unknown>;
    expect(t).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
    expect(
      (
        await api(
          'GET',
          `/query?query=${encodeURIComponent('select count(*) from Account')}`,
          undefined,
          String(t.access_token),
        )
      ).status,
    ).toBe(200);
    const bad = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form('not-a-refresh-token'),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_grant' });
  });

  it('expires access tokens after their lifetime', async () => {
    const short = server.emulator.issueTokens();
    clock.t += 3_600_001;
    const r = await api('GET', '/purchase/1', undefined, short.accessToken);
    expect(r.status).toBe(401);
    expect(r.body.fault.error[0].detail).toBe('Token expired');
    ({ accessToken: token } = server.emulator.issueTokens());
  });
});

describe('Purchase validation', () => {
  it('creates a valid credit-card purchase and computes TotalAmt', async () => {
    const r = await api('POST', '/purchase', purchase({ DocNumber: 'A1', PrivateNote: 'ok' }));
    expect(r.status).toBe(200);
    expect(r.body.Purchase).toMatchObject({
      SyncToken: '0',
      TotalAmt: 12.5,
      Credit: false,
      DocNumber: 'A1',
      domain: 'QBO',
    });
    expect(r.body.Purchase.Id).toMatch(/^\d+$/);
    expect(r.body.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('uses the ValidationFault body with Message, Detail, code and element', async () => {
    const r = await api('POST', '/purchase', { ...purchase(), PaymentType: undefined });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body).sort()).toEqual(['Fault', 'time']);
    expect(r.body.Fault.type).toBe('ValidationFault');
    expect(firstError(r)).toEqual({
      Message: 'Required param missing, need to supply the required value for the API',
      Detail: 'Required parameter PaymentType is missing in the request',
      code: '2020',
      element: 'PaymentType',
    });
  });

  it('enforces DocNumber (21) and PrivateNote (4000) lengths', async () => {
    const doc = await api('POST', '/purchase', purchase({ DocNumber: 'x'.repeat(22) }));
    expect(firstError(doc)).toMatchObject({
      code: '2050',
      element: 'DocNumber',
      Detail: expect.stringContaining('Max:21 supported. Supplied length:22'),
    });
    expect((await api('POST', '/purchase', purchase({ DocNumber: 'x'.repeat(21) }))).status).toBe(200);
    const note = await api('POST', '/purchase', purchase({ PrivateNote: 'n'.repeat(4001) }));
    expect(firstError(note)).toMatchObject({
      code: '2050',
      element: 'PrivateNote',
      Detail: expect.stringContaining('Max:4000'),
    });
  });

  it('rejects unknown enumerations, missing lines and Credit on non-card purchases', async () => {
    expect(firstError(await api('POST', '/purchase', purchase({ PaymentType: 'Bitcoin' })))).toMatchObject({
      code: '2170',
    });
    expect(firstError(await api('POST', '/purchase', purchase({ Line: [] })))).toMatchObject({
      code: '6000',
      Detail: expect.stringContaining('at least one split line'),
    });
    const cash = await api(
      'POST',
      '/purchase',
      purchase({ PaymentType: 'Cash', AccountRef: { value: id('Account', 'Checking') }, Credit: true }),
    );
    expect(firstError(cash)).toMatchObject({ code: '6000', element: 'Credit' });
    const noLineAccount = purchase();
    (at(noLineAccount.Line, 0) as Record<string, unknown>).AccountBasedExpenseLineDetail = {};
    expect(firstError(await api('POST', '/purchase', noLineAccount))).toMatchObject({ code: '2020' });
  });

  it('answers references to missing objects with 2500 and inactive ones with 610', async () => {
    expect(
      firstError(await api('POST', '/purchase', purchase({ AccountRef: { value: '99999' } }))),
    ).toMatchObject({
      code: '2500',
      element: 'AccountRef',
    });
    server.emulator.company.createNameList('Account', { Name: 'Old Card', AccountType: 'Credit Card' });
    server.emulator.deactivate('Account', 'Old Card');
    const r = await api('POST', '/purchase', purchase({ AccountRef: { value: id('Account', 'Old Card') } }));
    expect(firstError(r)).toMatchObject({
      Message: 'Object Not Found',
      code: '610',
      Detail: expect.stringContaining('has been made inactive'),
    });
    expect(firstError(await api('GET', '/purchase/424242'))).toMatchObject({
      code: '610',
      Message: 'Object Not Found',
    });
  });

  it('requires multicurrency for a foreign CurrencyRef', async () => {
    const r = await api('POST', '/purchase', purchase({ CurrencyRef: { value: 'EUR' }, ExchangeRate: 1.1 }));
    expect(firstError(r)).toMatchObject({ code: '6000', element: 'CurrencyRef' });
  });
});

describe('name lists and concurrency control', () => {
  it('rejects a duplicate vendor DisplayName (6240), case-insensitively, across customers too', async () => {
    expect((await api('POST', '/vendor', { DisplayName: 'Acme Ads' })).status).toBe(200);
    const dup = await api('POST', '/vendor', { DisplayName: 'acme ads' });
    expect(firstError(dup)).toMatchObject({ Message: 'Duplicate Name Exists Error', code: '6240' });
    await api('POST', '/customer', { DisplayName: 'Both Ways' });
    expect(firstError(await api('POST', '/vendor', { DisplayName: 'Both Ways' }))).toMatchObject({
      code: '6240',
    });
    expect(firstError(await api('POST', '/vendor', { DisplayName: 'Bad: Name' }))).toMatchObject({
      code: '6000',
    });
  });

  it('rejects updates with a stale SyncToken (5010)', async () => {
    const created = (await api('POST', '/purchase', purchase())).body.Purchase;
    const ok = await api('POST', '/purchase?operation=update', {
      Id: created.Id,
      SyncToken: '0',
      sparse: true,
      PrivateNote: 'v1',
    });
    expect(ok.body.Purchase.SyncToken).toBe('1');
    const staleUpdate = await api('POST', '/purchase?operation=update', {
      Id: created.Id,
      SyncToken: '0',
      sparse: true,
      PrivateNote: 'v2',
    });
    expect(firstError(staleUpdate)).toMatchObject({ code: '5010', Message: 'Stale Object Error' });
  });
});

describe('requestid', () => {
  it('replays the original response instead of creating twice', async () => {
    const before = server.emulator.purchases().length;
    const a = await api('POST', '/purchase?requestid=req-123', purchase({ DocNumber: 'R1' }));
    const b = await api('POST', '/purchase?requestid=req-123', purchase({ DocNumber: 'R1' }));
    expect(b.body).toEqual(a.body);
    expect(server.emulator.purchases().length).toBe(before + 1);
    const long = await api('POST', `/purchase?requestid=${'r'.repeat(51)}`, purchase());
    expect(firstError(long)).toMatchObject({ element: 'requestid' });
  });
});

describe('batch', () => {
  it('answers each item by bId: entity, Fault or QueryResponse', async () => {
    const r = await api('POST', '/batch', {
      BatchItemRequest: [
        { bId: 'b1', operation: 'create', Purchase: purchase({ DocNumber: 'B1' }) },
        { bId: 'b2', operation: 'create', Purchase: purchase({ DocNumber: 'y'.repeat(30) }) },
        { bId: 'b3', Query: "select * from Purchase where DocNumber = 'B1'" },
      ],
    });
    expect(r.status).toBe(200);
    const [one, two, three] = r.body.BatchItemResponse;
    expect(one).toMatchObject({ bId: 'b1', Purchase: { DocNumber: 'B1' } });
    expect(two).toMatchObject({
      bId: 'b2',
      Fault: { type: 'ValidationFault', Error: [{ code: '2050', element: 'DocNumber' }] },
    });
    expect(three.bId).toBe('b3');
    // the query runs after the create in the same batch: it finds exactly the purchase b1 made
    expect(three.QueryResponse.Purchase).toHaveLength(1);
    expect(three.QueryResponse.Purchase[0]).toMatchObject({ Id: one.Purchase.Id, DocNumber: 'B1' });
  });

  it('rejects more than 30 items', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({
      bId: `b${i}`,
      operation: 'create',
      Purchase: purchase(),
    }));
    const r = await api('POST', '/batch', { BatchItemRequest: items });
    expect(r.status).toBe(400);
    expect(firstError(r)).toMatchObject({ code: '1040', Message: 'Batch size exceeds allowed limit' });
  });

  it('limits bId to 10 characters when a requestid is given', async () => {
    const r = await api('POST', '/batch?requestid=batch-1', {
      BatchItemRequest: [{ bId: 'elevenchars', operation: 'create', Purchase: purchase() }],
    });
    expect(r.body.BatchItemResponse[0].Fault.Error[0]).toMatchObject({ element: 'bId' });
  });
});

describe('query', () => {
  it('finds purchases by DocNumber (=, IN) and by TxnDate range, with paging limits', async () => {
    await api('POST', '/purchase', purchase({ DocNumber: 'Q1', TxnDate: '2026-10-01' }));
    await api('POST', '/purchase', purchase({ DocNumber: 'Q2', TxnDate: '2026-10-02' }));
    const q = (s: string) => api('GET', `/query?query=${encodeURIComponent(s)}&minorversion=75`);
    const inList = await q("select * from Purchase where DocNumber IN ('Q1', 'Q2', 'nope')");
    expect(inList.body.QueryResponse.Purchase.map((p: { DocNumber: string }) => p.DocNumber).sort()).toEqual([
      'Q1',
      'Q2',
    ]);
    const range = await q("select * from Purchase where TxnDate >= '2026-10-02' and TxnDate <= '2026-10-31'");
    expect(range.body.QueryResponse.Purchase).toHaveLength(1);
    expect((await q('select count(*) from Purchase')).body.QueryResponse.totalCount).toBeGreaterThan(3);
    expect(firstError(await q('select * from Purchase maxresults 1001'))).toMatchObject({ code: '4000' });
    expect(firstError(await q('delete from Purchase'))).toMatchObject({ code: '4000' });
    // name lists hide inactive objects unless the query asks for them
    const hidden = await q("select * from Account where Name = 'Old Card'");
    expect(hidden.body.QueryResponse.Account).toBeUndefined();
    const shown = await q("select * from Account where Name = 'Old Card' and Active IN (true, false)");
    expect(shown.body.QueryResponse.Account).toHaveLength(1);
  });
});

describe('throttling (documented limits on a scaled clock)', () => {
  it('allows 40 batch requests per window, then 429 with Retry-After', async () => {
    clock.t += 120_000; // fresh windows
    const batch = { BatchItemRequest: [{ bId: 'q', Query: 'select count(*) from Account' }] };
    for (let i = 0; i < 40; i++) expect((await api('POST', '/batch', batch)).status).toBe(200);
    const r = await api('POST', '/batch', batch);
    expect(r.status).toBe(429);
    expect(firstError(r)).toMatchObject({ code: '3001' });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    // plain requests still pass until the 500/window limit
    expect(
      (await api('GET', `/query?query=${encodeURIComponent('select count(*) from Account')}`)).status,
    ).toBe(200);
    clock.t += 60_000;
    expect((await api('POST', '/batch', batch)).status).toBe(200);
  });

  it('allows 500 requests per window per realm', async () => {
    clock.t += 120_000;
    const path = `/query?query=${encodeURIComponent('select count(*) from Class')}`;
    const statuses: number[] = [];
    for (let i = 0; i < 501; i++) statuses.push((await api('GET', path)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(500);
    expect(statuses.at(-1)).toBe(429);
  });

  it('allows 10 concurrent requests per realm', async () => {
    const slow = await startQuickBooksEmulator({ latencyMs: 150 });
    const t = slow.emulator.issueTokens();
    const url = `${slow.endpoint}${slow.emulator.realmId}/query?query=${encodeURIComponent('select count(*) from Class')}`;
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        fetch(url, { headers: { authorization: `Bearer ${t.accessToken}` } }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    await slow.close();
  });
});

describe('fault injection', () => {
  it('500 applies nothing; timeout and reset apply and then fail', async () => {
    clock.t += 120_000;
    const count = () => server.emulator.purchases().length;
    let n = count();
    server.emulator.failNext('500');
    expect((await api('POST', '/purchase', purchase())).status).toBe(500);
    expect(count()).toBe(n);
    server.emulator.failNext('timeout');
    expect((await api('POST', '/purchase', purchase())).status).toBe(504);
    expect(count()).toBe(n + 1);
    n = count();
    server.emulator.failNext('reset');
    // the connection is cut after applying: fetch fails with the socket error, no response at all
    await expect(api('POST', '/purchase', purchase())).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: expect.objectContaining({ code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/) }),
    });
    expect(count()).toBe(n + 1);
  });
});

describe('msw handlers', () => {
  it('serve node-quickbooks on the real sandbox host in-process', async () => {
    const emu = new QuickBooksEmulator();
    const msw = setupServer(...quickBooksHandlers(emu));
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      const t = emu.issueTokens();
      const qbo = createNodeQuickBooks({
        clientId: emu.clientId,
        clientSecret: emu.clientSecret,
        accessToken: t.accessToken,
        refreshToken: t.refreshToken,
        realmId: emu.realmId,
        endpoint: `${QBO_SANDBOX}/v3/company/`,
        minorVersion: 75,
      });
      const created = await call<{ Id: string; DisplayName: string }>((cb) =>
        qbo.createVendor({ DisplayName: 'Via msw' }, cb),
      );
      expect(created.body).toMatchObject({ DisplayName: 'Via msw' });
      const found = await call<{ QueryResponse: { Vendor: unknown[] } }>((cb) =>
        qbo.findVendors("where DisplayName = 'Via msw'", cb),
      );
      expect(found.body.QueryResponse.Vendor).toHaveLength(1);
      await expect(call((cb) => qbo.createVendor({ DisplayName: 'via MSW' }, cb))).rejects.toMatchObject({
        status: 400,
        body: { Fault: { Error: [{ code: '6240' }] } },
      });
    } finally {
      msw.close();
    }
  });
});

import { ErpError } from '@openissuing/connector-core';
import cds from '@sap/cds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SapAdapter, type SapAdapterOptions } from '../src/index.js';
import { type RunningSapEmulator, startSapEmulator } from '../src/testing/index.js';
import { adapterFor, bookings, entriesFor, makeTransactions, mapping, must } from './helpers.js';

let server: RunningSapEmulator;
beforeAll(async () => {
  server = await startSapEmulator();
});
afterAll(() => server.close());

describe('SapAdapter against the emulator, through @sap/cds', () => {
  it('posts a bulk request, finds every entry again and lists them with their amounts', async () => {
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(30, 11));
    const postsBefore = server.emulator.stats.posts;
    const outcomes = await adapter.post(entries);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.emulator.stats.posts - postsBefore).toBe(1); // all 30 in one bulk request
    const erpIds = outcomes.map((o) => (o.ok ? o.erpId : ''));
    expect(erpIds[0]).toMatch(/^\d{10}\/1010\/2026$/);
    const found = await adapter.find(entries.map((e) => e.externalRef));
    expect(found.size).toBe(30);
    const e0 = must(entries[0]);
    const p0 = must(found.get(e0.externalRef));
    expect(p0.erpId).toBe(erpIds[0]);
    expect(p0.account).toBe(must(e0.lines[0]).account);
    expect(p0.amount).toBe(e0.kind === 'refund' ? -must(e0.lines[0]).amount : must(e0.lines[0]).amount);
    expect(p0.date).toBe(e0.date);
    expect(p0.currency).toBe('EUR');
    const listed = await adapter.list({ from: '2026-11-01', to: '2026-11-30' });
    expect(new Set(listed.map((p) => p.externalRef))).toEqual(new Set(entries.map((e) => e.externalRef)));
  });

  it("sends the engine's submission id as the bulk MessageHeader/ID, and nothing once the run is stopped", async () => {
    const emulator = server.emulator;
    const bodies: string[] = [];
    const handle = emulator.handle.bind(emulator);
    emulator.handle = (req) => {
      if (req.method === 'POST') bodies.push(req.body);
      return handle(req);
    };
    try {
      const adapter = adapterFor(server);
      const [first, second] = entriesFor(makeTransactions(2, 39));
      const outcomes = await adapter.post([must(first)], undefined, {
        submissionId: '0b7c4a52-9f1e-4d43-a0f5-3c1d2e4f5a6b',
      });
      expect(outcomes.map((o) => o.ok)).toEqual([true]);
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatch(
        /<sfin:JournalEntryBulkCreateRequest [^>]*><MessageHeader><ID>0B7C4A529F1E4D43A0F53C1D2E4F5A6B<\/ID>/,
      );
      const posts = emulator.stats.posts;
      await expect(adapter.post([must(second)], AbortSignal.abort())).rejects.toMatchObject({
        name: 'AbortError',
        message: 'This operation was aborted',
      });
      expect(emulator.stats.posts).toBe(posts);
      expect(bodies).toHaveLength(1);
    } finally {
      emulator.handle = handle;
    }
  });

  it("isolates a bad entry: its permanent error carries SAP's TypeID and Note, the others are booked", async () => {
    const adapter = adapterFor(server);
    const [good, bad] = entriesFor(makeTransactions(2, 12));
    const wrong = {
      ...must(bad),
      lines: must(bad).lines.map((l) => (l.role === 'expense' ? { ...l, account: '69999999' } : l)),
    };
    const outcomes = await adapter.post([must(good), wrong]);
    expect(outcomes[0]?.ok).toBe(true);
    const failed = must(outcomes.find((o) => !o.ok));
    if (failed.ok) throw new Error('unreachable');
    expect(failed.error.kind).toBe('permanent');
    expect(failed.error.code).toBe('507(F5)');
    expect(failed.error.message).toBe(
      'SAP rejected the journal entry: 609(RW) Error in document: BKPFF $ OIEMUCLNT100; 507(F5) G/L account 69999999 is not defined in chart of accounts YCOA; 004(FH) Account 69999999 does not exist in chart of accounts YCOA',
    );
    expect((await adapter.find([wrong.externalRef])).size).toBe(0);
  });

  it('treats a SOAP fault or 5xx as transient, and finds the documents a lost response booked', async () => {
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(3, 13));
    server.emulator.failNext('500');
    await expect(adapter.post(entries)).rejects.toMatchObject({ kind: 'transient' });
    expect((await adapter.find(entries.map((e) => e.externalRef))).size).toBe(0);
    server.emulator.failNext('timeout');
    const err = (await adapter.post(entries).catch((e) => e)) as ErpError;
    expect(err).toBeInstanceOf(ErpError);
    expect(err.kind).toBe('transient');
    // the documents were booked although the answer was a 504: find proves it
    expect((await adapter.find(entries.map((e) => e.externalRef))).size).toBe(3);
    server.emulator.failNext('reset');
    const more = entriesFor(makeTransactions(2, 14));
    await expect(adapter.post(more)).rejects.toMatchObject({ kind: 'transient' });
    expect((await adapter.find(more.map((e) => e.externalRef))).size).toBe(2);
  });

  it('honours Retry-After on 429/503 as a rate limit (nothing booked)', async () => {
    const adapter = adapterFor(server);
    server.emulator.failNext('503');
    const err = (await adapter.post(entriesFor(makeTransactions(1, 15))).catch((e) => e)) as ErpError;
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(1000);
  });

  it('stops with a fatal error on wrong credentials, without the password in the message', async () => {
    const adapter = new SapAdapter({
      connection: { url: server.url, username: server.emulator.username, password: 'wrong-secret-123' },
      mapping: mapping.sap,
      cds: cds as unknown as SapAdapterOptions['cds'],
    });
    const err = (await adapter.find(['itxn_x']).catch((e) => e)) as ErpError;
    expect(err.kind).toBe('fatal');
    expect(err.message).toMatch(/HTTP 401.*communication user/);
    expect(JSON.stringify({ m: err.message, s: err.stack })).not.toContain('wrong-secret-123');
  });

  it('authenticates with OAuth 2.0 client credentials', async () => {
    const adapter = new SapAdapter({
      connection: {
        url: server.url,
        oauth: {
          tokenUrl: server.tokenUrl,
          clientId: server.emulator.clientId,
          clientSecret: server.emulator.clientSecret,
        },
      },
      mapping: mapping.sap,
      cds: cds as unknown as SapAdapterOptions['cds'],
    });
    const entries = entriesFor(makeTransactions(2, 16));
    expect((await adapter.post(entries)).every((o) => o.ok)).toBe(true);
    expect((await adapter.find(entries.map((e) => e.externalRef))).size).toBe(2);
  });

  it('reaches SAP through a BTP destination (CAP resolves it from the destinations env var)', async () => {
    process.env.destinations = JSON.stringify([
      {
        name: 'S4HANA_EMULATOR',
        url: server.url,
        username: server.emulator.username,
        password: server.emulator.password,
      },
    ]);
    try {
      const adapter = new SapAdapter({
        connection: { destination: 'S4HANA_EMULATOR' },
        mapping: mapping.sap,
        cds: cds as unknown as SapAdapterOptions['cds'],
      });
      const entries = entriesFor(makeTransactions(2, 17));
      expect((await adapter.post(entries)).every((o) => o.ok)).toBe(true);
      expect((await adapter.find(entries.map((e) => e.externalRef))).size).toBe(2);
    } finally {
      delete process.env.destinations;
    }
  });

  it('keeps a reversed document out of list (and reports it), but find still sees it so it is never booked twice', async () => {
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(2, 18));
    const outcomes = await adapter.post(entries);
    const [doc, cc, year] = (must(outcomes[0]).ok ? (outcomes[0] as { erpId: string }).erpId : '').split('/');
    const reversal = server.emulator.reverse(must(cc), must(doc), must(year));
    const ref = must(entries[0]).externalRef;
    const listed = await adapter.list({ from: '2026-11-01', to: '2026-11-30' });
    expect(listed.some((p) => p.externalRef === ref)).toBe(false);
    expect(listed.some((p) => p.externalRef === must(entries[1]).externalRef)).toBe(true);
    expect(adapter.lastReversed).toEqual([
      {
        externalRef: ref,
        erpId: `${doc}/${cc}/${year}`,
        reversedBy: reversal.accountingDocument,
        date: must(entries[0]).date,
      },
    ]);
    expect((await adapter.find([ref])).get(ref)?.erpId).toBe(`${doc}/${cc}/${year}`);
  });

  it('keeps cube URLs short by chunking references', async () => {
    const adapter = adapterFor(server);
    const entries = entriesFor(makeTransactions(120, 19));
    const refs = entries.map((e) => e.externalRef);
    // two of the 120 are booked first: the chunked lookup must find exactly those, in whichever chunk
    expect((await adapter.post(entries.slice(0, 2))).every((o) => o.ok)).toBe(true);
    const before = server.emulator.stats.queries;
    expect([...(await adapter.find(refs)).keys()].sort()).toEqual(refs.slice(0, 2).sort());
    expect(server.emulator.stats.queries - before).toBe(12);
    // plain GETs under CAP's 1028-character limit (else CAP would send a $batch)
    expect(server.emulator.stats.maxQueryUrlLength).toBeLessThan(1028);
    const booked = bookings(server.emulator.documents());
    expect(refs.map((r) => booked.get(r) ?? 0)).toEqual([1, 1, ...Array<number>(118).fill(0)]);
  });
});

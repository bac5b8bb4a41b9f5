import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { ErpError, MemoryErp, type MemoryErpOptions } from '../src/index.js';
import { at, closeStores, syncFixture } from './helpers.js';

afterAll(closeStores);

async function sync(n: number, seed: number, erp: MemoryErp, extra: { maxAttempts?: number } = {}) {
  return syncFixture({ txs: n, seed, adapter: erp, engine: { retry: extra, random: () => 0.5 } });
}

const erpWith = (o: MemoryErpOptions) =>
  new MemoryErp({ limits: { maxBatchSize: 5, maxConcurrent: 1 }, ...o });

describe('the fault model: whole requests', () => {
  it('a lost response after the ERP applied the batch: the entries are looked up, found, never re-posted', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'transient', applied: true });
    const { txs, engine } = await sync(5, 1, erp);
    const report = await engine.run();
    expect(report).toMatchObject({ posted: 0, foundExisting: 5, retries: 5 });
    for (const t of txs) {
      expect(erp.count(t.id)).toBe(1);
      expect(erp.submissions(t.id)).toBe(1);
    }
  });

  it('after a failed lookup, in-doubt entries stay in doubt and are looked up again — never re-posted blind', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'transient', applied: true });
    erp.failNextFind({ kind: 'transient' }, 2);
    const { txs, engine, store } = await sync(5, 2, erp);
    const report = await engine.run();
    expect(erp.finds).toBe(3);
    expect(report.foundExisting).toBe(5);
    for (const t of txs) expect(erp.submissions(t.id)).toBe(1);
    expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 5, dead: 0 });
  });

  it('a fatal lookup failure stops the run and leaves the entries in doubt', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'transient', applied: true });
    erp.failNextFind({ kind: 'fatal' });
    const { engine, store } = await sync(5, 3, erp);
    await expect(engine.run()).rejects.toMatchObject({
      kind: 'fatal',
      message: 'injected: lookup failed (fatal)',
    });
    expect(await store.counts()).toEqual({ pending: 0, in_doubt: 5, posted: 0, dead: 0 });
  });

  it('"still unknown" from find is not "absent": the entry waits in doubt and is not re-posted', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'transient', applied: false });
    erp.failNextFind({ kind: 'unknown', reason: 'held by running job 7' }, 2);
    const { txs, engine, ev } = await sync(5, 4, erp);
    const report = await engine.run();
    expect(erp.finds).toBe(3);
    // only after the ERP could tell (absent) were the entries posted again, once
    expect(report.posted).toBe(5);
    for (const t of txs) expect(erp.submissions(t.id)).toBe(2);
    expect(ev.list).toContainEqual(
      expect.objectContaining({
        type: 'retry',
        count: 5,
        message: 'the ERP cannot tell yet: held by running job 7',
      }),
    );
  });

  it('a whole-request permanent rejection dead-letters every entry of it with the ERP message, without retrying', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'permanent', message: 'Company file is read-only' });
    const { txs, engine, store } = await sync(8, 5, erp);
    const report = await engine.run();
    expect(report).toMatchObject({ deadLettered: 5, posted: 3, retries: 0 });
    const dead = await store.deadLetters();
    expect(dead.map((d) => d.externalRef)).toEqual(txs.slice(0, 5).map((t) => t.id));
    expect(dead.map((d) => [d.errorCode, d.errorMessage])).toEqual(
      Array(5).fill(['injected_permanent', 'Company file is read-only']),
    );
  });

  it('a whole-request fatal error stops the run at once; nothing was applied, so the entries are pending with no attempt counted', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'fatal', message: 'invalid_client' });
    const { engine, store } = await sync(5, 6, erp);
    await expect(engine.run()).rejects.toThrow(/^invalid_client$/);
    expect(erp.requests).toHaveLength(1);
    const items = await store.all();
    expect(items.map((i) => [i.status, i.attempts])).toEqual(Array(5).fill(['pending', 0]));
  });

  it('a rate-limited request waits Retry-After, goes again without a lookup and does not count as an attempt', async () => {
    const erp = erpWith({});
    erp.failNextPost({ kind: 'rate_limited', retryAfterMs: 7 }, 3);
    const { txs, engine, ev } = await sync(5, 7, erp, { maxAttempts: 1 });
    const report = await engine.run();
    expect(report).toMatchObject({ posted: 5, foundExisting: 0, deadLettered: 0 });
    expect(erp.finds).toBe(0);
    expect(
      ev.list.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && [e.kind, e.delayMs]),
    ).toEqual(Array(3).fill(['rate_limited', 7]));
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
  });

  it('gives up after exactly maxAttempts requests, with the last error', async () => {
    const erp = erpWith({ entryFault: () => ({ kind: 'transient', applied: false }) });
    const { txs, engine, store } = await sync(1, 8, erp, { maxAttempts: 3 });
    await engine.run();
    expect(erp.submissions(at(txs, 0).id)).toBe(3);
    const [dead] = await store.deadLetters();
    expect(dead).toMatchObject({
      attempts: 3,
      errorCode: 'retries_exhausted',
      errorMessage: 'gave up after 3 attempts; last error: injected: transient failure',
    });
  });
});

describe('the fault model: per-entry outcomes', () => {
  it('a per-entry transient failure is in doubt, not "not applied": an entry the ERP applied is found, not re-posted', async () => {
    let target = '';
    const erp = erpWith({
      entryFault: (e, attempt) =>
        e.externalRef === target && attempt === 1 ? { kind: 'transient', applied: true } : null,
    });
    const { txs, engine } = await sync(5, 9, erp);
    target = at(txs, 2).id;
    const report = await engine.run();
    expect(report).toMatchObject({ posted: 4, foundExisting: 1 });
    expect(erp.submissions(target)).toBe(1);
    expect(erp.count(target)).toBe(1);
  });

  it('entries the ERP returned no outcome for are looked up (applied) or posted again (not applied) — never dropped', async () => {
    let applied = '';
    let lost = '';
    const erp = erpWith({
      entryFault: (e, attempt) =>
        attempt > 1
          ? null
          : e.externalRef === applied
            ? { kind: 'missing', applied: true }
            : e.externalRef === lost
              ? { kind: 'missing', applied: false }
              : null,
    });
    const { txs, engine, store } = await sync(5, 10, erp);
    applied = at(txs, 1).id;
    lost = at(txs, 3).id;
    const report = await engine.run();
    expect(report).toMatchObject({ posted: 4, foundExisting: 1 });
    expect([erp.submissions(applied), erp.submissions(lost)]).toEqual([1, 2]);
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
    expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 5, dead: 0 });
  });

  it('a per-entry rate limit is retried after Retry-After without a lookup or a counted attempt', async () => {
    let target = '';
    const erp = erpWith({
      entryFault: (e, attempt) =>
        e.externalRef === target && attempt <= 2 ? { kind: 'rate_limited', retryAfterMs: 3 } : null,
    });
    const { txs, engine, ev, store } = await sync(5, 11, erp, { maxAttempts: 1 });
    target = at(txs, 0).id;
    await engine.run();
    expect(erp.finds).toBe(0);
    expect(erp.count(target)).toBe(1);
    expect(ev.list).toContainEqual({
      type: 'retry',
      count: 1,
      kind: 'rate_limited',
      message: 'injected: rate limited',
      delayMs: 3,
    });
    expect((await store.get([target]))[0]).toMatchObject({ status: 'posted', attempts: 1 });
  });

  it('a per-entry fatal outcome records the others, leaves that entry pending and stops the run', async () => {
    let target = '';
    const erp = erpWith({
      entryFault: (e) => (e.externalRef === target ? { kind: 'fatal', message: 'token revoked' } : null),
    });
    const { txs, engine, store } = await sync(5, 12, erp);
    target = at(txs, 4).id;
    await expect(engine.run()).rejects.toThrow('token revoked');
    expect(await store.counts()).toEqual({ pending: 1, in_doubt: 0, posted: 4, dead: 0 });
    expect((await store.get([target]))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('a per-entry permanent rejection dead-letters only that entry with the ERP message', async () => {
    let target = '';
    const erp = erpWith({
      entryFault: (e) =>
        e.externalRef === target ? { kind: 'permanent', message: 'Account 6100 is blocked' } : null,
    });
    const { txs, engine, store } = await sync(5, 13, erp);
    target = at(txs, 1).id;
    const report = await engine.run();
    expect(report).toMatchObject({ posted: 4, deadLettered: 1, retries: 0 });
    expect(await store.deadLetters()).toEqual([
      expect.objectContaining({
        externalRef: target,
        errorCode: 'injected_permanent',
        errorMessage: 'Account 6100 is blocked',
      }),
    ]);
  });
});

describe('errors from another copy of connector-core', () => {
  // the CommonJS build carries its own ErpError class, as a connector's CJS build does
  const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof import('../src/index.js');

  it('are recognised: instanceof, kinds and Retry-After all survive', () => {
    const e = new cjs.ErpError('throttled', { kind: 'rate_limited', retryAfterMs: 1234 });
    expect(cjs.ErpError).not.toBe(ErpError);
    expect(e instanceof ErpError).toBe(true);
    expect(new Error('x') instanceof ErpError).toBe(false);
    expect(Object.assign(new Error('forged'), { kind: 'fatal' }) instanceof ErpError).toBe(false);
  });

  it('a permanent error thrown by a connector built against the other copy dead-letters at once', async () => {
    const erp = erpWith({});
    erp.post = async () => {
      throw new cjs.ErpError('Invalid account (code 2500)', { kind: 'permanent', code: '2500' });
    };
    const { engine, store } = await sync(3, 14, erp);
    const report = await engine.run();
    expect(report).toMatchObject({ deadLettered: 3, retries: 0 });
    expect((await store.deadLetters()).map((d) => d.errorMessage)).toEqual(
      Array(3).fill('Invalid account (code 2500)'),
    );
  });

  it('a fatal error from the other copy stops the run with its message, no retries', async () => {
    const erp = erpWith({});
    let calls = 0;
    erp.post = async () => {
      calls++;
      throw new cjs.ErpError('QuickBooks refused to refresh the access token (invalid_client)', {
        kind: 'fatal',
      });
    };
    const { engine } = await sync(3, 15, erp);
    await expect(engine.run()).rejects.toThrow('(invalid_client)');
    expect(calls).toBe(1);
  });

  it('anything else thrown is transient: the entries are in doubt and looked up', async () => {
    const erp = erpWith({});
    const post = erp.post.bind(erp);
    let first = true;
    erp.post = async (entries) => {
      if (first) {
        first = false;
        await post(entries);
        throw new TypeError('fetch failed');
      }
      return post(entries);
    };
    const { txs, engine } = await sync(3, 16, erp);
    const report = await engine.run();
    expect(report.foundExisting).toBe(3);
    for (const t of txs) expect(erp.count(t.id)).toBe(1);
  });

  it('a plain object is not an ErpError', () => {
    expect(new ErpError('x', { kind: 'permanent' }).kind).toBe('permanent');
    expect(({ kind: 'permanent' } as object) instanceof ErpError).toBe(false);
    expect((null as unknown as object) instanceof ErpError).toBe(false);
  });
});

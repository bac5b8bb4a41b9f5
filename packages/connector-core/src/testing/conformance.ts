import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { SyncEngine } from '../engine.js';
import { type ErpAdapter, type ErpPosting, isJobSubmitted, isPosting, type PostOutcome } from '../erp.js';
import { mapTransaction } from '../mapping/map.js';
import { reconcile } from '../reconcile/reconcile.js';
import { ArraySource, SdkTransactionSource, type TransactionListClient } from '../source.js';
import { openPGlite } from '../state/driver.js';
import { StateStore } from '../state/store.js';
import type { PlatformTransaction } from '../transaction.js';
import { closeMemoryStores, memoryStore, sampleTransactions, seeded } from './fixtures.js';
import type { ErpEmulatorPlugin, RunningErpEmulator } from './plugin.js';
import { startSyncCli } from './sync-cli.js';

export interface ErpAdapterSuiteOptions {
  /** The connector's emulator plugin (its `./testing` `erpEmulator`). */
  plugin: ErpEmulatorPlugin;
  /** Options for every emulator the suite starts (e.g. a short rate-limit window). */
  emulator?: Parameters<ErpEmulatorPlugin['start']>[0];
  /** Transactions per SIGKILL run. @default 200 */
  crashTransactions?: number;
  /** SIGKILLs per run (at least 5). @default 5 */
  kills?: number;
  /** Injected transient fault rate for the faulty SIGKILL run. @default 0.1 */
  faultRate?: number;
  /** Extra `openissuing-sync.json` settings for the child processes (retry, jobPoll, pageSize…). */
  syncConfig?: Record<string, unknown>;
  /** Per-test timeout (ms). @default 180000 */
  timeoutMs?: number;
}

/** Posts entries through an adapter to the end, following a job if `post` submitted one. */
async function postToEnd(
  adapter: ErpAdapter,
  txs: PlatformTransaction[],
  mapping: RunningErpEmulator['mapping'],
) {
  const entries = txs.map((t) => mapTransaction(mapping, t));
  await adapter.prepare?.(entries);
  const result = await adapter.post(entries, undefined, { submissionId: `conformance-${Date.now()}` });
  if (!isJobSubmitted(result)) return result;
  const jobs = adapter.jobs;
  if (!jobs)
    throw new Error(`${adapter.name}: post answered a job but the adapter has no jobs.status/outcomes`);
  for (let i = 0; ; i++) {
    const status = await jobs.status(result.submitted);
    if (status.state !== 'running') return jobs.outcomes(result.submitted, status);
    await new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** i)));
  }
}

/**
 * The tests every ERP adapter must pass, against its emulator and the real platform, in vitest:
 * post/find/list round trip; replay after a lost response; SIGKILL of `openissuing-sync run` at random
 * points then resume, every transaction booked exactly once, with and without injected transient
 * faults; a permanent fault dead-letters only its entry, with the ERP's own message; reconciliation
 * against the platform's totals, with refunds and foreign-currency spend.
 *
 * @example
 * // packages/connector-sap/test/conformance.test.ts
 * import { describeErpAdapter } from '@openissuing/connector-core/testing';
 * import { erpEmulator } from '../src/testing/index.js';
 * describeErpAdapter({ plugin: erpEmulator, emulator: { windowMs: 2000 } });
 */
export function describeErpAdapter(options: ErpAdapterSuiteOptions): void {
  const { plugin } = options;
  const timeout = options.timeoutMs ?? 180_000;
  const cleanup: Array<() => Promise<void>> = [];
  const start = async (extra: Parameters<ErpEmulatorPlugin['start']>[0] = {}) => {
    const running = await plugin.start({ ...options.emulator, ...extra });
    cleanup.push(() => running.close());
    return running;
  };
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
    await closeMemoryStores();
  });

  describe(`${plugin.title} adapter conformance`, () => {
    it(
      'post, find and list round-trip every entry with its amount, account and date',
      async () => {
        const emu = await start();
        const adapter = await emu.createAdapter();
        const txs = sampleTransactions(6, 901);
        const outcomes: PostOutcome[] = await postToEnd(adapter, txs, emu.mapping);
        expect(outcomes.map((o) => [o.externalRef, o.ok])).toEqual(txs.map((t) => [t.id, true]));
        const found = await adapter.find([...txs.map((t) => t.id), 'itxn_never_posted']);
        expect(found.has('itxn_never_posted')).toBe(false);
        const listed = await adapter.list({ from: '2026-11-01', to: '2026-11-30' });
        for (const t of txs) {
          const entry = mapTransaction(emu.mapping, t);
          const expected: Omit<ErpPosting, 'erpId'> = {
            externalRef: t.id,
            date: entry.date,
            account: entry.lines.find((l) => l.role === 'expense')?.account ?? '',
            amount: t.type === 'refund' ? -t.amount : t.amount,
            currency: 'USD',
          };
          const hit = found.get(t.id);
          expect(isPosting(hit) ? { ...hit, erpId: undefined } : hit).toEqual({
            ...expected,
            erpId: undefined,
          });
          expect(
            listed.filter((p) => p.externalRef === t.id).map((p) => ({ ...p, erpId: undefined })),
          ).toEqual([{ ...expected, erpId: undefined }]);
        }
        await adapter.close?.();
      },
      timeout,
    );

    it(
      'replays after a lost response: the ERP applied the post, the answer never came — found, not re-posted',
      async () => {
        const emu = await start();
        const adapter = await emu.createAdapter();
        const txs = sampleTransactions(40, 902);
        emu.control.loseNextResponse();
        const report = await new SyncEngine({
          adapter,
          store: await memoryStore(),
          mapping: emu.mapping,
          source: new ArraySource(txs),
          retry: { baseMs: 5, maxMs: 50 },
          jobPoll: { baseMs: 10, maxMs: 100 },
        }).run();
        expect(report.foundExisting).toBeGreaterThanOrEqual(1);
        expect(report.posted + report.foundExisting).toBe(txs.length);
        const booked = emu.control.bookings();
        for (const t of txs) expect(booked.get(t.id), t.id).toBe(1);
        await adapter.close?.();
      },
      timeout,
    );

    it(
      "a permanent fault dead-letters only its entry, with the ERP's own message",
      async () => {
        const emu = await start();
        const adapter = await emu.createAdapter();
        const txs = sampleTransactions(30, 903);
        const meals = txs
          .filter((t) => ['5811', '5812', '5813', '5814'].includes(t.merchant_data?.mcc ?? ''))
          .map((t) => t.id);
        expect(meals.length).toBeGreaterThanOrEqual(1);
        // the account the emulator's mapping books meals to ('Meals' in QuickBooks, a G/L number in SAP)
        const mealsAccount =
          mapTransaction(
            emu.mapping,
            txs.find((t) => meals.includes(t.id)) as PlatformTransaction,
          ).lines.find((l) => l.role === 'expense')?.account ?? 'Meals';
        const { message } = emu.control.rejectAccount(mealsAccount);
        const store = await memoryStore();
        const report = await new SyncEngine({
          adapter,
          store,
          mapping: emu.mapping,
          source: new ArraySource(txs),
          retry: { baseMs: 5, maxMs: 50 },
          jobPoll: { baseMs: 10, maxMs: 100 },
        }).run();
        expect(report.counts).toEqual({
          pending: 0,
          in_doubt: 0,
          posted: txs.length - meals.length,
          dead: meals.length,
        });
        const dead = await store.deadLetters();
        expect(dead.map((d) => d.externalRef).sort()).toEqual([...meals].sort());
        for (const d of dead) expect(d.errorMessage).toMatch(message);
        const booked = emu.control.bookings();
        for (const t of txs) expect(booked.get(t.id) ?? 0).toBe(meals.includes(t.id) ? 0 : 1);
        emu.control.restoreAccount(mealsAccount);
        await adapter.close?.();
      },
      timeout,
    );

    for (const faultRate of [0, options.faultRate ?? 0.1]) {
      it(
        `survives SIGKILL of openissuing-sync at ${Math.max(5, options.kills ?? 5)} random points${faultRate ? ` with ${faultRate * 100} % transient faults` : ''}: every transaction booked exactly once`,
        async () => {
          // small batches, two in flight and a little latency, so the kills land mid-run
          const emu = await start({ latencyMs: 20, connectorLimits: { maxBatchSize: 5, maxConcurrent: 2 } });
          const n = options.crashTransactions ?? 200;
          const txs = sampleTransactions(n, faultRate ? 905 : 904);
          const dir = await mkdtemp(join(tmpdir(), `oi-conformance-${plugin.erp}-`));
          cleanup.push(() => rm(dir, { recursive: true, force: true }));
          await writeFile(join(dir, 'transactions.ndjson'), txs.map((t) => JSON.stringify(t)).join('\n'));
          await writeFile(join(dir, 'mapping.json'), JSON.stringify(emu.mapping));
          for (const [name, content] of Object.entries(emu.files)) await writeFile(join(dir, name), content);
          await writeFile(
            join(dir, 'openissuing-sync.json'),
            JSON.stringify({
              mapping: './mapping.json',
              source: { file: './transactions.ndjson' },
              state: { dataDir: './state' },
              retry: { baseMs: 20, maxMs: 200, maxAttempts: 100 },
              jobPoll: { baseMs: 20, maxMs: 200 },
              ...options.syncConfig,
              connector: emu.connector,
            }),
          );
          const run = () => startSyncCli(['run'], { dir, env: emu.env });
          const booked = () => [...emu.control.bookings().values()].reduce((s, v) => s + v, 0);
          if (faultRate) emu.control.setTransientFaults(faultRate, seeded(99));
          const rnd = seeded(n + (faultRate ? 1 : 0));
          let kills = 0;
          for (let i = 0; i < Math.max(5, options.kills ?? 5); i++) {
            const have = booked();
            const threshold = have + 1 + Math.floor(rnd() * ((n - have) / 8));
            const { child, done: exit } = run();
            let done = false;
            void exit.then(() => {
              done = true;
            });
            while (!done && booked() < threshold) await new Promise((r) => setTimeout(r, 3));
            if (done) break;
            child.kill('SIGKILL');
            await exit;
            kills++;
          }
          expect(kills).toBeGreaterThanOrEqual(5);
          const last = await run().done;
          expect(last.code, last.stderr).toBe(0);
          const counts = emu.control.bookings();
          for (const t of txs) expect(counts.get(t.id), t.id).toBe(1);
          expect(counts.size).toBe(n);
          if (faultRate) expect(emu.control.stats().faults).toBeGreaterThan(0);
          const store = new StateStore(await openPGlite(join(dir, 'state')));
          expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: n, dead: 0 });
          await store.close();
        },
        timeout * 2,
      );
    }

    it(
      "reconciles to the platform's totals, with refunds and foreign-currency spend",
      async () => {
        // the real platform: a peer the connector's tests install (@openissuing/platform)
        const platformModule = '@openissuing/platform';
        const { startPlatform } = (await import(platformModule)) as {
          startPlatform(): Promise<{ url: string; apiKey: string; close(): Promise<void> }>;
        };
        const platform = await startPlatform();
        cleanup.push(() => platform.close());
        const client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
        await client.topups.create({ amount: 10_000_000, currency: 'usd' });
        const holder = await client.cardholders.create({
          type: 'individual',
          name: 'Grace Hopper',
          email: 'grace@example.com',
          dimensions: { department: 'Engineering', project: 'Apollo' },
        });
        const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
        const merchants = [
          { name: 'Google Ads', mcc: '7311', country: 'US' },
          { name: 'AWS', mcc: '4816', country: 'US' },
          { name: 'Figma', mcc: '5734', country: 'US' },
          { name: 'Lufthansa', mcc: '4511', country: 'DE' },
        ];
        for (let i = 0; i < 12; i++) {
          const foreign = i % 4 === 3;
          const auth = await client.testHelpers.authorizations.create({
            card: card.id,
            amount: 1_000 + i * 137,
            ...(foreign ? { currency: 'eur' } : {}),
            merchant_data: merchants[i % merchants.length] as (typeof merchants)[number],
          });
          await client.testHelpers.authorizations.capture(auth.id, {});
        }
        const txs: PlatformTransaction[] = [];
        for await (const t of client.transactions.list({ limit: 100 })) txs.push(t as PlatformTransaction);
        const first = txs.find((t) => t.type === 'capture');
        if (first)
          await client.testHelpers.transactions.refund(first.id, { amount: Math.floor(first.amount / 2) });
        const all: PlatformTransaction[] = [];
        for await (const t of client.transactions.list({ limit: 100 })) all.push(t as PlatformTransaction);
        expect(all.filter((t) => t.type === 'refund')).toHaveLength(1);
        expect(
          all.filter((t) => t.merchant_currency && t.merchant_currency !== t.currency).length,
        ).toBeGreaterThanOrEqual(1);

        const emu = await start();
        const adapter = await emu.createAdapter();
        const source = new SdkTransactionSource(client as unknown as TransactionListClient);
        const store = await memoryStore();
        await new SyncEngine({
          adapter,
          store,
          mapping: emu.mapping,
          source,
          retry: { baseMs: 5, maxMs: 50 },
          jobPoll: { baseMs: 10, maxMs: 100 },
        }).run();
        const day = new Date().toISOString().slice(0, 10);
        const report = await reconcile({
          source: new SdkTransactionSource(client as unknown as TransactionListClient),
          adapter,
          mapping: emu.mapping,
          store,
          from: day,
          to: day,
        });
        expect(report.issues).toEqual([]);
        expect(report.matched).toBe(true);
        const platformTotal = all.reduce((s, t) => s + (t.type === 'refund' ? -t.amount : t.amount), 0);
        expect(report.totals).toEqual([
          {
            currency: 'USD',
            platform: platformTotal,
            erp: platformTotal,
            difference: 0,
            platformCount: all.length,
            erpCount: all.length,
          },
        ]);
        await adapter.close?.();
      },
      timeout,
    );
  });
}

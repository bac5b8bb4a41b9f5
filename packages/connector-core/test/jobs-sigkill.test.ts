import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPGlite, StateStore } from '../src/index.js';
import { startSyncCli } from '../src/testing/index.js';
import { JobLedger } from './fixtures/job-ledger.ts';
import { serveLedger } from './fixtures/job-ledger-http.ts';
import { makeTransactions, mapping, seeded } from './helpers.js';

// the real openissuing-sync CLI against a job-based ERP in this process, killed while jobs run
const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('job-based posting survives SIGKILL of openissuing-sync', () => {
  const connector = resolve(import.meta.dirname, 'fixtures', 'job-ledger-connector.ts');

  it('is killed while jobs run, 5 times, and resumes them: no entry is ever submitted twice', async () => {
    const txs = makeTransactions(120, 6);
    const ledger = new JobLedger({ pollsToFinish: 6 });
    const server = await serveLedger(ledger);
    cleanup.push(() => server.close());
    const dir = await mkdtemp(join(tmpdir(), 'oi-jobs-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs));
    await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
    await writeFile(
      join(dir, 'openissuing-sync.json'),
      JSON.stringify({
        mapping: './mapping.json',
        source: { file: './transactions.json' },
        state: { dataDir: './state' },
        retry: { baseMs: 5, maxMs: 20, maxAttempts: 50 },
        jobPoll: { baseMs: 20, maxMs: 50 },
        connector: { module: connector, options: { url: server.url, maxBatchSize: 6 } },
      }),
    );
    const rnd = seeded(6);
    let kills = 0;
    for (let i = 0; i < 5; i++) {
      const { child, done: exit } = startSyncCli(['run'], { dir });
      // kill while a job is running: after the next upload, at a random poll of it
      const uploads = ledger.uploads.length;
      const pollsBeforeKill = 1 + Math.floor(rnd() * 4);
      let done = false;
      void exit.then(() => {
        done = true;
      });
      for (;;) {
        if (done) break;
        const job = [...ledger.jobs.values()].at(-1);
        if (ledger.uploads.length > uploads && job && !job.result && job.polls >= pollsBeforeKill) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      if (done) break;
      child.kill('SIGKILL');
      await exit;
      kills++;
    }
    expect(kills).toBe(5);
    const last = await startSyncCli(['run'], { dir }).done;
    expect(last.code, last.stderr).toBe(0);
    for (const t of txs) expect([t.id, ledger.submissions(t.id), ledger.count(t.id)]).toEqual([t.id, 1, 1]);
    const store = new StateStore(await openPGlite(join(dir, 'state')));
    expect(await store.counts()).toEqual({ pending: 0, in_doubt: 0, posted: 120, dead: 0 });
    expect(await store.openJobs()).toEqual([]);
    await store.close();
  }, 120_000);
});

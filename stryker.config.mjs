// @ts-check
// Mutation testing (StrykerJS + vitest) of the code correctness rests on: `npm run mutation`
// (scripts/mutation.mjs runs one group of stryker.groups.mjs at a time, with MUTATION_GROUP set, and
// prints the score per group). Remaining survivors are explained below, per group.
//
// Surviving mutants, each shown equivalent (no input can tell it from the original):
//
// decision-engine — none (100 %, with budgets.ts and money.ts: 292 mutants). Of the last two survivors,
//   `budgets ?? []` → a junk element and the budget scope's `name: 'budget'` → '' are killed by
//   test/scopes.test.ts, which checks limitScopes itself: neither changes what evaluateControls returns
//   (a string has no limits; a budget's own decline does not read the scope name).
// webhooks — webhooks.ts `skew > 0 ? 'timestamp_too_old' : …` → `skew >= 0`: the branch runs only
//   when |skew| > tolerance, and tolerance is ≥ 0, so skew is never 0 there.
// journal — none (100 %).
// mapping — map.ts `m.category ?? ''`, `m.name ?? ''`, `tx.card ?? ''`, `tx.cardholder ?? ''` → any
//   other string: the fallback only has to equal no rule value, and rule values are non-empty by
//   the mapping schema (a merchant pattern `*` matches '' and any other fallback alike).
//   `(tx.currency ?? '')` → any other string: a missing currency fails the 3-letter check either way,
//   with the same message (which quotes `tx.currency` itself).
// engine-settle — settle.ts `out.settlement.posted?.push` / `dead?.push` / `retry?.push` → without
//   `?.`: `empty()` always builds the three arrays (the `?` is only in the shared `Settlement`
//   type, whose other producers in engine.ts write partial settlements). The group key `'missing'`
//   → `''`: it only has to differ from the `${kind}\u0000${message}` keys, which all hold a NUL.
// engine (all of engine.ts), 92.5 % from scratch at load median 4.8 and again at 2.8 on 2026-12-02
//   (419 killed, 34 survived — every one of the 34 is in the list below) and
//   94.7 % at load median 19.4 (429 killed, 24 survived: more timeouts); after pollDelay/quiet() and
//   their tests 95.5 % (426 killed, 20 survived). 5 not covered, all in `preview()` (tested through the
//   connectors' dry runs); the fallbacks `tx.created_at ?? ''` and `errorMessage ?? 'unknown'` and the
//   inflight cleanup after a failed drain, uncovered before, are killed by engine-paths tests. Which timing-only mutants survive
//   differs from run to run (one killed by timeout survives the next); the list below is the union.
//   Every survivor is equivalent, or changes only how soon a wait ends or how many workers share the work, never what is
//   sent or recorded (every wait also ends by its timer, at most 1 s, and then re-checks the store):
//   - `stats = {…}` → `{}` (the field initialiser): `run()` resets the stats before anything reads them.
//   - `changed()`: `if (done) return` → false and `done = true` → false (resolving twice is a no-op);
//     the `{ once: true }` option → `{}` / false (an abort fires once); the waiter's `timer.abort()`
//     removed (its `finish()` still ends the wait; the timer is only left to run out); the `.finally`
//     that removes the abort listener → `() => undefined`, or its `'abort'` → `''` (a listener left on a
//     finished wait).
//   - the `wake()` calls after a webhook `ingest()`, at the end of a pull (in `pull()`'s `finally`
//     and in `run()`'s), after each batch and when a worker leaves (`drain`), removed: waiting
//     workers then wake by their timer (≤ 1 s) instead of at once (a webhook's entries wait for the
//     next timer or page). The others come in pairs that cover each other: the pull's and run()'s
//     end both follow the last page; a worker that leaves has just ended a batch (or found the store
//     empty with everyone quiet), so its `wake()` and the batch's `finally` one reach the same
//     sleepers. (The `wake()` after each pulled page has no stand-in: "posts the first
//     page while the pull goes on" in engine-flow.test.ts kills it, on a clock that never runs out.)
//   - `toItems`: `err instanceof MappingError || err instanceof Error` → true: mapping only throws
//     errors (MappingError, JournalError), never anything else.
//   - `claim`: `queue.length < limit` → `<=` / true: the store is asked for more entries one time more
//     than needed (it excludes the entries already claimed, so the same ones never come twice).
//   - `resolveDoubt`: its three `[]` (no entries, a failed lookup, `absent`) → `["Stryker was here"]`:
//     the junk element has no entry and no attempts, so the `attempts < maxAttempts && entry` filter
//     drops it before anything is sent; `failedRequest`'s `err.kind === 'transient'` branch (→ false,
//     or the string → ''): `settleOutcomes` puts every entry of a transient failure into the same
//     in-doubt group with the same backoff and message, which is what `retryAll` does.
//   - `processBatch`: `exhausted.length > 0` → `>= 0` or true: an empty dead-letter settlement writes
//     nothing. The first `if (toPost.length === 0) return` → false: an empty list has no exhausted
//     entries, and the second check (after the attempts filter) returns for it.
//   - `pollDueJob`: `if (!jobs) return false` → false (no jobs are open for an adapter without
//     `jobs`, so nothing is due); `outcomes = []` → a junk element (overwritten before use); the
//     `.filter(i => i.jobId === due.job.id)` → true, or removed (a job's entries keep its id until the
//     job is completed, which only this poll does); either `return true` → false (the caller's loop
//     goes on to claim, and polls again on its next turn).
//   - `nextJobPollAt`: `Math.min` → `Math.max` (with several jobs): the worker sleeps until a later
//     poll time, capped at 1 s, and then finds the due job.
//   - `drain`: `if (adapter.jobs)` → true (an adapter without jobs has no open jobs); `quiet()`'s
//     `activeBatches === 0` or `polling.size === 0` → true: a worker with nothing to claim leaves
//     while another is busy with a batch or a job poll, and the busy one loops on, sees its own writes
//     and finishes everything (less parallelism, same outcome; where it ends the run, a polled job is
//     still in `jobs`, so `jobs.size === 0` already says no poll is on: polling ⊆ jobs at every await);
//     the final `this.queue = []` → a junk element (the next claim takes it and drops it, as above).
//     (Only the pull has nobody left to re-check after it ends: "a run does not end before the page
//     its pull was ingesting is posted" in engine-paths.test.ts kills its `producers` check.)
//   Killed now, survivors of earlier runs: `pollDelay`'s `status?.state === 'running'` (→ true, or
//   `status.state`) is gone — it takes the ERP's `retryAfterMs`, its caller has the running status;
//   `nextJobPollAt`'s `!this.polling.has(…)` → true is killed by "while one worker asks about a job,
//   an idle worker sleeps until woken (up to 1 s), not 1 ms at a time" (it made idle workers nap 1 ms).
import { groups, selectedGroup } from './stryker.groups.mjs';

const group = selectedGroup();
const report = group ? `reports/mutation/${group.name}` : 'reports/mutation/all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: group ? group.files : Object.values(groups).flatMap((g) => g.files),
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // the runner's default pool, threads: vitest starts a new worker for every mutant either way; forks
  // cost less per run in isolation (journal.test.ts, 10 runs paired A/B/A/B: 0.41 against 0.50 s of
  // CPU) but no less per group (engine-settle from scratch, forks/threads/forks: 70/67/67 s of CPU)
  vitest: { configFile: 'stryker.vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // a re-run tests only the mutants whose code or covering tests changed since the group's last run
  // (the file is in the gitignored reports/; delete it, or pass --force, for a run from scratch)
  incremental: true,
  incrementalFile: `${report}.incremental.json`,
  // the machine is shared: MUTATION_CONCURRENCY=2 on a quiet one
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by `npm run mutation`, never in a turbo task
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  // timeouts are for mutants that loop forever (e.g. a wait that never wakes); the suites are fast
  timeoutMS: 5_000,
  timeoutFactor: 2,
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `${report}.json` },
  htmlReporter: { fileName: `${report}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  // connector-core's tests also load its build: the other-copy ErpError test and the job fixtures
  ignorePatterns: [
    'docs',
    'reports',
    'examples',
    'bench',
    '**/dist',
    '!packages/connector-core/dist',
    '**/test-results',
    '.tools',
  ],
};

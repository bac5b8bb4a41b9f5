// `npm run mutation [-- group …]`: StrykerJS on each group of stryker.groups.mjs in turn (one at a
// time: mutation runs are CPU-heavy), then the score per group (scripts/mutation-scores.mjs), the wall
// time of each group and the machine's load average while it ran.
//   npm run mutation                      every group
//   npm run mutation -- decision-engine   only the groups named
//   MUTATION_CONCURRENCY=2                test runners per group (default 1; the machine may be shared)
//   OPENISSUING_TEST_DATABASE_URL         the PostgreSQL database the engine groups' tests keep their
//                                         state stores in (a schema per test worker, dropped after it)
// Each group keeps an incremental file (reports/mutation/<group>.incremental.json): a re-run tests only
// the mutants whose code or covering tests changed. Delete reports/mutation for a run from scratch.
import { spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { groups } from '../stryker.groups.mjs';
import { dropDeadTestSchemas } from './mutation-schemas.mjs';

const names = process.argv.slice(2);
for (const name of names) {
  if (!(name in groups)) {
    console.error(`mutation: no group "${name}"; the groups are ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
}

/** Samples the 1-minute load average every 15 s; the returned function stops and describes them. */
function sampleLoad() {
  const samples = [loadavg()[0]];
  const timer = setInterval(() => samples.push(loadavg()[0]), 15_000);
  return () => {
    clearInterval(timer);
    samples.push(loadavg()[0]);
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    return `load average (1 min) min ${sorted[0].toFixed(1)} / median ${median.toFixed(1)} / max ${sorted.at(-1).toFixed(1)} over ${samples.length} samples`;
  };
}

const started = Date.now();
const allLoad = sampleLoad();
const chosen = names.length ? names : Object.keys(groups);
const timings = [];
for (const name of chosen) {
  const t0 = Date.now();
  const load = sampleLoad();
  console.log(`\nmutation: group ${name} (${groups[name].files.join(', ')})`);
  // async, so the load sampler's timer keeps running
  const status = await new Promise((resolve) => {
    spawn('npx', ['stryker', 'run', 'stryker.config.mjs'], {
      stdio: 'inherit',
      env: { ...process.env, MUTATION_GROUP: name },
    }).on('exit', (code) => resolve(code));
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  timings.push(`  ${name.padEnd(16)} ${seconds.padStart(5)} s, ${load()}`);
  if (status !== 0) {
    console.error(`mutation: stryker failed on group ${name} (exit ${status})`);
    process.exit(status ?? 1);
  }
}
await dropDeadTestSchemas().catch((err) =>
  console.error(`mutation: could not drop test schemas: ${err.message}`),
);
console.log('\nmutation: wall time per group');
for (const line of timings) console.log(line);
console.log(
  `  ${'all'.padEnd(16)} ${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s, ${allLoad()}`,
);
const scores = spawnSync(process.execPath, ['scripts/mutation-scores.mjs', ...chosen], { stdio: 'inherit' });
process.exit(scores.status ?? 1);

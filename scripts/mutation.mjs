// `npm run mutation [-- group …]`: StrykerJS on each group of stryker.groups.mjs in turn (one at a
// time: mutation runs are CPU-heavy), then the score per group (scripts/mutation-scores.mjs).
//   npm run mutation                      every group but the slow ones (`slow: true`)
//   npm run mutation -- decision-engine   only the groups named
//   MUTATION_CONCURRENCY=2                test runners per group (default 1; the machine may be shared)
import { spawnSync } from 'node:child_process';
import { groups } from '../stryker.groups.mjs';

const names = process.argv.slice(2);
for (const name of names) {
  if (!(name in groups)) {
    console.error(`mutation: no group "${name}"; the groups are ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
}
const started = Date.now();
const chosen = names.length ? names : Object.keys(groups).filter((name) => !groups[name].slow);
for (const name of chosen) {
  const t0 = Date.now();
  console.log(`\nmutation: group ${name} (${groups[name].files.join(', ')})`);
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_GROUP: name },
  });
  if (run.status !== 0) {
    console.error(`mutation: stryker failed on group ${name} (exit ${run.status})`);
    process.exit(run.status ?? 1);
  }
  console.log(`mutation: group ${name} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(`\nmutation: all groups took ${((Date.now() - started) / 1000).toFixed(0)} s`);
const scores = spawnSync(process.execPath, ['scripts/mutation-scores.mjs', ...chosen], { stdio: 'inherit' });
process.exit(scores.status ?? 1);

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { groups, selectedGroup } from './stryker.groups.mjs';

// The fast tests that cover the mutated code (stryker.groups.mjs), one project per group: pure
// decision-engine and webhook tests, and the connector-core engine suites on in-memory PGlite. Tests
// that spawn the CLI or start a platform over HTTP run the built packages, not the mutated sources,
// and are left out. With MUTATION_GROUP set (scripts/mutation.mjs) only that group's project runs.
const selected = selectedGroup();
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by `npm run mutation`, never in a turbo task
const stateUrl = process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const includesByRoot = new Map<string, Set<string>>();
for (const group of selected ? [selected] : Object.values(groups)) {
  const include = includesByRoot.get(group.tests.root) ?? new Set<string>();
  for (const pattern of group.tests.include) include.add(pattern);
  includesByRoot.set(group.tests.root, include);
}
export default defineConfig({
  test: {
    projects: [...includesByRoot].map(([root, include]) => ({
      test: {
        name: root.replace('packages/', ''),
        root: fileURLToPath(new URL(`./${root}`, import.meta.url)),
        include: [...include],
        // a mutant that makes the engine wait forever fails its test here, and the run stops (bail),
        // instead of running into Stryker's timeout (twice the net time of the covering tests + 5 s +
        // the whole dry run's overhead, about 20 s for the engine group at load 18; a timed-out mutant
        // then also costs a new test runner); the longest unmutated test takes about 2 s on a busy machine
        testTimeout: 8_000,
        // the test files of one run share a worker and its module graph (no suite mocks modules or
        // fakes timers). Each run is a new worker all the same: vitest ends it when the run's queue is
        // empty, and Stryker's runner starts a run per mutant, so every mutant loads its tests again
        // (hence the mapping and webhook tests import the modules they test, not a package index)
        isolate: false,
        // the state stores of the tests in PostgreSQL, not in-memory PGlite: vitest starts its
        // workers again for every mutant, and a PGlite costs about a second of CPU to start
        // (src/testing/fixtures.ts, memoryStore)
        env: { OPENISSUING_TEST_STATE_URL: stateUrl },
      },
    })),
  },
});

// What `npm run mutation` mutates, in one place, by group: the files, the tests that must kill their
// mutants (one vitest project per group, see stryker.vitest.config.ts), and the score each group
// must reach (mutation score on covered code). scripts/mutation.mjs runs one group at a time.
const connectorCore = 'packages/connector-core';
const engineSuites = [
  'test/engine-events.test.ts',
  'test/engine.test.ts',
  'test/engine-faults.test.ts',
  'test/engine-flow.test.ts',
  'test/engine-paths.test.ts',
  'test/jobs.test.ts',
];
export const groups = {
  'decision-engine': {
    threshold: 90,
    files: [
      'packages/decision-engine/src/budgets.ts',
      'packages/decision-engine/src/card-state.ts',
      'packages/decision-engine/src/categories.ts',
      'packages/decision-engine/src/decline.ts',
      'packages/decision-engine/src/evaluate.ts',
      'packages/decision-engine/src/funds.ts',
      'packages/decision-engine/src/money.ts',
      'packages/decision-engine/src/scope-checks.ts',
      'packages/decision-engine/src/scopes.ts',
      'packages/decision-engine/src/windows.ts',
    ],
    tests: { root: 'packages/decision-engine', include: ['test/**/*.test.ts'] },
  },
  webhooks: {
    threshold: 90,
    files: ['packages/sdk-js/src/webhooks/webhooks.ts'],
    tests: { root: 'packages/sdk-js', include: ['test/webhooks.test.ts'] },
  },
  journal: {
    threshold: 85,
    files: [`${connectorCore}/src/journal.ts`],
    tests: {
      root: connectorCore,
      include: ['test/journal.test.ts', 'test/mapping.test.ts'],
    },
  },
  mapping: {
    threshold: 85,
    files: [`${connectorCore}/src/mapping/map.ts`],
    tests: { root: connectorCore, include: ['test/mapping-rules.test.ts', 'test/mapping.test.ts'] },
  },
  // the sync engine: settle.ts (pure) against its unit tests; engine.ts against the engine suites
  // (every mutant re-runs the engine tests that cover it; their state stores are in PostgreSQL)
  'engine-settle': {
    threshold: 85,
    files: [`${connectorCore}/src/engine/settle.ts`],
    tests: { root: connectorCore, include: ['test/settle.test.ts'] },
  },
  engine: {
    threshold: 85,
    files: [`${connectorCore}/src/engine.ts`],
    tests: { root: connectorCore, include: engineSuites },
  },
};

/** The group `MUTATION_GROUP` names (scripts/mutation.mjs sets it), or null for all of them. */
export function selectedGroup() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by scripts/mutation.mjs, never in a turbo task
  const name = process.env.MUTATION_GROUP;
  if (!name) return null;
  const group = groups[name];
  if (!group)
    throw new Error(`MUTATION_GROUP=${name}: no such group; one of ${Object.keys(groups).join(', ')}`);
  return { name, ...group };
}

// @ts-check
// Mutation testing (StrykerJS + vitest) of the code correctness rests on: `npm run mutation`.
// The mutated files and the score each group must reach are in stryker.groups.mjs; the scores are
// printed per group by scripts/mutation-scores.mjs. Remaining survivors are explained below.
import { groups } from './stryker.groups.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: Object.values(groups).flatMap((g) => g.files),
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker.vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // timeouts are for mutants that loop forever (e.g. a wait that never wakes); the suites are fast
  timeoutMS: 15_000,
  timeoutFactor: 2,
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
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

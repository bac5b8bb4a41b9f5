// What `npm run mutation` mutates, in one place, by group, with the score each group must reach
// (mutation score on covered code).
export const groups = {
  'decision engine': {
    threshold: 90,
    files: [
      'packages/decision-engine/src/card-state.ts',
      'packages/decision-engine/src/categories.ts',
      'packages/decision-engine/src/decline.ts',
      'packages/decision-engine/src/evaluate.ts',
      'packages/decision-engine/src/scope-checks.ts',
      'packages/decision-engine/src/scopes.ts',
      'packages/decision-engine/src/windows.ts',
    ],
  },
  webhooks: { threshold: 90, files: ['packages/sdk-js/src/webhooks/webhooks.ts'] },
  journal: { threshold: 85, files: ['packages/connector-core/src/journal.ts'] },
  mapping: { threshold: 85, files: ['packages/connector-core/src/mapping/map.ts'] },
  engine: {
    threshold: 85,
    files: ['packages/connector-core/src/engine.ts', 'packages/connector-core/src/engine/settle.ts'],
  },
};

// What `npm run mutation` mutates, in one place, by group, with the score each group must reach
// (mutation score on covered code). The governance issue moves the decision engine into one shared
// package: then the two decision-engine paths become one.
export const groups = {
  'decision engine': {
    threshold: 90,
    files: [
      'packages/platform/src/authorization/evaluate-controls.ts',
      'packages/sdk-js/src/spend-controls/evaluate.ts',
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

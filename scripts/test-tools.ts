/**
 * Packages that only tests use. They are never a runtime dependency of a published package or an
 * example; a connector's `./testing` may name one as an optional peer.
 */
export const TEST_TOOLS = [
  /^msw$/,
  /^vitest$/,
  /^jest$/,
  /^@vitest\//,
  /^playwright(-core)?$/,
  /^puppeteer/,
  /^axe-core$/,
  /^@testing-library\//,
  /^jsdom$/,
  /^happy-dom$/,
  /^miniflare$/,
  /^nock$/,
  /^supertest$/,
  /^sinon$/,
  /^@cap-js\/cds-test$/,
];

export const isTestTool = (name: string): boolean => TEST_TOOLS.some((re) => re.test(name));

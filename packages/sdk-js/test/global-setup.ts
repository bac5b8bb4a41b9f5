import { startPlatform } from '@openissuing/platform';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    platform: { url: string; apiKey: string };
  }
}

/**
 * One platform (PGlite in memory, 127.0.0.1, random port) shared by the test files that do not
 * change program-wide state; files that do (balance predictions, the real-time authorization
 * endpoint) start their own.
 */
export default async function setup(project: TestProject) {
  const platform = await startPlatform({ webhookPollIntervalMs: 50, onError: () => {} });
  project.provide('platform', { url: platform.url, apiKey: platform.apiKey });
  return () => platform.close();
}

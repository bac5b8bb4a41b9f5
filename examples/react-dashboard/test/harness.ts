import { access, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startPlatform } from '@openissuing/platform';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Backend, startBackend } from '../server/backend.ts';
import { allowDisplayOrigins, seed } from '../server/seed.ts';

export const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
const distDir = fileURLToPath(new URL('../dist/', import.meta.url));

export interface Harness {
  platform: { url: string; apiKey: string; close(): Promise<void> };
  backend: Backend;
  browser: Browser;
  page: Page;
  cards: string[];
  close(): Promise<void>;
}

/** Platform (in-memory) + seeded data + dashboard backend + headless Debian Chromium, all on 127.0.0.1. */
export async function startHarness(): Promise<Harness> {
  await access(`${distDir}index.html`).catch(() => {
    throw new Error(
      'examples/react-dashboard/dist is missing: run `npm run build -w @openissuing/example-react-dashboard` first (turbo does it before `test`).',
    );
  });
  await mkdir(resultsDir, { recursive: true });
  const platform = await startPlatform({ host: '127.0.0.1', port: 0 });
  const { cards } = await seed(platform.url, platform.apiKey);
  const backend = await startBackend({
    platformUrl: platform.url,
    apiKey: platform.apiKey,
    staticDir: distDir,
  });
  await allowDisplayOrigins(platform.url, platform.apiKey, [backend.url]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  return {
    platform,
    backend,
    browser,
    page,
    cards,
    async close() {
      await browser.close();
      await backend.close();
      await platform.close();
    },
  };
}

const require = createRequire(import.meta.url);

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function axeViolations(page: Page) {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(): Promise<{ violations: Array<Record<string, unknown>> }> } }
    ).axe;
    const result = await axe.run();
    return result.violations.map((violation) => ({
      id: violation.id as string,
      impact: violation.impact as string,
      help: violation.help as string,
      targets: (violation.nodes as Array<{ target: string[] }>).map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

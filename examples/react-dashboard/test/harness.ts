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

/**
 * Compares two PNG screenshots pixel by pixel in a blank page of the same browser (its canvas
 * decodes them; no image library needed). A pixel differs when any channel differs by more than 48
 * of 255, which anti-aliasing of the same glyph at the same place never reaches.
 */
export async function pixelDifference(browser: Browser, a: Buffer, b: Buffer) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ([first, second]) => {
        const decode = async (base64: string) => {
          const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
          context.drawImage(bitmap, 0, 0);
          return context.getImageData(0, 0, bitmap.width, bitmap.height);
        };
        const [x, y] = await Promise.all([decode(first), decode(second)]);
        if (x.width !== y.width || x.height !== y.height)
          return { sameSize: false, differing: Number.NaN, total: x.width * x.height };
        let differing = 0;
        for (let i = 0; i < x.data.length; i += 4) {
          for (let c = 0; c < 3; c++) {
            if (Math.abs((x.data[i + c] as number) - (y.data[i + c] as number)) > 48) {
              differing++;
              break;
            }
          }
        }
        return { sameSize: true, differing, total: x.width * x.height };
      },
      [a.toString('base64'), b.toString('base64')] as const,
    );
  } finally {
    await page.close();
  }
}

#!/usr/bin/env node
/**
 * Builds the API reference, docs/api/index.html, from the spec: one self-contained HTML file (Redoc's
 * script inlined, no CDN, no web fonts), with the generated TypeScript (SDK) and curl samples of
 * openapi/generated/code-samples.json rendered on every operation (`x-codeSamples`). Then opens it
 * in Chromium with the network cut off and checks that it works: navigation, search, samples.
 *
 *   node scripts/build-docs.ts           build and check
 *   node scripts/build-docs.ts --no-check  build only
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs/api/index.html');
type Json = Record<string, unknown>;
/**
 * Redoc's "API docs by Redocly" badge image: the only remote URL left in the page. Offline it fails
 * and the badge hides itself (nothing else depends on it), so the check allows exactly this one.
 */
const ATTRIBUTION = /^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/;

async function build(): Promise<void> {
  const spec = parse(await readFile(join(root, 'openapi/openissuing.yaml'), 'utf8')) as Json;
  const samples = JSON.parse(
    await readFile(join(root, 'openapi/generated/code-samples.json'), 'utf8'),
  ) as Record<string, unknown[]>;
  let missing = 0;
  for (const item of Object.values(spec.paths as Json)) {
    for (const op of Object.values(item as Json)) {
      const operation = op as Json;
      if (!operation?.operationId) continue;
      const list = samples[String(operation.operationId)];
      if (!list) missing++;
      else operation['x-codeSamples'] = list;
    }
  }
  if (missing > 0)
    throw new Error(`build-docs: ${missing} operation(s) have no code samples; run \`npm run generate\`.`);
  const scratch = await mkdtemp(join(tmpdir(), 'openissuing-docs-'));
  try {
    const input = join(scratch, 'openissuing.json');
    await writeFile(input, JSON.stringify(spec));
    await mkdir(dirname(out), { recursive: true });
    execFileSync(
      join(root, 'node_modules/.bin/redocly'),
      [
        'build-docs',
        input,
        '-o',
        out,
        '--inlineBundle',
        '--title',
        'OpenIssuing API reference',
        '--config',
        join(root, 'redocly.yaml'),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(`build-docs: wrote ${out.slice(root.length + 1)}`);
}

/** Loads the page from disk with every network request refused, as a reader offline would. */
async function checkOffline(): Promise<void> {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath))
    throw new Error(`build-docs: no Chromium at ${executablePath} (set CHROMIUM_PATH)`);
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const refused: string[] = [];
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:'))
        return route.continue();
      refused.push(url);
      return route.abort('internetdisconnected');
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(out).href);
    // Navigation: open a tag in the sidebar, follow an operation, and its page shows.
    await page.getByText('Cards', { exact: true }).first().click({ timeout: 30_000 });
    await page.getByText('Freeze a card', { exact: true }).first().click();
    await page.waitForFunction(() => location.hash === '#/cards/freezecard', null, { timeout: 10_000 });
    // Code samples: the generated TypeScript (SDK) sample, and curl one click away.
    const panel = page.locator('.panel-request-samples').filter({ hasText: '/freeze' }).first();
    await panel.getByText("client.cards.freeze('ic_").waitFor({ timeout: 10_000 });
    await panel.getByRole('button', { name: 'TypeScript' }).click();
    await page.getByRole('menuitem').filter({ hasText: 'curl' }).first().click();
    await panel
      .getByText("'http://localhost:4100/cards/ic_1NqD5aK9cYzL3R8wUdZqMx4f/freeze'")
      .waitFor({ timeout: 10_000 });
    // Search: the index is built in the page, so it works offline too.
    await page.keyboard.press('Control+k');
    await page.getByPlaceholder('Search docs...').fill('ephemeral');
    await page.getByText('Revoke an ephemeral key').first().waitFor({ timeout: 10_000 });
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    const unexpected = [...new Set(refused)].filter((url) => !ATTRIBUTION.test(url));
    if (unexpected.length > 0)
      throw new Error(`the page tried to load from the network: ${unexpected.join(', ')}`);
  } finally {
    await browser.close();
  }
  console.log('build-docs: works offline — navigation, search and code samples, no network request (but Redoc's badge image)');
}

await build();
if (!process.argv.includes('--no-check')) await checkOffline();

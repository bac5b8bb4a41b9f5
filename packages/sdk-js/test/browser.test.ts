import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from './helpers/bundle';
import { type Sandbox, seedCard, sharedSandbox } from './helpers/platform';

// The universal entry, bundled as a web app would bundle it, running in Debian's Chromium on a page
// served from 127.0.0.1 (a different origin from the platform, so real CORS applies).
let sandbox: Sandbox;
let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const [started, code] = await Promise.all([
    sharedSandbox(),
    bundle(fileURLToPath(new URL('../src/index.ts', import.meta.url))),
  ]);
  sandbox = started;
  server = createServer((req, res) => {
    if (req.url === '/sdk.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><script type="module">import * as sdk from "/sdk.js"; window.sdk = sdk;</script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => 'sdk' in window);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await sandbox?.close();
});

describe('in Chromium', () => {
  it('reads card details cross-origin with an ephemeral key; another card is PermissionDeniedError', async () => {
    const { card } = await seedCard(sandbox.client);
    const { card: other } = await seedCard(sandbox.client, {}, {}, 0);
    const key = await sandbox.client.ephemeralKeys.create({ card: card.id });
    const result = await page.evaluate(
      async ({ baseUrl, secret, cardId, otherId }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the bundle is loaded as a global in the page.
        const { OpenIssuing } = (window as any).sdk;
        const client = new OpenIssuing({ apiKey: secret, baseUrl });
        const { data, requestId } = await client.cards.details(cardId).withResponse();
        const error = await client.cards
          .details(otherId)
          .catch((e: Error & { status: number; code: string }) => e);
        return {
          last4: data.number.slice(-4),
          cvc: data.cvc.length,
          requestId,
          error: [error.name, error.status, error.code],
        };
      },
      { baseUrl: sandbox.platform.url, secret: key.secret, cardId: card.id, otherId: other.id },
    );
    expect(result.last4).toBe(card.last4);
    expect(result.cvc).toBeGreaterThanOrEqual(3);
    expect(result.requestId).toMatch(/^req_/);
    expect(result.error).toEqual(['PermissionDeniedError', 403, 'ephemeral_key_scope']);
  });

  it('refuses a secret key in the page', async () => {
    const message = await page.evaluate(() => {
      try {
        // biome-ignore lint/suspicious/noExplicitAny: see above.
        new (window as any).sdk.OpenIssuing({ apiKey: 'sk_test_123456789', baseUrl: 'http://127.0.0.1:1' });
        return 'constructed';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(message).toMatch(/ephemeral key/);
  });

  it('verifies Standard Webhooks with Web Crypto: the published vector, standardwebhooks signatures, diagnostics', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const payload = JSON.stringify({
      id: 'evt_1',
      type: 'card.created',
      created_at: '2026-11-23T00:00:00Z',
      data: { object: { id: 'ic_1' } },
    });
    const now = new Date();
    const signed = {
      'webhook-id': 'msg_browser',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_browser', now, payload),
    };
    const result = await page.evaluate(
      async ({ secret, payload, signed }) => {
        // biome-ignore lint/suspicious/noExplicitAny: see above.
        const { webhooks } = (window as any).sdk;
        const vector = await webhooks.generateTestHeaders({
          payload: '{"test": 2432232314}',
          secret,
          id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
          timestamp: 1614265330,
        });
        const event = await webhooks.unwrap(payload, new Headers(signed), secret);
        const parsed = await webhooks
          .unwrap(JSON.parse(payload), signed, secret)
          .catch((e: { reason: string }) => e.reason);
        const bytes = await webhooks.unwrap(new TextEncoder().encode(payload), signed, secret);
        return { vector: vector['webhook-signature'], type: event.type, parsed, bytes: bytes.id };
      },
      { secret, payload, signed },
    );
    expect(result).toEqual({
      vector: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      type: 'card.created',
      parsed: 'payload_not_raw',
      bytes: 'evt_1',
    });
  });
});

import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhooks } from '../src/index.node';
import { bundle } from './helpers/bundle';
import { authorizationRequestEvent } from './helpers/events';
import { type Sandbox, seedCard, sharedSandbox } from './helpers/platform';

// The SDK inside workerd (Cloudflare's runtime) through miniflare: no Node APIs, Web Crypto only.
const secret = 'whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IG9mIDMyIGJ5dGVz';
let sandbox: Sandbox;
let mf: Miniflare;

beforeAll(async () => {
  const [started, script] = await Promise.all([
    sharedSandbox(),
    bundle(fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url)), ['workerd', 'worker', 'browser']),
  ]);
  sandbox = started;
  mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2025-09-01',
    bindings: { API_KEY: sandbox.platform.apiKey, BASE_URL: sandbox.platform.url, WEBHOOK_SECRET: secret },
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  await sandbox?.close();
});

describe('in workerd (miniflare)', () => {
  it('calls the platform with the client and maps errors', async () => {
    const { card } = await seedCard(sandbox.client, {}, {}, 0);
    const res = await mf.dispatchFetch(`http://worker.local/card?id=${card.id}`);
    expect(await res.json()).toMatchObject({
      last4: card.last4,
      requestId: expect.stringMatching(/^req_/),
      missing: ['NotFoundError', 404],
    });
  });

  it('verifies a webhook signed in Node, and rejects a tampered one with a reason', async () => {
    const payload = JSON.stringify({
      id: 'evt_edge',
      type: 'card.created',
      created_at: '2026-11-23T00:00:00Z',
      data: { object: {} },
    });
    const headers = await webhooks.generateTestHeaders({ payload, secret });
    const ok = await mf.dispatchFetch('http://worker.local/webhook', {
      method: 'POST',
      headers,
      body: payload,
    });
    expect(await ok.json()).toEqual({ type: 'card.created', id: 'evt_edge' });
    const bad = await mf.dispatchFetch('http://worker.local/webhook', {
      method: 'POST',
      headers,
      body: `${payload} `,
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ reason: 'no_matching_signature' });
  });

  it('answers real-time authorization requests', async () => {
    const ask = async (amount: number) => {
      const payload = JSON.stringify(authorizationRequestEvent(amount));
      const headers = await webhooks.generateTestHeaders({ payload, secret });
      return (
        await mf.dispatchFetch('http://worker.local/authorize', { method: 'POST', headers, body: payload })
      ).json();
    };
    expect(await ask(10)).toEqual({ approved: true });
    expect(await ask(5_000)).toEqual({ approved: false });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../src/webhooks/signature';
import { authorize, type Client, client, type Json, seedCard, start } from './helpers';
import { eventually, invalidDeliveries, startReceiver } from './receiver';

let platform: Awaited<ReturnType<typeof start>>['platform'];
let api: Client;

beforeAll(async () => {
  ({ platform, api } = await start({
    webhookRetryScheduleMs: [0, 200, 200],
    program: { authorization_webhook_timeout_ms: 300 },
  }));
});
afterAll(async () => {
  await platform.close();
});

const headersOf = (h: Record<string, unknown>) => ({
  'webhook-id': String(h['webhook-id']),
  'webhook-timestamp': String(h['webhook-timestamp']),
  'webhook-signature': String(h['webhook-signature']),
});

describe('webhook deliveries (Standard Webhooks)', () => {
  it('signs deliveries that the standardwebhooks library verifies, and signs exactly like it', async () => {
    const receiver = await startReceiver();
    try {
      const ep = await api.post('/webhook_endpoints', {
        url: receiver.url,
        enabled_events: ['card.created'],
      });
      expect(ep.status).toBe(201);
      expect(ep.body.secret).toMatch(/^whsec_/);
      expect((await api.get(`/webhook_endpoints/${ep.body.id}`)).body.secret).toBeUndefined();
      const { card } = await seedCard(api, {}, {}, 0);
      const got = await eventually(() =>
        receiver.received.find((r) => JSON.parse(r.body).data.object.id === card.id),
      );
      const verified = new Webhook(ep.body.secret).verify(got.body, headersOf(got.headers)) as Json;
      expect(verified).toMatchObject({
        type: 'card.created',
        api_version: '2026-11-01',
        data: { object: { id: card.id } },
      });
      expect(got.headers['webhook-id']).toBe(verified.id);
      // Our signer and the reference library produce the same token for the same message.
      const wh = new Webhook(ep.body.secret);
      const at = new Date(1_700_000_000_000);
      expect(sign(ep.body.secret, 'evt_x', 1_700_000_000, '{"a":1}')).toBe(wh.sign('evt_x', at, '{"a":1}'));
      await api.delete(`/webhook_endpoints/${ep.body.id}`);
    } finally {
      await receiver.close();
    }
  });

  it('retries failed deliveries and records every attempt', async () => {
    let calls = 0;
    const receiver = await startReceiver(() => (++calls === 1 ? { status: 503 } : { status: 200 }));
    try {
      const ep = await api.post('/webhook_endpoints', {
        url: receiver.url,
        enabled_events: ['topup.created'],
      });
      const topup = await api.post('/topups', { amount: 100, currency: 'usd' });
      const attempts = await eventually(async () => {
        const list = await api.get(`/webhook_endpoints/${ep.body.id}/deliveries`);
        return list.body.data.length >= 2 ? list.body.data : null;
      });
      expect(attempts.map((a: Json) => [a.attempt, a.status, a.response_status])).toEqual([
        [2, 'succeeded', 200],
        [1, 'failed', 503],
      ]);
      expect(attempts[1].error).toBe('endpoint answered 503');
      expect(attempts[1].next_attempt_at).not.toBeNull();
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(1);
      expect(JSON.parse(receiver.received[0]?.body ?? '{}').data.object.id).toBe(topup.body.id);
      await api.delete(`/webhook_endpoints/${ep.body.id}`);
    } finally {
      await receiver.close();
    }
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    const receiver = await startReceiver(() => ({ status: 410 }));
    try {
      const ep = await api.post('/webhook_endpoints', { url: receiver.url, enabled_events: ['*'] });
      await api.post('/topups', { amount: 100, currency: 'usd' });
      const disabled = await eventually(async () => {
        const got = await api.get(`/webhook_endpoints/${ep.body.id}`);
        return got.body.status === 'disabled' ? got.body : null;
      });
      expect(disabled.status).toBe('disabled');
      const attempts = (await api.get(`/webhook_endpoints/${ep.body.id}/deliveries`)).body.data;
      expect(attempts.some((a: Json) => a.response_status === 410 && a.next_attempt_at === null)).toBe(true);
      await api.delete(`/webhook_endpoints/${ep.body.id}`);
    } finally {
      await receiver.close();
    }
  });

  it('signs with both secrets during a rotation overlap', async () => {
    const receiver = await startReceiver();
    try {
      const ep = await api.post('/webhook_endpoints', {
        url: receiver.url,
        enabled_events: ['topup.created'],
      });
      const rotated = await api.post(`/webhook_endpoints/${ep.body.id}/rotate_secret`, {
        expires_in_seconds: 3600,
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).not.toBe(ep.body.secret);
      await api.post('/topups', { amount: 100, currency: 'usd' });
      const got = await eventually(() => receiver.received[0]);
      expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(() => new Webhook(ep.body.secret).verify(got.body, headersOf(got.headers))).not.toThrow();
      expect(() => new Webhook(rotated.body.secret).verify(got.body, headersOf(got.headers))).not.toThrow();
      await api.post(`/webhook_endpoints/${ep.body.id}/rotate_secret`, { expires_in_seconds: 0 });
      await api.post('/topups', { amount: 100, currency: 'usd' });
      const second = await eventually(() => receiver.received[1]);
      expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(1);
      await api.delete(`/webhook_endpoints/${ep.body.id}`);
    } finally {
      await receiver.close();
    }
  });
});

describe('real-time authorization webhook', () => {
  it('lets the webhook decline, records its reason, and refuses a second subscriber', async () => {
    const receiver = await startReceiver((r) => {
      const event = JSON.parse(r.body);
      return event.data.object.amount > 5_000
        ? { status: 200, body: { approved: false, reason: 'Budget exhausted' } }
        : { status: 200, body: { approved: true } };
    });
    try {
      const ep = await api.post('/webhook_endpoints', {
        url: receiver.url,
        enabled_events: ['authorization.request'],
      });
      const second = await api.post('/webhook_endpoints', {
        url: receiver.url,
        enabled_events: ['authorization.request'],
      });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('state_invalid');
      const { card } = await seedCard(api, {}, {}, 1_000_000);
      const ok = await authorize(api, card.id, 1_000);
      expect(ok.body).toMatchObject({ approved: true, decision: { reason: 'approved' } });
      const no = await authorize(api, card.id, 9_000);
      expect(no.body).toMatchObject({
        approved: false,
        decision: {
          reason: 'webhook_declined',
          message: 'Budget exhausted',
          control: 'program.authorization_webhook',
        },
      });
      const request = receiver.received[0];
      const verified = new Webhook(ep.body.secret).verify(
        request?.body ?? '',
        headersOf(request?.headers ?? {}),
      ) as Json;
      expect(verified).toMatchObject({
        type: 'authorization.request',
        data: { object: { status: 'pending', approved: true } },
      });
      // Controls run first: a declined authorization is never sent to the webhook.
      await api.patch(`/cards/${card.id}`, { spending_controls: { blocked_categories: ['software'] } });
      const before = receiver.received.length;
      expect((await authorize(api, card.id, 100)).body.decision.reason).toBe('category_blocked');
      expect(receiver.received.length).toBe(before);
      await api.delete(`/webhook_endpoints/${ep.body.id}`);
    } finally {
      await receiver.close();
    }
  });

  it('applies the fallback on timeout and on error, recording the reason', async () => {
    let mode: 'slow' | 'error' | 'garbage' = 'slow';
    const receiver = await startReceiver(() =>
      mode === 'slow'
        ? { status: 200, body: { approved: true }, delayMs: 1_000 }
        : mode === 'error'
          ? { status: 500 }
          : { status: 200, body: 'nope' },
    );
    try {
      const ep = await api.post('/webhook_endpoints', {
        url: receiver.url,
        enabled_events: ['authorization.request'],
      });
      const { card } = await seedCard(api, {}, {}, 1_000_000);
      const timeout = await authorize(api, card.id, 100);
      expect(timeout.body).toMatchObject({
        approved: false,
        decision: { reason: 'webhook_timeout', control: 'program.authorization_webhook' },
      });
      await api.patch('/program', { authorization_webhook_fallback: 'approve' });
      const approvedOnTimeout = await authorize(api, card.id, 100);
      expect(approvedOnTimeout.body).toMatchObject({
        approved: true,
        status: 'pending',
        decision: { reason: 'webhook_timeout' },
      });
      mode = 'error';
      expect((await authorize(api, card.id, 100)).body).toMatchObject({
        approved: true,
        decision: { reason: 'webhook_error' },
      });
      await api.patch('/program', { authorization_webhook_fallback: 'decline' });
      mode = 'garbage';
      expect((await authorize(api, card.id, 100)).body).toMatchObject({
        approved: false,
        decision: { reason: 'webhook_error' },
      });
      await api.delete(`/webhook_endpoints/${ep.body.id}`);
    } finally {
      await receiver.close();
    }
  });
});

describe('durability', () => {
  it('delivers a webhook that was pending across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openissuing-restart-'));
    const down = await startReceiver();
    const port = down.port;
    await down.close(); // nothing listens on `port` now: deliveries fail with connection refused
    const apiKey = 'sk_test_restart_suite_key';
    try {
      const first = await start({ dataDir: dir, apiKey, webhookRetryScheduleMs: [300, 300, 300, 300] });
      const ep = await first.api.post('/webhook_endpoints', {
        url: `http://127.0.0.1:${port}/hook`,
        enabled_events: ['topup.created'],
      });
      const topup = await first.api.post('/topups', { amount: 100, currency: 'usd' });
      await eventually(
        async () => (await first.api.get(`/webhook_endpoints/${ep.body.id}/deliveries`)).body.data[0],
      );
      const failed = (await first.api.get(`/webhook_endpoints/${ep.body.id}/deliveries`)).body.data[0];
      expect(failed).toMatchObject({ status: 'failed', error: 'connection refused' });
      await first.platform.close();

      const receiver = await startReceiver(undefined, port);
      try {
        const second = await start({ dataDir: dir, apiKey });
        try {
          const got = await eventually(() => receiver.received[0], 15_000);
          const verified = new Webhook(ep.body.secret).verify(got.body, headersOf(got.headers)) as Json;
          expect(verified.data.object.id).toBe(topup.body.id);
          const attempts = (await client(second.platform).get(`/webhook_endpoints/${ep.body.id}/deliveries`))
            .body.data;
          expect(attempts[0]).toMatchObject({ status: 'succeeded', response_status: 200 });
        } finally {
          await second.platform.close();
        }
      } finally {
        await receiver.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('webhook payloads', () => {
  it('every delivery made in this file matches the contract strictly (no undeclared field)', () => {
    expect(invalidDeliveries).toEqual([]);
  });
});

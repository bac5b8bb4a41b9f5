import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiDocument } from '../src/api-spec';
import { DEFAULT_RETRY_SCHEDULE_MS } from '../src/webhooks/worker';
import { type Client, type Json, start } from './helpers';
import { eventually } from './receiver';

// Issue #12, "Webhook delivery does what the spec says": the retry schedule, bounded per-endpoint
// concurrency with a per-attempt timeout, and the on-demand retry.

type Behaviour = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A receiver whose behaviour per request is `behave`; counts requests and how many are open. */
async function receiver(behave: Behaviour) {
  const state = { requests: 0, open: 0, maxOpen: 0, ids: [] as string[] };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    state.open += 1;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    res.on('close', () => {
      state.open -= 1;
    });
    req.resume();
    req.on('end', () => {
      state.ids.push(String(req.headers['webhook-id']));
      behave(req, res, state.requests);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const ok: Behaviour = (_req, res) => res.writeHead(200).end();
const fail: Behaviour = (_req, res) => res.writeHead(500).end();
const reset: Behaviour = (req) => req.socket.destroy();
const hang: Behaviour = () => {};

async function deliveries(api: Client, endpoint: string): Promise<Json[]> {
  return (await api.get(`/webhook_endpoints/${endpoint}/deliveries?limit=100&order=asc`)).body.data;
}

async function endpoint(api: Client, url: string): Promise<string> {
  const ep = await api.post('/webhook_endpoints', { url, enabled_events: ['cardholder.created'] });
  expect(ep.status).toBe(201);
  return ep.body.id;
}

const holder = (api: Client, i: number) =>
  api.post('/cardholders', { type: 'individual', name: `Holder ${i}`, email: `h${i}@example.com` });

describe('the retry schedule', () => {
  it('is the one the spec states, in words and in x-webhook-retry-schedule-seconds', () => {
    const words = /next one waits ([^(]+?) \(/.exec(
      String((openapiDocument.info as Json).description).replace(/\s+/g, ' '),
    )?.[1];
    expect(words).toBeDefined();
    const unit: Record<string, number> = { s: 1, min: 60, h: 3600 };
    const fromWords = (words as string)
      .replace(/, then |, | and /g, '|')
      .split('|')
      .map((d) => {
        const [n, u] = d.trim().split(' ');
        return Number(n) * (unit[u as string] as number) * 1000;
      });
    const fromExtension = (openapiDocument['x-webhook-retry-schedule-seconds'] as number[]).map(
      (s) => s * 1000,
    );
    expect(fromWords).toEqual(fromExtension);
    expect(DEFAULT_RETRY_SCHEDULE_MS).toEqual(fromExtension);
    expect(DEFAULT_RETRY_SCHEDULE_MS[0]).toBe(5_000);
  });

  it('retries a failed first attempt 5 s after it ended, as the recorded attempts show', async () => {
    const { platform, api } = await start(); // the default schedule
    const hook = await receiver((req, res, n) => (n === 1 ? fail(req, res, n) : ok(req, res, n)));
    try {
      const ep = await endpoint(api, hook.url);
      await holder(api, 0);
      const [first, second] = await eventually(async () => {
        const list = await deliveries(api, ep);
        return list.length >= 2 ? list : undefined;
      }, 20_000);
      expect(first).toMatchObject({ attempt: 1, status: 'failed', response_status: 500 });
      expect(second).toMatchObject({ attempt: 2, status: 'succeeded' });
      const firstEnded = Date.parse(first.created_at) + first.duration_ms;
      expect(Date.parse(first.next_attempt_at) - firstEnded).toBe(5_000);
      expect(Date.parse(second.created_at)).toBeGreaterThanOrEqual(Date.parse(first.next_attempt_at));
      expect(second.next_attempt_at).toBeNull();
    } finally {
      await hook.close();
      await platform.close();
    }
  });
});

describe('delivery concurrency', () => {
  let platform: Awaited<ReturnType<typeof start>>['platform'];
  let api: Client;
  beforeAll(async () => {
    // A long attempt timeout, so that "while it hangs" holds however slow this machine is today.
    ({ platform, api } = await start({ webhookRetryScheduleMs: [600_000], webhookAttemptTimeoutMs: 60_000 }));
  });
  afterAll(async () => {
    await platform.close();
  });

  it("one hung request does not hold back the endpoint's later deliveries", async () => {
    // The first request hangs (until the attempt timeout); every later one is answered at once.
    const hook = await receiver((req, res, n) => (n === 1 ? hang(req, res, n) : ok(req, res, n)));
    try {
      const ep = await endpoint(api, hook.url);
      await holder(api, 0);
      await eventually(() => hook.state.open === 1);
      for (let i = 1; i <= 8; i++) await holder(api, i);
      // All eight arrive while the first is still hanging.
      await eventually(() => hook.state.requests >= 9);
      expect(hook.state.open).toBe(1);
      const recorded = await eventually(async () => {
        const list = await deliveries(api, ep);
        return list.length >= 8 ? list : undefined;
      });
      expect(recorded.every((d) => d.status === 'succeeded')).toBe(true);
    } finally {
      await hook.close();
    }
  });

  it('bounds attempts in flight per endpoint; a hanging, a resetting and a failing receiver never slow a healthy one', async () => {
    const hanging = await receiver(hang);
    const resetting = await receiver(reset);
    const failing = await receiver(fail);
    const healthy = await receiver(ok);
    try {
      const ids = {
        hanging: await endpoint(api, hanging.url),
        resetting: await endpoint(api, resetting.url),
        failing: await endpoint(api, failing.url),
        healthy: await endpoint(api, healthy.url),
      };
      const events = 12;
      for (let i = 0; i < events; i++) await holder(api, 100 + i);
      await eventually(() => healthy.state.requests >= events);
      // Exactly four of the twelve are open at the hanging receiver; the rest wait their turn.
      await eventually(() => hanging.state.open === 4);
      expect(hanging.state.maxOpen).toBe(4);
      await eventually(async () => (await deliveries(api, ids.failing)).length >= events);
      await eventually(async () => (await deliveries(api, ids.resetting)).length >= events);
      const failed = await deliveries(api, ids.failing);
      expect(failed.every((d) => d.status === 'failed' && d.error === 'endpoint answered 500')).toBe(true);
      expect(failed.every((d) => d.next_attempt_at !== null)).toBe(true);
      const reset = await deliveries(api, ids.resetting);
      expect(reset.every((d) => d.status === 'failed' && d.response_status === null)).toBe(true);
      expect(reset[0]?.error).toMatch(/reset|socket|closed/i);
      expect(await deliveries(api, ids.hanging)).toEqual([]);
      expect(hanging.state.maxOpen).toBe(4);
    } finally {
      await Promise.all([hanging.close(), resetting.close(), failing.close(), healthy.close()]);
    }
  });
});

describe('the per-attempt timeout', () => {
  it('ends a hung attempt at the timeout and records it', async () => {
    const { platform, api } = await start({
      webhookRetryScheduleMs: [600_000],
      webhookAttemptTimeoutMs: 1_000,
    });
    const hook = await receiver(hang);
    try {
      const ep = await endpoint(api, hook.url);
      await holder(api, 0);
      const [hung] = await eventually(async () => {
        const list = await deliveries(api, ep);
        return list.length >= 1 ? list : undefined;
      });
      expect(hung).toMatchObject({ status: 'failed', response_status: null, error: 'timeout after 1000 ms' });
      expect(hung.next_attempt_at).not.toBeNull();
    } finally {
      await hook.close();
      await platform.close();
    }
  });
});

describe('POST /webhook_deliveries/{delivery}/retry', () => {
  it('redelivers after the receiver is fixed, records the attempt and ends the schedule', async () => {
    const { platform, api } = await start({ webhookRetryScheduleMs: [600_000, 600_000] });
    let broken = true;
    const hook = await receiver((req, res, n) => (broken ? fail(req, res, n) : ok(req, res, n)));
    try {
      const ep = await endpoint(api, hook.url);
      await holder(api, 0);
      const [failed] = await eventually(async () => {
        const list = await deliveries(api, ep);
        return list.length >= 1 ? list : undefined;
      });
      expect(failed).toMatchObject({ attempt: 1, status: 'failed' });
      expect(failed.next_attempt_at).not.toBeNull();

      broken = false;
      const retried = await api.post(`/webhook_deliveries/${failed.id}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({
        object: 'webhook_delivery',
        event: failed.event,
        endpoint: ep,
        attempt: 2,
        status: 'succeeded',
        response_status: 200,
        next_attempt_at: null,
      });
      expect(hook.state.ids).toEqual([failed.event, failed.event]);
      const list = await deliveries(api, ep);
      expect(list.map((d) => d.id)).toEqual([failed.id, retried.body.id]);

      // A failing manual retry keeps the schedule as it was (here: none left after success).
      broken = true;
      const again = await api.post(`/webhook_deliveries/${failed.id}/retry`);
      expect(again.body).toMatchObject({ attempt: 3, status: 'failed', next_attempt_at: null });

      const missing = await api.post('/webhook_deliveries/whd_missing0000/retry');
      expect(missing.status).toBe(404);
      expect(missing.body.param).toBe('delivery');

      await api.patch(`/webhook_endpoints/${ep}`, { status: 'disabled' });
      const disabled = await api.post(`/webhook_deliveries/${failed.id}/retry`);
      expect(disabled.status).toBe(409);
      expect(disabled.body).toMatchObject({ code: 'state_invalid', param: 'webhook_endpoint' });
    } finally {
      await hook.close();
      await platform.close();
    }
  });
});

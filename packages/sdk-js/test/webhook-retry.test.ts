import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './helpers/platform';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ webhookRetryScheduleMs: [600_000] });
});
afterAll(() => sandbox?.close());

describe('client.webhookDeliveries.retry', () => {
  it('redelivers an event after the receiver is fixed and returns the new attempt', async () => {
    const { client } = sandbox;
    let status = 503;
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers['webhook-id']));
      req.resume();
      req.on('end', () => res.writeHead(status).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const endpoint = await client.webhookEndpoints.create({ url, enabled_events: ['cardholder.created'] });
      await client.cardholders.create({ type: 'individual', name: 'Retry Me', email: 'r@example.com' });
      let failed: Awaited<ReturnType<typeof client.webhookDeliveries.retry>> | undefined;
      for (let i = 0; i < 200 && !failed; i++) {
        const page = await client.webhookEndpoints.listDeliveries(endpoint.id);
        failed = page.data[0];
        if (!failed) await new Promise((r) => setTimeout(r, 50));
      }
      expect(failed).toMatchObject({ attempt: 1, status: 'failed', response_status: 503 });

      status = 200;
      const retried = await client.webhookDeliveries.retry((failed as { id: string }).id);
      expect(retried).toMatchObject({
        object: 'webhook_delivery',
        event: failed?.event,
        endpoint: endpoint.id,
        attempt: 2,
        status: 'succeeded',
        response_status: 200,
        next_attempt_at: null,
      });
      expect(seen).toEqual([failed?.event, failed?.event]);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});

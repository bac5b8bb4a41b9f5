import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, OpenIssuing } from '../src/index.node';
import { type Sandbox, seedCard, sharedSandbox } from './helpers/platform';
import { startFlakyProxy } from './helpers/servers';

// The real platform behind a TCP proxy that forwards a request, lets the platform apply it, and cuts the
// connection before the answer arrives. The platform honours Idempotency-Key on POST only.
let sandbox: Sandbox;
let client: OpenIssuing;

beforeAll(async () => {
  sandbox = await sharedSandbox();
  client = sandbox.client;
});
afterAll(() => sandbox?.close());

const via = (baseUrl: string) => new OpenIssuing({ apiKey: sandbox.platform.apiKey, baseUrl, maxRetries: 2 });

describe('after the connection is cut once the request was sent', () => {
  it('does not send a DELETE again: the caller gets a ConnectionError, not a 404 for a delete that worked', async () => {
    const endpoint = await client.webhookEndpoints.create({
      url: 'https://hooks.example.com/openissuing',
      enabled_events: ['card.created'],
    });
    const proxy = await startFlakyProxy(sandbox.platform.url, /^DELETE \/webhook_endpoints\//);
    try {
      const error = await via(proxy.url)
        .webhookEndpoints.delete(endpoint.id)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).not.toContain('attempts');
      expect(proxy.requests.filter((r) => r.startsWith('DELETE '))).toHaveLength(1);
      // it was applied, once
      await expect(client.webhookEndpoints.retrieve(endpoint.id)).rejects.toMatchObject({
        status: 404,
        code: 'resource_missing',
      });
    } finally {
      await proxy.close();
    }
  });

  it('does not send a PATCH again, and the change is applied once', async () => {
    const { card } = await seedCard(client, {}, {}, 0);
    const proxy = await startFlakyProxy(sandbox.platform.url, /^PATCH \/cards\//);
    try {
      const error = await via(proxy.url)
        .cards.update(card.id, { metadata: { po: '42' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(proxy.requests.filter((r) => r.startsWith('PATCH '))).toHaveLength(1);
      expect(proxy.requests.find((r) => r.startsWith('PATCH '))).not.toMatch(/idempotency-key/i);
      expect((await client.cards.retrieve(card.id)).metadata).toEqual({ po: '42' });
    } finally {
      await proxy.close();
    }
  });

  it('still retries a GET, which changes nothing', async () => {
    const { card } = await seedCard(client, {}, {}, 0);
    const proxy = await startFlakyProxy(sandbox.platform.url, /^GET \/cards\//);
    try {
      const again = await via(proxy.url).cards.retrieve(card.id);
      expect(again.id).toBe(card.id);
      expect(proxy.requests.filter((r) => r.startsWith('GET /cards/'))).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});

describe('when the connection was never made', () => {
  it('retries a PATCH to a refused port (nothing reached a server), every attempt', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const error = await via(`http://127.0.0.1:${port}`)
      .cards.update('ic_123', { metadata: { po: '1' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('ECONNREFUSED');
    expect((error as ConnectionError).message).toContain('after 3 attempts');
  });
});

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConnectionError, OpenIssuing } from '../src/index.node';

/** A port on 127.0.0.1 that nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('ConnectionError', () => {
  it('names the base URL, the socket error code and what to check', async () => {
    const port = await closedPort();
    const client = new OpenIssuing({
      apiKey: 'sk_test_x',
      baseUrl: `http://127.0.0.1:${port}`,
      maxRetries: 1,
    });
    const error = (await client.cards.list().catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({
      baseUrl: `http://127.0.0.1:${port}/`,
      code: 'ECONNREFUSED',
      reason: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect(error.message).toBe(
      `Could not reach the OpenIssuing API at http://127.0.0.1:${port}/ (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}), after 2 attempts. Check that the platform runs there (npx openissuing serve) and that \`baseUrl\` (or OPENISSUING_BASE_URL) is right.`,
    );
  });

  it('never prints the API key, nor a password or query in the base URL', async () => {
    const port = await closedPort();
    const client = new OpenIssuing({
      apiKey: 'sk_test_secret_do_not_print',
      baseUrl: `http://user:hunter2@127.0.0.1:${port}/?token=abc`,
      maxRetries: 0,
    });
    const error = (await client.cards.list().catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain(`at http://127.0.0.1:${port}/ (`);
    for (const secret of ['sk_test_secret', 'hunter2', 'user:', 'token=abc']) {
      expect(`${error.message} ${error.reason} ${error.baseUrl}`).not.toContain(secret);
    }
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuickBooksEmulator, type QuickBooksEmulatorOptions } from './emulator.js';

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** What node-quickbooks calls its endpoint: `<url>/v3/company/`. */
  endpoint: string;
  /** The OAuth2 token endpoint: `<url>/oauth2/v1/tokens/bearer`. */
  tokenUrl: string;
  emulator: QuickBooksEmulator;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Serves a QuickBooks Online emulator over real HTTP on loopback.
 *
 * @example
 * const qbo = await startQuickBooksEmulator({ limits: { windowMs: 1000 } });
 * const tokens = qbo.emulator.issueTokens();
 * // point the connector at qbo.endpoint and qbo.tokenUrl …
 * await qbo.close();
 */
export async function startQuickBooksEmulator(
  options: QuickBooksEmulatorOptions & { emulator?: QuickBooksEmulator; port?: number; host?: string } = {},
): Promise<RunningEmulator> {
  const emulator = options.emulator ?? new QuickBooksEmulator(options);
  const server: Server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const out = await emulator.handle({
          method: req.method ?? 'GET',
          url,
          headers: { get: (n) => (req.headers[n.toLowerCase()] as string | undefined) ?? null },
          body,
        });
        if (out.drop) {
          req.socket.destroy();
          return;
        }
        res.writeHead(out.status, out.headers).end(out.body);
      })
      .catch((err: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`emulator error: ${err.message}`);
      });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    endpoint: `${url}/v3/company/`,
    tokenUrl: `${url}/oauth2/v1/tokens/bearer`,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

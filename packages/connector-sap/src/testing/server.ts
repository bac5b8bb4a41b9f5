import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CUBE_PATH,
  JOURNAL_ENTRY_POST_PATH,
  SapEmulator,
  type SapEmulatorOptions,
  TOKEN_PATH,
} from './emulator.js';

/** A running loopback SAP emulator and the URLs to point the connector at. */
export interface RunningSapEmulator {
  /** `http://127.0.0.1:<port>` — the tenant's API host. */
  url: string;
  /** Full URL of the Journal Entry – Post SOAP service. */
  soapUrl: string;
  /** Full URL of the API_OPLACCTGDOCITEMCUBE_SRV service root. */
  cubeUrl: string;
  tokenUrl: string;
  emulator: SapEmulator;
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
 * Serves an SAP emulator over real HTTP on loopback (port 0 picks a free port).
 *
 * @example
 * const sap = await startSapEmulator({ latencyMs: 20 });
 * // SapAdapter({ url: sap.url, username: sap.emulator.username, password: sap.emulator.password, … })
 * await sap.close();
 */
export async function startSapEmulator(
  options: SapEmulatorOptions & { emulator?: SapEmulator; port?: number; host?: string } = {},
): Promise<RunningSapEmulator> {
  const emulator = options.emulator ?? new SapEmulator(options);
  const server: Server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const out = await emulator.handle({
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
          headers: {
            get: (n) => {
              const v = req.headers[n.toLowerCase()];
              return Array.isArray(v) ? v.join('; ') : (v ?? null);
            },
          },
          body,
        });
        if (out.drop) {
          req.socket.destroy();
          return;
        }
        res.writeHead(out.status, out.headers).end(req.method === 'HEAD' ? undefined : out.body);
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
    soapUrl: `${url}${JOURNAL_ENTRY_POST_PATH}`,
    cubeUrl: `${url}${CUBE_PATH}`,
    tokenUrl: `${url}${TOKEN_PATH}`,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OracleEmulator, type OracleEmulatorOptions } from './emulator.js';

export interface RunningOracleEmulator {
  /** `http://127.0.0.1:<port>` — the connector's `baseUrl`. */
  url: string;
  emulator: OracleEmulator;
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
 * Serves an Oracle Fusion emulator over real HTTP on loopback.
 *
 * @example
 * const oracle = await startOracleEmulator({ jobLatency: { queuedMs: 100, runningMs: 500 } });
 * // connector options: { baseUrl: oracle.url, … }; credentials integration.user / emulator-password
 * await oracle.close();
 */
export async function startOracleEmulator(
  options: OracleEmulatorOptions & { emulator?: OracleEmulator; port?: number; host?: string } = {},
): Promise<RunningOracleEmulator> {
  const emulator = options.emulator ?? new OracleEmulator(options);
  const server: Server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const out = await emulator.handle({
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', 'http://127.0.0.1'),
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
  return {
    url: `http://127.0.0.1:${port}`,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, createServer as createTcpServer, type Socket } from 'node:net';

/** Closes a server and every open connection. */
async function closeServer(server: Server | ReturnType<typeof createTcpServer>, sockets: Set<Socket>) {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target`. When `dropResponseTo` matches a request's first
 * line, the request is forwarded, the upstream starts answering, and the client connection is then
 * destroyed before any byte of the response reaches it: a request that succeeded on the server but
 * whose answer was lost.
 */
export async function startFlakyProxy(target: string, dropResponseTo: RegExp, times = 1) {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  let drops = 0;
  const server = createTcpServer((client) => {
    sockets.add(client);
    const server = connect(Number(upstream.port), upstream.hostname);
    sockets.add(server);
    let drop = false;
    client.on('data', (chunk: Buffer) => {
      const head = chunk.toString('latin1');
      const line = head.split('\r\n', 1)[0] ?? '';
      if (/^[A-Z]+ \S+ HTTP\/1\.1$/.test(line)) requests.push(head.slice(0, head.indexOf('\r\n\r\n')));
      if (drops < times && dropResponseTo.test(line)) {
        drops++;
        drop = true;
      }
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      if (drop) {
        client.destroy();
        server.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      server.destroy();
    };
    client.on('close', end);
    server.on('close', end);
    client.on('error', end);
    server.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The head (request line + headers) of every request that went through. */
    requests,
    close: () => closeServer(server, sockets),
  };
}

/** Adapts a fetch-style handler to node:http and serves it on 127.0.0.1. */
export async function serveFetchHandler(handler: (request: Request) => Promise<Response>) {
  const sockets = new Set<Socket>();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => closeServer(server, sockets),
  };
}

/**
 * The dashboard's own backend: the only place that holds the OpenIssuing secret key. It serves the
 * built front end, mints ephemeral keys for the card widgets, and forwards the few API calls the
 * dashboard needs. A real app would also check that the signed-in user may see or change each card.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import {
  APIError,
  type CardCreateParams,
  type CardUpdateParams,
  OpenIssuing,
  type TestAuthorizationCreateParams,
} from '@openissuing/sdk';
import { approvalRoutes } from './approvals.ts';

export interface BackendOptions {
  /** The platform the browser and this backend talk to. */
  platformUrl: string;
  /** Secret key (sk_test_…). Stays on the server. */
  apiKey: string;
  /** Built front end (vite build output) to serve; omit when using the Vite dev server. */
  staticDir?: string;
  /** @default 0 (random) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
}

export interface Backend {
  url: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** An error the backend answers with its own status (exported for the route modules). */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.');
  }
}

function list<T>(page: { data: T[]; hasMore: boolean; nextCursor: string | null }) {
  return { object: 'list', data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor };
}

function listQuery(url: URL) {
  const card = url.searchParams.get('card');
  if (!card) throw new HttpError(400, 'Query parameter "card" is required.');
  const limit = Number(url.searchParams.get('limit') ?? 10);
  const cursor = url.searchParams.get('cursor') ?? undefined;
  return { card, limit, ...(cursor ? { cursor } : {}) };
}

/**
 * Starts the backend.
 *
 * @example
 * const backend = await startBackend({ platformUrl: platform.url, apiKey: platform.apiKey, staticDir: 'dist' });
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const client = new OpenIssuing({ apiKey: options.apiKey, baseUrl: options.platformUrl, maxRetries: 0 });
  const approvals = await approvalRoutes(client, options.platformUrl);

  async function api(req: IncomingMessage, url: URL): Promise<unknown> {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /api/config') return { platformUrl: options.platformUrl };
    if (route === 'POST /api/ephemeral-keys') {
      const { card } = await readJson(req);
      if (typeof card !== 'string') throw new HttpError(400, 'Body field "card" (a card id) is required.');
      const key = await client.ephemeralKeys.create({ card });
      return { secret: key.secret, expires_at: key.expires_at };
    }
    if (route === 'GET /api/cards') return list(await client.cards.list({ limit: 50 }));
    // The platform validates bodies against the spec and answers with a problem naming the field.
    if (route === 'POST /api/cards') return client.cards.create((await readJson(req)) as CardCreateParams);
    if (route === 'GET /api/cardholders') return list(await client.cardholders.list({ limit: 50 }));
    if (route === 'GET /api/balance') return client.balance.retrieve();
    if (route === 'GET /api/authorizations') return list(await client.authorizations.list(listQuery(url)));
    if (route === 'GET /api/transactions') return list(await client.transactions.list(listQuery(url)));
    const action = /^\/api\/cards\/([\w-]+)(?:\/(freeze|unfreeze))?$/.exec(url.pathname);
    if (action?.[1] && req.method === 'POST' && action[2]) {
      return action[2] === 'freeze' ? client.cards.freeze(action[1]) : client.cards.unfreeze(action[1]);
    }
    if (action?.[1] && req.method === 'PATCH' && !action[2]) {
      // Only what the dashboard edits; anything else stays server-side.
      const { spending_controls, metadata } = (await readJson(req)) as CardUpdateParams;
      return client.cards.update(action[1], { spending_controls, ...(metadata ? { metadata } : {}) });
    }
    if (route === 'POST /api/simulate/authorization') {
      const body = await readJson(req);
      if (typeof body.card !== 'string') throw new HttpError(400, 'Body field "card" is required.');
      const card = await client.cards.retrieve(body.card);
      const authorization = await client.testHelpers.authorizations.create({
        card: card.id,
        amount: body.amount as TestAuthorizationCreateParams['amount'],
        currency: card.currency,
        merchant_data: body.merchant as TestAuthorizationCreateParams['merchant_data'],
      });
      // Settle approved purchases at once so "Settled transactions" fills up too.
      if (authorization.approved) await client.testHelpers.authorizations.capture(authorization.id);
      return authorization;
    }
    const approval = await approvals(req, url, () => readJson(req));
    if (approval !== undefined) return approval;
    throw new HttpError(404, `No route ${route}.`);
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    if (!options.staticDir) throw new HttpError(404, 'No front end here; use the Vite dev server.');
    const file = normalize(pathname === '/' ? '/index.html' : pathname);
    if (file.includes('..')) throw new HttpError(400, 'Bad path.');
    let body: Buffer;
    let type = MIME[extname(file)] ?? 'application/octet-stream';
    try {
      body = await readFile(join(options.staticDir, file));
    } catch {
      body = await readFile(join(options.staticDir, 'index.html'));
      type = MIME['.html'] as string;
    }
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const work = url.pathname.startsWith('/api/')
      ? api(req, url).then((result) => send(res, 200, result))
      : serveStatic(res, url.pathname);
    work.catch((error: unknown) => {
      if (error instanceof APIError) {
        send(
          res,
          error.status,
          error.problem ?? { title: error.message, status: error.status, detail: error.message },
        );
      } else if (error instanceof HttpError) {
        send(res, error.status, { title: error.message, status: error.status, detail: error.message });
      } else {
        console.error('backend error:', error instanceof Error ? error.message : error);
        send(res, 500, { title: 'Internal error', status: 500, detail: 'The dashboard backend failed.' });
      }
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

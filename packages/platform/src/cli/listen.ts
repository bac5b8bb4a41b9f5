import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiClient } from '../seed';
import { type Command, target, URL_OPTION, UsageError } from './command';

const options = {
  ...URL_OPTION,
  'forward-to': { type: 'string' },
  events: { type: 'string' },
} as const;

/** Headers a delivery carries that the receiver needs to verify and dedupe it. */
const FORWARDED = ['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'webhook-signature'];
const FORWARD_TIMEOUT_MS = 10_000;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function describeFailure(error: unknown): string {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${FORWARD_TIMEOUT_MS / 1000} s`;
  return code === 'ECONNREFUSED'
    ? 'connection refused (is your server running?)'
    : (code ?? (error as Error).message);
}

export const listen: Command<typeof options> = {
  name: 'listen',
  summary: 'forward a sandbox\u2019s signed webhook deliveries to your local server',
  usage: `Usage: openissuing listen --forward-to <url> [--events <types>] [--url <platform url>]

Registers a temporary webhook endpoint on the platform, prints its signing secret, and forwards
every signed delivery (body and webhook-* headers unchanged, so your signature check passes with
the printed secret) to your server, printing each event with your server's answer. Your answer goes
back to the platform: a non-2xx is retried on the platform's schedule, and the JSON answer to an
authorization.request is the decision. Ctrl-C removes the endpoint.

Options:
  --forward-to <url>   where to POST each delivery, e.g. http://localhost:3000/webhooks (required)
  --events <types>     comma-separated event types (default *: every event except
                       authorization.request, which an endpoint must name to receive)
  --url <url>          the platform (default OPENISSUING_BASE_URL, else http://127.0.0.1:4100)
  -h, --help           show this help
  -v, --version        show the version

Environment:
  OPENISSUING_API_KEY  the platform's secret key (required)

Example:
  OPENISSUING_API_KEY=sk_test_local_sandbox_key openissuing listen --forward-to http://localhost:3000/webhooks
  # in another terminal: openissuing trigger transaction.created`,
  options,
  async run(values) {
    const forwardTo = values['forward-to'];
    if (!forwardTo)
      throw new UsageError(
        '--forward-to is required: the URL of your webhook handler, e.g. http://localhost:3000/webhooks.',
      );
    let forwardUrl: URL;
    try {
      forwardUrl = new URL(forwardTo);
    } catch {
      throw new UsageError(
        `--forward-to: '${forwardTo}' is not a URL; write it like http://localhost:3000/webhooks.`,
      );
    }
    if (!/^https?:$/.test(forwardUrl.protocol))
      throw new UsageError(`--forward-to: '${forwardTo}' must be an http:// or https:// URL.`);
    const events = (values.events ?? '*')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const platform = target(values);
    const call = apiClient(platform);

    const relay = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      const started = Date.now();
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      let type = '?';
      let id = headers['webhook-id'] ?? '?';
      try {
        ({ type, id } = JSON.parse(body.toString('utf8')) as { type: string; id: string });
      } catch {}
      const stamp = new Date().toISOString().slice(11, 19);
      try {
        const answer = await fetch(forwardUrl, {
          method: 'POST',
          headers,
          body: new Uint8Array(body),
          redirect: 'manual',
          signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        });
        const text = await answer.text();
        console.log(
          `${stamp}  ${type.padEnd(22)} ${id}  → ${answer.status} ${answer.statusText} (${Date.now() - started} ms)`,
        );
        res
          .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' })
          .end(text);
      } catch (error) {
        console.log(`${stamp}  ${type.padEnd(22)} ${id}  → failed: ${describeFailure(error)}`);
        res
          .writeHead(502, { 'content-type': 'text/plain' })
          .end('openissuing listen could not reach the forward target');
      }
    });
    await new Promise<void>((resolve, reject) => {
      relay.once('error', reject);
      relay.listen(0, '127.0.0.1', resolve);
    });
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/`;
    let endpoint: { id: string; secret: string };
    try {
      endpoint = await call<{ id: string; secret: string }>('POST', '/webhook_endpoints', {
        url: relayUrl,
        enabled_events: events,
        description: `openissuing listen → ${forwardUrl.href} (temporary)`,
      });
    } catch (error) {
      relay.close();
      throw error;
    }
    console.log(`Ready. Forwarding ${events.join(', ')} from ${platform.url} to ${forwardUrl.href}`);
    console.log(
      `Webhook signing secret: ${endpoint.secret}   (endpoint ${endpoint.id}, removed when you stop)`,
    );
    console.log('Set it as OPENISSUING_WEBHOOK_SECRET in your server. Ctrl-C to stop.');

    return await new Promise<number>((resolve) => {
      const stop = async () => {
        relay.close();
        relay.closeAllConnections();
        const removed = await call('DELETE', `/webhook_endpoints/${endpoint.id}`).then(
          () => true,
          (error: Error) => {
            console.error(`Could not remove endpoint ${endpoint.id}: ${error.message}`);
            return false;
          },
        );
        if (removed) console.log(`Removed endpoint ${endpoint.id}.`);
        resolve(removed ? 0 : 1);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};

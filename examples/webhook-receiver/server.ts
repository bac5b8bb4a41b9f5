/**
 * A webhook receiver for OpenIssuing: verifies every delivery (Standard Webhooks signatures, raw
 * body) and answers real-time authorization requests within the platform's 2 s deadline.
 *
 *   POST /webhooks   events (card.created, authorization.created, transaction.created, …)
 *   POST /authorize  the authorization.request webhook: approve or decline each authorization
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  type Authorization,
  categoryForMcc,
  createAuthorizationHandler,
  type WebhookEvent,
  WebhookVerificationError,
  webhooks,
} from '@openissuing/sdk';

export interface ReceiverOptions {
  /** Secret of the endpoint that receives events (`whsec_…`). */
  webhookSecret: string;
  /** Secret of the endpoint subscribed to `authorization.request`. */
  authorizationSecret: string;
  /** Called with every verified event. */
  onEvent?: (event: WebhookEvent) => void;
}

/** The approval policy: your business rules, applied after the platform's spending controls. */
export function decide(authorization: Authorization): true | { approved: false; reason: string } {
  if (categoryForMcc(authorization.merchant_data.mcc) === 'gambling') {
    return { approved: false, reason: 'Gambling is against company policy.' };
  }
  if (authorization.amount > 50_000) {
    return { approved: false, reason: 'Purchases over 500.00 need a purchase order.' };
  }
  return true;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function createReceiver(options: ReceiverOptions): Server {
  const authorize = createAuthorizationHandler(decide, {
    secret: options.authorizationSecret,
    timeoutMs: 1_500,
    fallback: 'decline',
    onError: (error) =>
      console.error('authorization webhook:', error instanceof Error ? error.message : error),
  });

  return createServer(async (req, res) => {
    try {
      const body = await readBody(req); // the raw bytes: signatures cover them exactly
      if (req.method === 'POST' && req.url === '/webhooks') {
        const event = await webhooks.unwrap(body, req.headers, options.webhookSecret);
        options.onEvent?.(event);
        console.log(`event ${event.id}: ${event.type}`);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && req.url === '/authorize') {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers))
          if (typeof value === 'string') headers.set(name, value);
        const answer = await authorize(
          new Request('http://localhost/authorize', { method: 'POST', headers, body }),
        );
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(await answer.text());
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        console.warn(`rejected a delivery (${error.reason}): ${error.message}`);
        res.writeHead(400, { 'content-type': 'text/plain' }).end(error.message);
        return;
      }
      console.error(error);
      res.writeHead(500).end();
    }
  });
}

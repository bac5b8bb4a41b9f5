import type { SyncEngine } from './engine.js';
import type { PlatformTransaction } from './transaction.js';

/** A verified OpenIssuing event, as `@openissuing/sdk`'s `webhooks.unwrap` returns it. */
export interface PlatformEvent {
  id: string;
  type: string;
  data: { object: unknown };
}

/**
 * Builds a consumer for `transaction.created` webhooks: verifies the delivery with your
 * `unwrap` (use `client.webhooks.unwrap` from `@openissuing/sdk`), ingests the transaction into the
 * engine's state store (duplicates and redeliveries are ignored) and ignores other event types.
 *
 * @example
 * const consume = createWebhookConsumer({ engine, unwrap: (body, headers) => client.webhooks.unwrap(body, headers, secret) });
 * // in your HTTP handler, with the RAW body:
 * const { ingested } = await consume(rawBody, req.headers);
 */
export function createWebhookConsumer(options: {
  engine: Pick<SyncEngine, 'ingest'>;
  unwrap: (rawBody: string, headers: Record<string, string>) => PlatformEvent | Promise<PlatformEvent>;
}): (rawBody: string, headers: Record<string, string>) => Promise<{ type: string; ingested: number }> {
  return async (rawBody, headers) => {
    const event = await options.unwrap(rawBody, headers);
    if (event.type !== 'transaction.created') return { type: event.type, ingested: 0 };
    const tx = event.data?.object as PlatformTransaction | undefined;
    if (!tx || typeof tx.id !== 'string') {
      throw new Error(
        'transaction.created event has no data.object transaction — is this an OpenIssuing event?',
      );
    }
    const ingested = await options.engine.ingest([tx]);
    return { type: event.type, ingested };
  };
}

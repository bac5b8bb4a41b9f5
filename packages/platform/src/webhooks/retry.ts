import type { Context } from '../context';
import { sql } from '../db/sql';
import { notFound, stateInvalid } from '../lib/errors';
import { type AttemptOptions, attemptDelivery, type ClaimedDelivery, type WebhookDelivery } from './attempt';
import { getEndpointRow } from './endpoints';

/**
 * `POST /webhook_deliveries/{delivery}/retry`: leases the outbox row of
 * that delivery's event (so the worker cannot attempt it at the same moment), makes one attempt now
 * and returns it. Success ends the schedule; failure leaves it as it was.
 *
 * @example
 * const attempt = await retryDelivery(ctx, worker.attemptOptions, 'whd_…');
 */
export async function retryDelivery(
  ctx: Context,
  options: Omit<AttemptOptions, 'manual'>,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const found = await ctx.db.rows<{ event_id: string; endpoint_id: string }>(
    sql`SELECT event_id, endpoint_id FROM webhook_deliveries WHERE id = ${deliveryId}`,
  );
  if (!found[0]) throw notFound('webhook_delivery', deliveryId, 'delivery');
  const { event_id: eventId, endpoint_id: endpointId } = found[0];
  const endpoint = await getEndpointRow(ctx.db, endpointId, ctx.now());
  if (endpoint.data.status !== 'enabled') {
    throw stateInvalid(
      `webhook_endpoint: '${endpointId}' is disabled; enable it with PATCH /webhook_endpoints/${endpointId} {"status":"enabled"}, then retry.`,
      'webhook_endpoint',
    );
  }
  const now = ctx.now();
  const lease = new Date(now.getTime() + options.timeoutMs + 10_000).toISOString();
  const claimed = await ctx.db.rows<ClaimedDelivery>(sql`
    UPDATE webhook_outbox o SET locked_until = ${lease}::timestamptz
    FROM events e
    WHERE o.endpoint_id = ${endpointId} AND o.event_id = ${eventId} AND e.id = o.event_id
      AND (o.locked_until IS NULL OR o.locked_until < ${now.toISOString()}::timestamptz)
    RETURNING o.id, o.endpoint_id, o.event_id, e.data AS event, o.attempt_count, o.status,
      to_char(o.next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS next_attempt_at`);
  const row = claimed[0];
  if (!row) {
    throw stateInvalid(
      `delivery: an attempt of event '${eventId}' to this endpoint is in flight right now; retry in a few seconds.`,
      'delivery',
    );
  }
  const delivery = await attemptDelivery(ctx, row, { ...options, manual: true });
  if (!delivery) throw notFound('webhook_endpoint', endpointId);
  return delivery;
}

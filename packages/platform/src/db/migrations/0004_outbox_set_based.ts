/**
 * Webhook deliveries are now enqueued by the event's own statement (a set-based INSERT … SELECT in
 * `services/events.ts`), so the per-row plpgsql trigger of 0002 goes: same rows, same transaction,
 * no trigger invocation per event.
 */
export const sql = /* sql */ `
DROP TRIGGER IF EXISTS events_enqueue_deliveries ON events;
DROP FUNCTION IF EXISTS oi_enqueue_deliveries();
`;

/**
 * The transactional outbox as a trigger: every event row inserted enqueues one delivery per enabled
 * webhook endpoint subscribed to its type, or to `*` (which never includes `authorization.request`,
 * a synchronous question that is never queued). Same transaction as the event, so a change, its
 * event and its deliveries commit together or not at all.
 */
export const sql = /* sql */ `
CREATE FUNCTION oi_enqueue_deliveries() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.type = 'authorization.request' THEN
    RETURN NULL;
  END IF;
  INSERT INTO webhook_outbox (id, endpoint_id, event_id, status, next_attempt_at, created_at)
  SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, NEW.id, 'pending', NEW.created_at, NEW.created_at
  FROM webhook_endpoints w
  WHERE w.status = 'enabled'
    AND (w.data->'enabled_events' ? NEW.type OR w.data->'enabled_events' ? '*');
  RETURN NULL;
END
$fn$;

CREATE TRIGGER events_enqueue_deliveries AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION oi_enqueue_deliveries();
`;

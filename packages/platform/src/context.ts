import type { Database } from './db/database';
import type { DataCipher } from './lib/crypto';
import type { Logger } from './lib/logger';
import type { CardRequestPolicy } from './services/approval-policy';

/** Program-wide settings (the spec's Program object). */
export interface ProgramSettings {
  id: string;
  object: 'program';
  /** What happens when the real-time authorization webhook times out or errors. @default 'decline' */
  authorization_webhook_fallback: 'approve' | 'decline';
  /** Milliseconds to wait for the real-time authorization webhook (100–2000). @default 2000 */
  authorization_webhook_timeout_ms: number;
  /** Origins allowed to embed the hosted card-display page. @default [] */
  allowed_display_origins: string[];
  /** The currency the spend report converts every amount into. @default 'usd' */
  reporting_currency: string;
  /** Which approvals a card request needs. @default DEFAULT_CARD_REQUEST_POLICY */
  card_request_policy?: CardRequestPolicy;
  created_at: string;
}

/** What every service needs: the database, the data cipher, the clock and a wake-up for the webhook worker. */
export interface Context {
  db: Database;
  cipher: DataCipher;
  now(): Date;
  /** Called after a transaction enqueued webhook deliveries. */
  notifyOutbox(): void;
  /** Called after a webhook endpoint was created or changed. */
  endpointsChanged?(): void;
  program(): ProgramSettings;
  /** Lifetime of new ephemeral keys. */
  ephemeralKeyTtlSeconds: number;
  /** Structured logs (pino). Never give it request bodies, keys or card data. */
  log: Logger;
}

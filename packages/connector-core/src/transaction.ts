/**
 * The platform transaction as the OpenIssuing API returns it (`GET /transactions`,
 * `transaction.created` webhooks). Only the fields the bookkeeping engine reads are typed.
 */
export interface PlatformTransaction {
  id: string;
  object?: 'transaction';
  type: 'capture' | 'refund';
  /** Positive integer amount in minor units of `currency` (the card's currency). */
  amount: number;
  /** Lowercase ISO 4217. */
  currency: string;
  merchant_amount?: number | null;
  merchant_currency?: string | null;
  /** Rate used to convert merchant_currency into currency, when they differ. */
  exchange_rate?: number | string | null;
  merchant_data?: {
    name?: string | null;
    network_id?: string | null;
    mcc?: string | null;
    category?: string | null;
    city?: string | null;
    country?: string | null;
  } | null;
  authorization?: string | null;
  card?: string | null;
  cardholder?: string | null;
  dimensions?: Record<string, string> | null;
  /** RFC 3339 UTC. */
  created_at: string;
}

/** Position in the platform's transaction history: everything at or before it has been ingested. */
export interface SyncCursor {
  createdAt: string;
  id: string;
}

/** Orders transactions oldest first, ties broken by id — the order the engine ingests them in. */
export function compareTransactions(
  a: { created_at: string; id: string },
  b: { created_at: string; id: string },
): number {
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** True when the transaction sorts strictly after the cursor. */
export function isAfterCursor(tx: { created_at: string; id: string }, cursor: SyncCursor | null): boolean {
  if (!cursor) return true;
  return compareTransactions(tx, { created_at: cursor.createdAt, id: cursor.id }) > 0;
}

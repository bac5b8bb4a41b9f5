import type { CardDetails } from './types.js';

/** Error thrown when the platform answers with an RFC 9457 problem. */
export class OpenIssuingRequestError extends Error {
  override readonly name = 'OpenIssuingRequestError';
  readonly status: number;
  readonly code: string | undefined;
  constructor(status: number, detail: string, code?: string) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

/**
 * Reads a card's PAN, CVC and expiry with an ephemeral key scoped to that card
 * (`GET /cards/{card}/details`). Only used by `<CardDisplay>` outside `secure` mode.
 */
export async function fetchCardDetails(
  baseUrl: string,
  cardId: string,
  secret: string,
): Promise<CardDetails> {
  const response = await fetch(`${baseUrl}/cards/${encodeURIComponent(cardId)}/details`, {
    headers: { authorization: `Bearer ${secret}`, accept: 'application/json' },
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const detail = typeof body.detail === 'string' ? body.detail : `HTTP ${response.status}`;
    throw new OpenIssuingRequestError(
      response.status,
      detail,
      typeof body.code === 'string' ? body.code : undefined,
    );
  }
  return body as unknown as CardDetails;
}

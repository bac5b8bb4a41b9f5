import type { Event } from '../types';
import { timingSafeEqual } from './base64';
import { type HeadersLike, readHeader } from './headers';
import { hmacBase64 } from './hmac';
import { WebhookVerificationError } from './webhook-verification-error';

/** A raw request body: the exact bytes received, as a string or bytes. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** A webhook secret, or several during a rotation (any one may match). */
export type WebhookSecret = string | readonly string[];

/** Options for `verify` and `unwrap`. */
export interface VerifyOptions {
  /** Accepted clock difference in seconds, both ways. @default 300 */
  tolerance?: number;
  /** "Now" in Unix seconds, for tests. @default Math.floor(Date.now() / 1000) */
  now?: number;
}

/** Options for `new Webhooks(options)`. */
export interface WebhooksOptions {
  /** Default secret(s) when a call passes none. */
  secret?: WebhookSecret | undefined;
  /** @default 300 */
  tolerance?: number;
}

/** Input of {@link Webhooks.generateTestHeaders}. */
export interface TestHeadersInput {
  /** The exact body you will send (a string, or an object that is JSON-serialised for you). */
  payload: string | object;
  secret: string;
  /** @default a random `msg_…` id */
  id?: string;
  /** Unix seconds. @default now */
  timestamp?: number;
}

/** The three Standard Webhooks headers. */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

const decoder = new TextDecoder();

function normalizePayload(payload: unknown): string | Uint8Array {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  throw new WebhookVerificationError(
    'payload_not_raw',
    'Pass the raw body (string or bytes), not parsed JSON: use `await request.text()` or express.raw().',
  );
}

/**
 * Verifies and parses webhook deliveries signed per Standard Webhooks. Runs anywhere Web Crypto
 * does (Node, Deno, Bun, browsers, edge workers) and needs no API key.
 *
 * @example
 * import { webhooks } from '@openissuing/sdk';
 *
 * export async function POST(request: Request) {
 *   const event = await webhooks.unwrap(await request.text(), request.headers, process.env.OPENISSUING_WEBHOOK_SECRET);
 *   if (event.type === 'transaction.created') book(event.data.object);
 *   return new Response(null, { status: 204 });
 * }
 */
export class Webhooks {
  readonly #secret: WebhookSecret | undefined;
  readonly #tolerance: number;

  constructor(options: WebhooksOptions = {}) {
    this.#secret = options.secret;
    this.#tolerance = options.tolerance ?? 300;
  }

  /**
   * Checks the signature and timestamp of a delivery; throws {@link WebhookVerificationError} if
   * they do not verify.
   *
   * @example
   * await webhooks.verify(rawBody, request.headers, [newSecret, oldSecret]);
   */
  async verify(
    payload: RawBody,
    headers: HeadersLike,
    secret?: WebhookSecret,
    options: VerifyOptions = {},
  ): Promise<void> {
    const body = normalizePayload(payload);
    const id = readHeader(headers, 'webhook-id');
    const timestamp = readHeader(headers, 'webhook-timestamp');
    const signatures = readHeader(headers, 'webhook-signature');
    if (!id || !timestamp || !signatures) {
      throw new WebhookVerificationError(
        'missing_header',
        'Missing webhook-id, -timestamp or -signature header.',
      );
    }
    const seconds = Number(timestamp);
    if (!/^\d{1,12}$/.test(timestamp)) {
      throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not Unix seconds.');
    }
    const secrets = this.#secrets(secret);
    const tolerance = options.tolerance ?? this.#tolerance;
    const skew = (options.now ?? Math.floor(Date.now() / 1000)) - seconds;
    // written to fail closed: a NaN skew (a bad `now`) is outside every tolerance
    if (!(Math.abs(skew) <= tolerance)) {
      throw new WebhookVerificationError(
        skew > 0 ? 'timestamp_too_old' : 'timestamp_too_new',
        `Timestamp ${skew} s off (tolerance ${tolerance} s): a replay, or check NTP.`,
      );
    }
    const prefix = `${id}.${timestamp}.`;
    const offered = signatures.split(' ');
    for (const s of secrets) {
      const expected = `v1,${await hmacBase64(s, prefix, body)}`;
      for (const candidate of offered) if (timingSafeEqual(candidate, expected)) return;
    }
    throw new WebhookVerificationError(
      'no_matching_signature',
      'No signature matches: check the secret (pass both while rotating) and use the raw body.',
    );
  }

  /**
   * Verifies a delivery and returns the parsed, typed event.
   *
   * @example
   * const event = await webhooks.unwrap(rawBody, request.headers, secret);
   * switch (event.type) { case 'card.created': … }
   */
  async unwrap(
    payload: RawBody,
    headers: HeadersLike,
    secret?: WebhookSecret,
    options?: VerifyOptions,
  ): Promise<Event> {
    await this.verify(payload, headers, secret, options);
    let event: Partial<Event> | undefined;
    try {
      event = JSON.parse(typeof payload === 'string' ? payload : decoder.decode(payload));
    } catch {}
    if (typeof event?.type !== 'string') {
      throw new WebhookVerificationError('invalid_payload', 'The signed body is not an event.');
    }
    return event as Event;
  }

  /**
   * Headers for a payload signed with your secret, for testing your own webhook handler.
   *
   * @example
   * const body = JSON.stringify(event);
   * const headers = await webhooks.generateTestHeaders({ payload: body, secret });
   * await fetch('http://127.0.0.1:3000/webhooks', { method: 'POST', headers, body });
   */
  async generateTestHeaders(input: TestHeadersInput): Promise<WebhookHeaders> {
    const payload = typeof input.payload === 'string' ? input.payload : JSON.stringify(input.payload);
    const id = input.id ?? `msg_${crypto.randomUUID()}`;
    const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
    return {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1,${await hmacBase64(input.secret, `${id}.${timestamp}.`, payload)}`,
    };
  }

  #secrets(secret: WebhookSecret | undefined): readonly string[] {
    const value = secret ?? this.#secret;
    if (!value?.length) {
      throw new WebhookVerificationError('invalid_secret', 'Missing webhook secret (whsec_…).');
    }
    return typeof value === 'string' ? [value] : value;
  }
}

/**
 * A ready {@link Webhooks} instance with default options.
 *
 * @example
 * const event = await webhooks.unwrap(rawBody, headers, process.env.OPENISSUING_WEBHOOK_SECRET);
 */
export const webhooks: Webhooks = new Webhooks();

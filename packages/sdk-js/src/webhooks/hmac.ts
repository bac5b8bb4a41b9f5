import { fromBase64, toBase64 } from './base64';
import { WebhookVerificationError } from './webhook-verification-error';

/** A synchronous HMAC-SHA256 → base64 implementation (the Node entry plugs in node:crypto's). */
export type NativeHmac = (key: Uint8Array, prefix: string, payload: string | Uint8Array) => string;

let native: NativeHmac | undefined;

/** Installs a synchronous HMAC used instead of Web Crypto (same result, faster). Called by the Node entry. */
export function setNativeHmac(implementation: NativeHmac | undefined): void {
  native = implementation;
}

/** The installed synchronous HMAC, if any (tests and benchmarks switch between both paths). */
export function getNativeHmac(): NativeHmac | undefined {
  return native;
}

const encoder = new TextEncoder();
const keys = new Map<string, [Uint8Array, Promise<CryptoKey>?]>();

/** Decodes a `whsec_<base64>` secret (prefix optional), caching the bytes and the Web Crypto key. */
function keyFor(secret: string): [Uint8Array, Promise<CryptoKey>?] {
  let entry = keys.get(secret);
  if (!entry) {
    if (/\s/.test(secret)) {
      throw new WebhookVerificationError(
        'invalid_secret',
        'The webhook secret contains whitespace; trim it.',
      );
    }
    const bytes = fromBase64(secret.startsWith('whsec_') ? secret.slice(6) : secret);
    if (!bytes?.length)
      throw new WebhookVerificationError('invalid_secret', 'The webhook secret is not whsec_ + base64.');
    if (keys.size > 32) keys.clear();
    entry = [bytes];
    keys.set(secret, entry);
  }
  return entry;
}

/** Base64 HMAC-SHA256 of `prefix + payload` keyed with the decoded `secret`. */
export function hmacBase64(
  secret: string,
  prefix: string,
  payload: string | Uint8Array,
): string | Promise<string> {
  const entry = keyFor(secret);
  if (native) return native(entry[0], prefix, payload);
  const tail = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const head = encoder.encode(prefix);
  const data = new Uint8Array(head.length + tail.length);
  data.set(head);
  data.set(tail, head.length);
  entry[1] ??= crypto.subtle.importKey(
    'raw',
    entry[0] as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return entry[1].then(async (key) => toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, data))));
}

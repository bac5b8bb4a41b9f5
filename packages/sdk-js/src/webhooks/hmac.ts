import { fromBase64, toBase64 } from './base64';
import { WebhookVerificationError } from './webhook-verification-error';

interface NodeHmac {
  update(data: string | Uint8Array): NodeHmac;
  digest(encoding: 'base64'): string;
}

/**
 * Where the runtime offers `process.getBuiltinModule('node:crypto')` (Node ≥ 22.3, Bun, Deno), its
 * synchronous HMAC is used: no import statement, so browser and worker bundles are unaffected and
 * use Web Crypto. Both give identical signatures.
 */
const createHmac = (
  globalThis as {
    process?: { getBuiltinModule?: (id: string) => { createHmac?: (a: string, k: Uint8Array) => NodeHmac } };
  }
).process?.getBuiltinModule?.('node:crypto')?.createHmac;

/** True when the synchronous node:crypto HMAC is available in this runtime. */
export const hasNativeHmac: boolean = createHmac !== undefined;

const encoder = new TextEncoder();
const keys = new Map<string, [Uint8Array, Promise<CryptoKey>?]>();

/**
 * Decodes a `whsec_<base64>` secret (the prefix is optional, as in the Standard Webhooks libraries),
 * caching the bytes and the Web Crypto key. Throws a diagnostic error for whitespace or non-base64.
 */
function keyFor(secret: string): [Uint8Array, Promise<CryptoKey>?] {
  let entry = keys.get(secret);
  if (!entry) {
    if (/\s/.test(secret)) {
      throw new WebhookVerificationError(
        'invalid_secret',
        'The webhook secret contains whitespace (a newline from an .env file?); use secret.trim().',
      );
    }
    const bytes = fromBase64(secret.startsWith('whsec_') ? secret.slice(6) : secret);
    if (!bytes?.length) {
      throw new WebhookVerificationError('invalid_secret', 'The webhook secret is not `whsec_` + base64.');
    }
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
  preferNative: boolean,
): string | Promise<string> {
  const entry = keyFor(secret);
  if (preferNative && createHmac)
    return createHmac('sha256', entry[0]).update(prefix).update(payload).digest('base64');
  const head = encoder.encode(prefix);
  const tail = typeof payload === 'string' ? encoder.encode(payload) : payload;
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
  return entry[1]
    .then((key) => crypto.subtle.sign('HMAC', key, data))
    .then((sig) => toBase64(new Uint8Array(sig)));
}

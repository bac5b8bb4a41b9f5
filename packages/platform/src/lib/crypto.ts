import { createCipheriv, createDecipheriv, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Encrypts card data (PAN, CVC) and webhook secrets at rest with AES-256-GCM. The key comes from
 * `OPENISSUING_DATA_KEY` (32 bytes, base64 or hex) or is generated per sandbox process.
 * Ciphertext format: `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>`.
 *
 * @example
 * const box = new DataCipher(randomBytes(32));
 * box.decrypt(box.encrypt('4242424242424242')) // '4242424242424242'
 */
export class DataCipher {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error(`data key: must be 32 bytes (AES-256); got ${key.length}`);
    this.#key = key;
  }

  /** Key from the environment (`OPENISSUING_DATA_KEY`, base64 or 64 hex chars), else a fresh random one. */
  static fromEnv(value = process.env.OPENISSUING_DATA_KEY): DataCipher {
    if (!value) return new DataCipher(randomBytes(32));
    const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    return new DataCipher(key);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('ciphertext: unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/** SHA-256 of an API secret, hex. Secret keys are 192-bit random, so a fast hash is sufficient at rest. */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex'); // one-shot: a third of createHash's cost per request
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** A stable hash of a JSON-able value (key order independent), for idempotency fingerprints. */
export function fingerprint(value: unknown): string {
  return hash('sha256', stableStringify(value), 'hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

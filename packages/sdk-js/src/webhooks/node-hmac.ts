import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { NativeHmac } from './hmac';

// Keys are imported once as KeyObjects: hashing with a raw Buffer key re-imports it on every call and
// costs ~4× more.
const keys = new WeakMap<Uint8Array, KeyObject>();

/**
 * node:crypto's synchronous HMAC-SHA256 → base64, which the Node entry (`index.node`) installs for
 * webhook verification instead of the asynchronous Web Crypto path. Results are identical. Its own
 * module so the webhook tests can load it without the whole SDK.
 *
 * @example
 * import { setNativeHmac } from './hmac';
 * import { nodeHmac } from './node-hmac';
 * setNativeHmac(nodeHmac);
 */
export const nodeHmac: NativeHmac = (key, prefix, payload) => {
  let keyObject = keys.get(key);
  if (!keyObject) {
    keyObject = createSecretKey(key);
    keys.set(key, keyObject);
  }
  return createHmac('sha256', keyObject).update(prefix).update(payload).digest('base64');
};

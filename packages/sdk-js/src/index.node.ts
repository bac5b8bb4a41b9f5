import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { setNativeHmac } from './webhooks/hmac';

// Node (and Bun/Deno resolving the "node" condition): verify webhooks with node:crypto's synchronous
// HMAC instead of the asynchronous Web Crypto path. Results are identical. Keys are imported once as
// KeyObjects: hashing with a raw Buffer key re-imports it on every call and costs ~4× more.
const keys = new WeakMap<Uint8Array, KeyObject>();
setNativeHmac((key, prefix, payload) => {
  let keyObject = keys.get(key);
  if (!keyObject) {
    keyObject = createSecretKey(key);
    keys.set(key, keyObject);
  }
  return createHmac('sha256', keyObject).update(prefix).update(payload).digest('base64');
});

export * from './index';
export { default } from './index';

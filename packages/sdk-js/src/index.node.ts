import { createHmac } from 'node:crypto';
import { setNativeHmac } from './webhooks/hmac';

// Node (and Bun/Deno resolving the "node" condition): verify webhooks with node:crypto's synchronous
// HMAC, about twice as fast as the asynchronous Web Crypto path. Results are identical.
setNativeHmac((key, prefix, payload) =>
  createHmac('sha256', key).update(prefix).update(payload).digest('base64'),
);

export * from './index';
export { default } from './index';

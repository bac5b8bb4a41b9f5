import { setNativeHmac } from './webhooks/hmac';
import { nodeHmac } from './webhooks/node-hmac';

// Node (and Bun/Deno resolving the "node" condition): verify webhooks with node:crypto's synchronous
// HMAC instead of the asynchronous Web Crypto path. Results are identical.
setNativeHmac(nodeHmac);

export * from './index';
export { default } from './index';

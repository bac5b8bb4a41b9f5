import { describe, expect, it } from 'vitest';
import { webhooks } from '../src/index.node';
import { getNativeHmac } from '../src/webhooks/hmac';
import { nodeHmac } from '../src/webhooks/node-hmac';

describe('the Node entry', () => {
  it("installs node:crypto's HMAC for webhook verification", async () => {
    expect(getNativeHmac()).toBe(nodeHmac);
    const secret = 'whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IG9mIDMyIGJ5dGVz';
    const headers = await webhooks.generateTestHeaders({ payload: '{"a":1}', secret, timestamp: 1_000 });
    await expect(webhooks.verify('{"a":1}', headers, secret, { now: 1_000 })).resolves.toBeUndefined();
  });
});

import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// the webhook modules themselves, not ../src/index.node (the whole SDK): Stryker loads this file
// again for every webhooks mutant; test/index-node.test.ts checks that the Node entry installs nodeHmac
import { setNativeHmac } from '../src/webhooks/hmac';
import { nodeHmac } from '../src/webhooks/node-hmac';
import { WebhookVerificationError } from '../src/webhooks/webhook-verification-error';
import { Webhooks, webhooks } from '../src/webhooks/webhooks';

// The published test vector of the Standard Webhooks reference library
// (standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts, "sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const vectorHeaders = {
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': VECTOR.signature,
};
const event = {
  id: 'evt_1',
  type: 'card.created',
  created_at: '2026-11-23T00:00:00Z',
  data: { object: { id: 'ic_1', object: 'card', last4: '4242' } },
};
const secret = 'whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IG9mIDMyIGJ5dGVz';
const otherSecret = 'whsec_YW5vdGhlciBzZWNyZXQgb2YgYXQgbGVhc3QgMjQgYnl0ZXM=';

describe.each([
  ['node:crypto HMAC', true],
  ['Web Crypto', false],
])('webhooks (%s)', (_label, nativeHmac) => {
  const wh = new Webhooks();
  beforeAll(() => setNativeHmac(nativeHmac ? nodeHmac : undefined));
  afterAll(() => setNativeHmac(undefined));

  it('reproduces the Standard Webhooks published test vector', async () => {
    const generated = await wh.generateTestHeaders({
      payload: VECTOR.payload,
      secret: VECTOR.secret,
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
    expect(generated).toEqual(vectorHeaders);
    await expect(
      wh.verify(VECTOR.payload, vectorHeaders, VECTOR.secret, { now: VECTOR.timestamp }),
    ).resolves.toBeUndefined();
    // the prefix is optional, as in the reference library
    await expect(
      wh.verify(VECTOR.payload, vectorHeaders, VECTOR.secret.slice(6), { now: VECTOR.timestamp + 299 }),
    ).resolves.toBeUndefined();
  });

  it('verifies what the standardwebhooks library signs (string and bytes bodies)', async () => {
    const body = JSON.stringify(event);
    const ts = new Date();
    const signature = new StandardWebhook(secret).sign('msg_abc', ts, body);
    const headers = new Headers({
      'webhook-id': 'msg_abc',
      'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)),
      'webhook-signature': signature,
    });
    const parsed = await wh.unwrap(body, headers, secret);
    expect(parsed).toEqual(event);
    expect(await wh.unwrap(new TextEncoder().encode(body), headers, secret)).toEqual(event);
  });

  it('signs what the standardwebhooks library verifies', async () => {
    const body = JSON.stringify(event);
    const headers = await wh.generateTestHeaders({ payload: body, secret });
    expect(new StandardWebhook(secret).verify(body, headers)).toEqual(event);
  });

  it('accepts any of several signatures and any of several secrets (rotation)', async () => {
    const body = JSON.stringify(event);
    const a = await wh.generateTestHeaders({ payload: body, secret, id: 'msg_r' });
    const b = (
      await wh.generateTestHeaders({
        payload: body,
        secret: otherSecret,
        id: 'msg_r',
        timestamp: Number(a['webhook-timestamp']),
      })
    )['webhook-signature'];
    const both = { ...a, 'webhook-signature': `v1,AAAA ${b} ${a['webhook-signature']}` };
    await expect(wh.verify(body, both, secret)).resolves.toBeUndefined();
    await expect(wh.verify(body, both, otherSecret)).resolves.toBeUndefined();
    // the receiver holds both secrets while the sender has switched to the new one
    const onlyNew = { ...a, 'webhook-signature': b };
    await expect(wh.verify(body, onlyNew, [secret, otherSecret])).resolves.toBeUndefined();
    await expect(wh.verify(body, onlyNew, secret)).rejects.toMatchObject({ reason: 'no_matching_signature' });
  });
});

describe('webhook diagnostics', () => {
  const body = JSON.stringify(event);

  it('rejects a parsed object and says to pass the raw body', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret });
    const error = await webhooks.unwrap(JSON.parse(body), headers, secret).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ name: 'WebhookVerificationError', reason: 'payload_not_raw' });
    expect((error as Error).message).toMatch(/raw body.*not parsed JSON/);
    expect((error as Error).message).toContain('express.raw');
  });

  it('rejects whitespace in the secret and says to trim it', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret });
    await expect(webhooks.verify(body, headers, `${secret}\n`)).rejects.toMatchObject({
      reason: 'invalid_secret',
      message: expect.stringMatching(/whitespace.*trim/s),
    });
  });

  it('rejects timestamps outside the 5-minute tolerance, both ways, naming the skew', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret, timestamp: 1_000_000 });
    await expect(webhooks.verify(body, headers, secret, { now: 1_000_301 })).rejects.toMatchObject({
      reason: 'timestamp_too_old',
      message: expect.stringContaining('301 s off'),
    });
    await expect(webhooks.verify(body, headers, secret, { now: 999_699 })).rejects.toMatchObject({
      reason: 'timestamp_too_new',
    });
    await expect(webhooks.verify(body, headers, secret, { now: 1_000_300 })).resolves.toBeUndefined();
  });

  it('rejects a tampered body, a missing header, a bad timestamp and a non-base64 secret', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret });
    await expect(webhooks.verify(`${body} `, headers, secret)).rejects.toMatchObject({
      reason: 'no_matching_signature',
    });
    const { 'webhook-id': _, ...noId } = headers;
    await expect(webhooks.verify(body, noId, secret)).rejects.toMatchObject({
      reason: 'missing_header',
      message: expect.stringContaining('webhook-id'),
    });
    await expect(
      webhooks.verify(body, { ...headers, 'webhook-timestamp': 'yesterday' }, secret),
    ).rejects.toMatchObject({ reason: 'invalid_timestamp' });
    // digits with letters appended are not a timestamp (Number() would make NaN, and a NaN skew must not pass)
    await expect(
      webhooks.verify(
        body,
        { ...headers, 'webhook-timestamp': `${headers['webhook-timestamp']}abc` },
        secret,
      ),
    ).rejects.toMatchObject({
      reason: 'invalid_timestamp',
      message: 'webhook-timestamp is not Unix seconds.',
    });
    await expect(webhooks.verify(body, headers, secret, { now: Number.NaN })).rejects.toMatchObject({
      reason: 'timestamp_too_new',
    });
    await expect(webhooks.verify(body, headers, 'whsec_***')).rejects.toMatchObject({
      reason: 'invalid_secret',
    });
    // a signature prefix of the right one does not pass
    const partial = { ...headers, 'webhook-signature': headers['webhook-signature'].slice(0, 8) };
    await expect(webhooks.verify(body, partial, secret)).rejects.toMatchObject({
      reason: 'no_matching_signature',
    });
  });

  it('reads headers case-insensitively from a Node-style record', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret });
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(webhooks.unwrap(body, upper, secret)).resolves.toMatchObject({ type: 'card.created' });
  });

  it('refuses a verified body that is not an event, or not JSON at all', async () => {
    const notAnEvent = { reason: 'invalid_payload', message: 'The signed body is not an event.' };
    const headers = await webhooks.generateTestHeaders({ payload: '[1,2]', secret });
    await expect(webhooks.unwrap('[1,2]', headers, secret)).rejects.toMatchObject(notAnEvent);
    const garbled = await webhooks.generateTestHeaders({ payload: 'not json {', secret });
    await expect(webhooks.unwrap('not json {', garbled, secret)).rejects.toMatchObject(notAnEvent);
  });

  it('says how to fix a signature that matches no secret', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret });
    await expect(webhooks.verify(body, headers, otherSecret)).rejects.toMatchObject({
      reason: 'no_matching_signature',
      message: 'No signature matches: check the secret (pass both while rotating) and use the raw body.',
    });
  });

  it('asks for a secret when neither the call nor the instance has one', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret });
    const missing = { reason: 'invalid_secret', message: 'Missing webhook secret (whsec_…).' };
    await expect(new Webhooks().verify(body, headers)).rejects.toMatchObject(missing);
    await expect(new Webhooks().verify(body, headers, '')).rejects.toMatchObject(missing);
    await expect(new Webhooks().verify(body, headers, [])).rejects.toMatchObject(missing);
    await expect(new Webhooks({ secret }).verify(body, headers)).resolves.toBeUndefined();
  });

  it('verifies an ArrayBuffer body', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret });
    const bytes = new TextEncoder().encode(body);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    await expect(webhooks.unwrap(buffer as ArrayBuffer, headers, secret)).resolves.toMatchObject({
      type: 'card.created',
    });
  });

  it('signs an event object as its JSON for test headers', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: event, secret });
    await expect(webhooks.unwrap(JSON.stringify(event), headers, secret)).resolves.toEqual(event);
  });

  it('refuses a timestamp with anything before its digits', async () => {
    const headers = await webhooks.generateTestHeaders({ payload: body, secret });
    await expect(
      webhooks.verify(body, { ...headers, 'webhook-timestamp': `x${headers['webhook-timestamp']}` }, secret),
    ).rejects.toMatchObject({ reason: 'invalid_timestamp' });
  });
});

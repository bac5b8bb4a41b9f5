/**
 * Webhook verification throughput: @openissuing/sdk against the `standardwebhooks` reference library
 * and stripe-node's `webhooks.constructEvent`, in the same process and run. Each contender verifies
 * the signature, checks the timestamp and parses the JSON of the same ~1.5 kB event. Not a test.
 *
 *   npm run build -w @openissuing/sdk
 *   node bench/webhooks/run.ts [--seconds 1] [--rounds 5]
 *
 * Rows: the SDK on Node (node:crypto HMAC, what `import '@openissuing/sdk'` gives on Node), the SDK's
 * universal Web Crypto path (browsers, workers, Deno) awaited one at a time and 64 at a time,
 * standardwebhooks, and stripe. Ratios are ops/s divided by standardwebhooks' and stripe's ops/s.
 */
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '1' }, rounds: { type: 'string', default: '5' } },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

// The universal entry first: on its own it verifies with Web Crypto.
const universal = await import('@openissuing/sdk/webhooks');
const webCrypto = new universal.Webhooks();

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const event = {
  id: 'evt_01JD4Z8Q5B9V4T0Z7X2K3M6N8P',
  object: 'event',
  type: 'authorization.created',
  api_version: '2026-11-01',
  created_at: '2026-11-23T09:05:00Z',
  data: {
    object: {
      id: 'iauth_1NqD5aK9cYzL3R8wUdZqMx4f',
      object: 'authorization',
      card: 'ic_1NqD5aK9cYzL3R8wUdZqMx4f',
      cardholder: 'ich_1NqD4mJ8ZbXk2Q7vTcYpLw3e',
      amount: 12_500,
      currency: 'usd',
      merchant_amount: 11_574,
      merchant_currency: 'eur',
      exchange_rate: 1.08,
      merchant_data: {
        name: 'Google Ads',
        network_id: 'gads_000123',
        mcc: '7311',
        category: 'advertising',
        city: 'Dublin',
        country: 'IE',
      },
      status: 'pending',
      approved: true,
      decision: { reason: 'approved', message: 'Approved.', control: null },
      dimensions: { department: 'marketing', project: 'q4-launch', cost_center: 'CC-4100' },
      metadata: { campaign: 'winter-sale', owner: 'ada@example.com', note: 'x'.repeat(600) },
      created_at: '2026-11-23T09:05:00Z',
    },
  },
};
const payload = JSON.stringify(event);
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const now = new Date();
const reference = new Webhook(secret);
const headers = {
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
  'webhook-signature': reference.sign(id, now, payload),
};
const stripe = new Stripe('sk_test_bench');
const stripeSecret = 'whsec_stripe_bench_secret';
const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload, secret: stripeSecret });

/** Runs `fn` repeatedly for `seconds`, `rounds` times; returns the median ops/s. */
async function measure(fn: () => unknown, batch = 1): Promise<number> {
  for (let i = 0; i < 2_000; i++) await fn(); // warm up
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const start = performance.now();
    const end = start + seconds * 1000;
    while (performance.now() < end) {
      if (batch === 1) {
        for (let i = 0; i < 100; i++) {
          const result = fn();
          if (result instanceof Promise) await result;
        }
        ops += 100;
      } else {
        await Promise.all(Array.from({ length: batch }, fn));
        ops += batch;
      }
    }
    results.push(ops / ((performance.now() - start) / 1000));
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)] as number;
}

function check(label: string, value: { id?: string }) {
  if (value.id !== event.id) throw new Error(`${label} did not return the event`);
}

check('web crypto', await webCrypto.unwrap(payload, headers, secret));
const webCryptoOps = await measure(() => webCrypto.unwrap(payload, headers, secret));
const webCryptoBatchOps = await measure(() => webCrypto.unwrap(payload, headers, secret), 64);

// Now the Node entry: installs node:crypto's synchronous HMAC for every Webhooks instance.
const node = await import('@openissuing/sdk');
check('node', await node.webhooks.unwrap(payload, headers, secret));
check('standardwebhooks', reference.verify(payload, headers) as { id: string });
check(
  'stripe',
  stripe.webhooks.constructEvent(payload, stripeHeader, stripeSecret) as unknown as { id: string },
);

const rows: Array<[string, number]> = [];
rows.push([
  '@openissuing/sdk unwrap (Node: node:crypto)',
  await measure(() => node.webhooks.unwrap(payload, headers, secret)),
]);
rows.push(['@openissuing/sdk unwrap (Web Crypto, sequential)', webCryptoOps]);
rows.push(['@openissuing/sdk unwrap (Web Crypto, 64 concurrent)', webCryptoBatchOps]);
const standard = await measure(() => reference.verify(payload, headers));
rows.push(['standardwebhooks verify', standard]);
const stripeOps = await measure(() => stripe.webhooks.constructEvent(payload, stripeHeader, stripeSecret));
rows.push(['stripe webhooks.constructEvent', stripeOps]);

console.log(
  `webhook verification, ${payload.length}-byte event, median of ${rounds} × ${seconds} s, Node ${process.versions.node}`,
);
console.log(
  'contender'.padEnd(54),
  'ops/s'.padStart(10),
  'vs standardwebhooks'.padStart(21),
  'vs stripe'.padStart(11),
);
for (const [name, ops] of rows) {
  console.log(
    name.padEnd(54),
    Math.round(ops).toLocaleString('en-US').padStart(10),
    `${(ops / standard).toFixed(2)}×`.padStart(21),
    `${(ops / stripeOps).toFixed(2)}×`.padStart(11),
  );
}

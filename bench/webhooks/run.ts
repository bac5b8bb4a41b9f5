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
import { Worker } from 'node:worker_threads';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { event, secret } from './event.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '1' }, rounds: { type: 'string', default: '5' } },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

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

interface Contender {
  name: string;
  fn: () => unknown;
  /** How many calls run concurrently (1: each awaited before the next). */
  batch: number;
  samples: number[];
  /** Measured in the Web Crypto worker thread. */
  remote: boolean;
}

/** Runs `fn` for `seconds` and returns ops/s. */
async function sample({ fn, batch }: Contender): Promise<number> {
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
  return ops / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function check(label: string, value: { id?: string }) {
  if (value.id !== event.id) throw new Error(`${label} did not return the event`);
}

// The universal (Web Crypto) path runs in a worker thread that imports only `@openissuing/sdk/webhooks`,
// so the Node entry's node:crypto HMAC, installed in this thread, cannot leak into it.
const worker = new Worker(
  `const { parentPort, workerData } = require('node:worker_threads');
   import('@openissuing/sdk/webhooks').then(async ({ Webhooks }) => {
     const wh = new Webhooks();
     const { payload, headers, secret } = workerData;
     const fn = () => wh.unwrap(payload, headers, secret);
     if ((await fn()).id !== JSON.parse(payload).id) throw new Error('web crypto did not return the event');
     for (let i = 0; i < 2000; i++) await fn();
     parentPort.on('message', async ({ seconds, batch }) => {
       let ops = 0;
       const start = performance.now();
       while (performance.now() < start + seconds * 1000) {
         if (batch === 1) { for (let i = 0; i < 100; i++) await fn(); ops += 100; }
         else { await Promise.all(Array.from({ length: batch }, fn)); ops += batch; }
       }
       parentPort.postMessage(ops / ((performance.now() - start) / 1000));
     });
     parentPort.postMessage('ready');
   });`,
  { eval: true, workerData: { payload, headers, secret } },
);
await new Promise((resolve) => worker.once('message', resolve));
const inWorker = (batch: number) =>
  new Promise<number>((resolve) => {
    worker.once('message', resolve);
    worker.postMessage({ seconds, batch });
  });

const contenders: Contender[] = [];
const add = (name: string, fn: () => unknown, batch = 1, remote = false) =>
  contenders.push({ name, fn, batch, samples: [], remote });

const node = await import('@openissuing/sdk');
check('node', await node.webhooks.unwrap(payload, headers, secret));
check('standardwebhooks', reference.verify(payload, headers) as { id: string });
check(
  'stripe',
  stripe.webhooks.constructEvent(payload, stripeHeader, stripeSecret) as unknown as { id: string },
);

add('@openissuing/sdk unwrap (Node: node:crypto)', () => node.webhooks.unwrap(payload, headers, secret));
add('@openissuing/sdk unwrap (Web Crypto, sequential)', () => undefined, 1, true);
add('@openissuing/sdk unwrap (Web Crypto, 64 concurrent)', () => undefined, 64, true);
add('standardwebhooks verify', () => reference.verify(payload, headers));
add('stripe webhooks.constructEvent', () =>
  stripe.webhooks.constructEvent(payload, stripeHeader, stripeSecret),
);

// Warm up, then interleave the contenders round by round so that a change in machine load during
// the run affects all of them alike; report each one's median.
for (const c of contenders) if (!c.remote) for (let i = 0; i < 2_000; i++) await c.fn();
for (let r = 0; r < rounds; r++) {
  for (const c of contenders) c.samples.push(c.remote ? await inWorker(c.batch) : await sample(c));
}
await worker.terminate();

const standard = median((contenders[3] as Contender).samples);
const stripeOps = median((contenders[4] as Contender).samples);
console.log(
  `webhook verification, ${payload.length}-byte event, median of ${rounds} interleaved rounds × ${seconds} s, Node ${process.versions.node}`,
);
console.log(
  'contender'.padEnd(54),
  'ops/s'.padStart(10),
  'vs standardwebhooks'.padStart(21),
  'vs stripe'.padStart(11),
);
for (const c of contenders) {
  const ops = median(c.samples);
  console.log(
    c.name.padEnd(54),
    Math.round(ops).toLocaleString('en-US').padStart(10),
    `${(ops / standard).toFixed(2)}×`.padStart(21),
    `${(ops / stripeOps).toFixed(2)}×`.padStart(11),
  );
}

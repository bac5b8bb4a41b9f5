/**
 * Webhook verification where edge code runs it: inside workerd (Cloudflare's runtime, through
 * miniflare), @openissuing/sdk's Web Crypto path against the `standardwebhooks` reference library
 * bundled into the same worker. Each request to the worker verifies `n` deliveries (signature,
 * timestamp, JSON parse) and answers how many passed; the time is taken in Node around the request
 * (workerd freezes its own clocks during computation), less an empty request's, so it is the
 * runtime's work only. Not a test.
 *
 *   npm run build -w @openissuing/sdk
 *   node bench/webhooks/workerd.ts [--n 5000] [--rounds 5]
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { Webhook } from 'standardwebhooks';
import { event, secret } from './event.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '5' } },
});
const n = Number(values.n);
const rounds = Number(values.rounds);

const payload = JSON.stringify(event);
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const now = new Date();
const headers = {
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
  'webhook-signature': new Webhook(secret).sign(id, now, payload),
};

// The worker, bundled the way wrangler would (workerd/worker/browser export conditions).
const worker = `
import { Webhooks } from '@openissuing/sdk/webhooks';
import { Webhook } from 'standardwebhooks';
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const impl = url.searchParams.get('impl');
    const n = Number(url.searchParams.get('n'));
    const batch = Number(url.searchParams.get('batch') ?? '1');
    const { payload, headers, secret, id } = env.CASE;
    const sdk = new Webhooks();
    const reference = new Webhook(secret);
    const one = impl === 'sdk' ? () => sdk.unwrap(payload, headers, secret)
      : impl === 'standardwebhooks' ? () => reference.verify(payload, headers)
      : () => ({ id });
    let ok = 0;
    for (let i = 0; i < n; i += batch) {
      const k = Math.min(batch, n - i);
      const results = k === 1 ? [await one()] : await Promise.all(Array.from({ length: k }, one));
      for (const r of results) if (r.id === id) ok++;
    }
    return Response.json({ ok });
  },
};`;
const require = createRequire(import.meta.url);
const script = (
  await build({
    stdin: { contents: worker, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    nodePaths: [require.resolve('standardwebhooks').replace(/node_modules\/.*/, 'node_modules')],
  })
).outputFiles[0]?.text as string;

const mf = new Miniflare({
  modules: true,
  script,
  compatibilityDate: '2025-09-01',
  bindings: { CASE: { payload, headers, secret, id: event.id } },
});
await mf.ready;

async function timed(impl: string, count: number, batch: number): Promise<number> {
  const t0 = performance.now();
  const res = await mf.dispatchFetch(`http://bench.local/?impl=${impl}&n=${count}&batch=${batch}`);
  const { ok } = (await res.json()) as { ok: number };
  const ms = performance.now() - t0;
  if (ok !== count) throw new Error(`${impl}: ${ok} of ${count} verified`);
  return ms;
}

const contenders = [
  { name: '@openissuing/sdk unwrap (Web Crypto, one at a time)', impl: 'sdk', batch: 1 },
  { name: '@openissuing/sdk unwrap (Web Crypto, 64 concurrent)', impl: 'sdk', batch: 64 },
  { name: 'standardwebhooks verify', impl: 'standardwebhooks', batch: 1 },
];
const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
try {
  for (const c of contenders) await timed(c.impl, 500, c.batch); // warm-up (JIT, key import)
  for (let r = 0; r < rounds; r++) {
    const empty = await timed('none', n, 1);
    for (const c of contenders) {
      const ms = (await timed(c.impl, n, c.batch)) - empty;
      // A stall during the empty request (a noisy machine) can make the difference meaningless.
      if (ms > 0) samples.get(c.name)?.push((n * 1000) / ms);
    }
  }
} finally {
  await mf.dispose();
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor((xs.length - 1) / 2)] as number;
const reference = median(samples.get('standardwebhooks verify') as number[]);
console.log(
  `webhook verification in workerd (miniflare ${require('miniflare/package.json').version}), ${payload.length}-byte event, ${n} per request, ${rounds} interleaved rounds`,
);
console.log(
  'contender'.padEnd(54),
  'ops/s min / median / max'.padStart(30),
  'vs standardwebhooks'.padStart(21),
);
for (const c of contenders) {
  const xs = sorted(samples.get(c.name) as number[]);
  const f = (v: number) => Math.round(v).toLocaleString('en-US');
  console.log(
    c.name.padEnd(54),
    `${f(xs[0] as number)} / ${f(median(xs))} / ${f(xs[xs.length - 1] as number)}`.padStart(30),
    `${(median(xs) / reference).toFixed(2)}×`.padStart(21),
  );
}

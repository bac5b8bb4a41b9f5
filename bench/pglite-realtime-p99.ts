/**
 * Embedded-mode (PGlite) authorization latency at 64 in flight with a real-time authorization
 * webhook that answers slowly — the case issue #12 found at p99 6.6 s. Starts the platform in this
 * process (PGlite in memory), a webhook receiver that answers `{approved: true}` after `--delay` ms,
 * and sends `--count` test authorizations over `--cards` cards, `--concurrency` at a time. Prints
 * min/p50/p99/max of several runs. Not a test; bounded in count (and so in time).
 *
 *   npm run build -w @openissuing/platform
 *   node bench/pglite-realtime-p99.ts [--runs 3] [--count 640] [--concurrency 64] [--delay 300] [--cards 64]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startPlatform } from '@openissuing/platform';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    count: { type: 'string', default: '640' },
    concurrency: { type: 'string', default: '64' },
    delay: { type: 'string', default: '300' },
    cards: { type: 'string', default: '64' },
  },
});
const runs = Number(values.runs);
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const delay = Number(values.delay);
const cardCount = Number(values.cards);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function once(): Promise<{ p50: number; p99: number; max: number; approved: number }> {
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"approved":true}');
      }, delay),
    );
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const platform = await startPlatform({ onError: () => {} });
  const headers = { Authorization: `Bearer ${platform.apiKey}`, 'Content-Type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(platform.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
    return (await res.json()) as { id: string; approved?: boolean };
  };
  try {
    await post('/topups', { amount: 1_000_000_000, currency: 'usd' });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/realtime`;
    await post('/webhook_endpoints', { url, enabled_events: ['authorization.request'] });
    const holder = await post('/cardholders', { type: 'individual', name: 'Bench', email: 'b@example.com' });
    const cards: string[] = [];
    for (let i = 0; i < cardCount; i++)
      cards.push((await post('/cards', { cardholder: holder.id, type: 'virtual', currency: 'usd' })).id);
    const latencies: number[] = [];
    let next = 0;
    let approved = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          const started = performance.now();
          const auth = await post('/test_helpers/authorizations', {
            card: cards[i % cards.length],
            amount: 100,
            merchant_data: { name: 'Acme SaaS', mcc: '5734', country: 'DE' },
          });
          latencies.push(performance.now() - started);
          if (auth.approved) approved++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: latencies.at(-1) ?? 0,
      approved,
    };
  } finally {
    await platform.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

const results = [];
for (let r = 0; r < runs; r++) results.push(await once());
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const stat = (key: 'p50' | 'p99' | 'max') => {
  const v = results.map((x) => x[key]).sort((a, b) => a - b);
  return `min ${fmt(v[0] ?? 0)} / median ${fmt(quantile(v, 0.5))} / max ${fmt(v.at(-1) ?? 0)}`;
};
console.log(
  `PGlite, ${count} test authorizations, ${concurrency} in flight, real-time webhook answering after ${delay} ms, ${runs} runs`,
);
console.log(`  p50  ${stat('p50')}`);
console.log(`  p99  ${stat('p99')}`);
console.log(`  max  ${stat('max')}`);
console.log(`  approved per run: ${results.map((x) => x.approved).join(', ')} of ${count}`);

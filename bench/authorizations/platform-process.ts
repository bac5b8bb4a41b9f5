/**
 * The platform as its own process for the authorization benches (run.ts, cpu.ts): start the
 * built CLI's `serve` on a free port, call its API with the bench's key, stop it. Not a test.
 *
 * @example
 * const { url, child } = await startPlatform({ cli, env: { DATABASE_URL: databaseUrl } });
 * const holder = await call(url, 'POST', '/cardholders', { type: 'company', name: 'Bench Co', email: 'b@example.com' });
 * await stopPlatform(child);
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** The sandbox key every bench platform process is started with and called with. */
export const apiKey = 'sk_test_bench_authorizations';

/** Card networks' merchants the benches spend at (one of them, MCC 7995, is a blocked category). */
export const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', country: 'US' },
  { name: 'Meta Ads', mcc: '7311', country: 'IE' },
  { name: 'AWS', mcc: '4816', country: 'US' },
  { name: 'GitHub', mcc: '5734', country: 'US' },
  { name: 'Figma', mcc: '5734', country: 'US' },
  { name: 'Lufthansa', mcc: '4511', country: 'DE' },
  { name: 'Lucky Casino', mcc: '7995', country: 'MT' },
  { name: 'Blue Bottle', mcc: '5814', country: 'US' },
];

export interface StartOptions {
  /** The platform's built CLI (packages/platform/dist/cli.js, or another build's). */
  cli: string;
  /** Environment on top of this process's (DATABASE_URL, …); LOG_LEVEL defaults to warn. */
  env?: Record<string, string>;
  /** Arguments after `serve --port 0 --rate-limit 100000000` (e.g. `--memory`). */
  serveArgs?: string[];
  /** Node's own flags, before the CLI (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Run node under this command instead (e.g. valgrind and its flags); node and its arguments follow. */
  wrapper?: { command: string; args: string[] };
}

/** Starts `cli serve` on a free port and resolves once it prints the URL it listens on. */
export function startPlatform(options: StartOptions): Promise<{ url: string; child: ChildProcess }> {
  const args = [
    ...(options.nodeArgs ?? []),
    options.cli,
    'serve',
    '--port',
    '0',
    '--rate-limit',
    '100000000',
    ...(options.serveArgs ?? []),
  ];
  const child = options.wrapper
    ? spawn(
        options.wrapper.command,
        [...options.wrapper.args, process.execPath, ...args],
        spawnOptions(options),
      )
    : spawn(process.execPath, args, spawnOptions(options));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`platform exited (${code}): ${out}`)));
  });
}

function spawnOptions(options: StartOptions) {
  return {
    env: { LOG_LEVEL: 'warn', ...process.env, OPENISSUING_API_KEY: apiKey, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
}

/** Stops a platform started by {@link startPlatform} and waits for it to exit. */
export async function stopPlatform(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

// biome-ignore lint/suspicious/noExplicitAny: API responses are read loosely here; the platform's tests check them against the spec.
export type Json = Record<string, any>;

/** One API call with the bench key; throws with the method, path, status and body on a non-2xx answer. */
export async function call(url: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as Json;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * A seeded stream of authorization bodies: a random card of `cards`, 1.00–55.99, a random
 * merchant of {@link MERCHANTS}. The same seed gives the same stream.
 */
export function authorizationBodies(cards: readonly string[], seed: number) {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  return () => ({
    card: cards[Math.floor(rand() * cards.length)],
    amount: 100 + Math.floor(rand() * 5_500),
    merchant_data: MERCHANTS[Math.floor(rand() * MERCHANTS.length)],
  });
}

/**
 * Funds the program (20 top-ups of 10,000,000.00) and issues `n` cards to one company cardholder,
 * each with a 50.00 per-authorization limit, a far-away daily limit and `gambling` blocked — the
 * approve workload's cards (run.ts builds its own, with the workload's daily limit).
 */
export async function fundAndIssueCards(
  url: string,
  n: number,
): Promise<{ holder: string; cards: string[] }> {
  for (let i = 0; i < 20; i++) await call(url, 'POST', '/topups', { amount: 1_000_000_000, currency: 'usd' });
  const holder = (
    await call(url, 'POST', '/cardholders', { type: 'company', name: 'Bench Co', email: 'bench@example.com' })
  ).id as string;
  const cards: string[] = [];
  for (let i = 0; i < n; i++) {
    const card = await call(url, 'POST', '/cards', {
      cardholder: holder,
      type: 'virtual',
      currency: 'usd',
      spending_controls: {
        spending_limits: [
          { amount: 5_000, interval: 'per_authorization' },
          { amount: 1_000_000_000, interval: 'daily' },
        ],
        blocked_categories: ['gambling'],
      },
    });
    cards.push(card.id);
  }
  return { holder, cards };
}

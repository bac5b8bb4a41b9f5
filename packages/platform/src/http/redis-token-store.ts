import { Redis } from 'ioredis';
import type { TokenStore } from './shared-rate-limit';

// Refill by Redis's own clock, take up to `want` whole tokens, keep the rest: atomically, in Lua.
const TAKE = `
local want, rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {granted, tostring(tokens)}
`;

/** How long one rate-limit command may take before the limiter treats Redis as unreachable. */
const COMMAND_TIMEOUT_MS = 300;

/**
 * Token buckets in Redis (`<prefix><key>` hashes that expire once full): for deployments that
 * configure `OPENISSUING_REDIS_URL`, so the rate-limit round trip never touches the database.
 *
 * @example
 * new SharedRateLimiter(new RedisTokenStore('redis://127.0.0.1:6379'), { requestsPerSecond: 1000 })
 */
export class RedisTokenStore implements TokenStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(url: string, prefix = 'openissuing:ratelimit:') {
    // A command fails within COMMAND_TIMEOUT_MS when Redis is down or hangs, so the limiter can fail
    // open at once (shared-rate-limit.ts) instead of holding the request.
    this.#redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    // Errors surface on the commands that fail; the connection event itself must not crash the process.
    this.#redis.on('error', () => {});
    this.#prefix = prefix;
  }

  async take(key: string, want: number, rate: number, burst: number) {
    const [granted, tokens] = (await this.#redis.eval(TAKE, 1, this.#prefix + key, want, rate, burst)) as [
      number,
      string,
    ];
    return { granted: Number(granted), tokens: Number(tokens) };
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { openapiDocument } from '../src/api-spec';
import type { Context, ProgramSettings } from '../src/context';
import type { Database } from '../src/db/database';
import { type Platform, type PlatformOptions, startPlatform } from '../src/index';
import { DataCipher } from '../src/lib/crypto';
import { createLogger } from '../src/lib/logger';
import { strictValidator } from './strict-spec';

/** Checks responses strictly: a field the contract does not declare is a failure. */
export const specValidator = strictValidator;
const templates = Object.keys((openapiDocument.paths ?? {}) as object).map((t) => ({
  t,
  re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked against the spec at runtime.
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny client for tests that checks every JSON response against the spec. */
export function client(platform: Platform, key = platform.apiKey) {
  async function call<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await fetch(platform.url + path, {
      method,
      headers: {
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text ? JSON.parse(text) : text;
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    if (type.includes('json')) {
      const pathOnly = path.split('?')[0] as string;
      const template = templates.find((x) => x.re.test(pathOnly))?.t;
      if (template) {
        const problems = specValidator.validateResponse(method, template, res.status, parsed);
        expect(
          problems,
          `${method} ${path} → ${res.status} must match the spec: ${JSON.stringify(parsed).slice(0, 400)}`,
        ).toEqual([]);
      }
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    get: <T = Json>(path: string, headers?: Record<string, string>) =>
      call<T>('GET', path, undefined, headers),
    post: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body ?? {}, headers),
    patch: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', path, body ?? {}, headers),
    delete: <T = Json>(path: string, headers?: Record<string, string>) =>
      call<T>('DELETE', path, undefined, headers),
    call,
  };
}

export type Client = ReturnType<typeof client>;

export const TEST_DATABASE_URL =
  process.env.OPENISSUING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A unique PostgreSQL schema name for one test file. */
export function uniqueSchema(tag: string): string {
  return `oi_${tag}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function start(options: PlatformOptions = {}) {
  const platform = await startPlatform({ webhookPollIntervalMs: 100, ...options });
  return { platform, api: client(platform) };
}

/** Funds the program and creates a cardholder + card; returns their ids. */
export async function seedCard(
  api: Client,
  card: Record<string, unknown> = {},
  holder: Record<string, unknown> = {},
  topup = 1_000_000,
) {
  if (topup > 0) expect((await api.post('/topups', { amount: topup, currency: 'usd' })).status).toBe(201);
  const h = await api.post('/cardholders', {
    type: 'individual',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    ...holder,
  });
  expect(h.status, JSON.stringify(h.body)).toBe(201);
  const c = await api.post('/cards', { cardholder: h.body.id, type: 'virtual', currency: 'usd', ...card });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  return { cardholder: h.body, card: c.body };
}

export function authorize(
  api: Client,
  card: string,
  amount: number,
  merchant: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return api.post('/test_helpers/authorizations', {
    card,
    amount,
    merchant_data: { name: 'Acme SaaS', mcc: '5734', city: 'Berlin', country: 'DE', ...merchant },
    ...extra,
  });
}

/**
 * A service Context for tests that call services directly (no HTTP server): the given database,
 * a fresh random data cipher, the test's own clock, silent logs, and the default program settings
 * (webhook fallback decline, reporting currency usd) unless `program` overrides them.
 *
 * @example
 * let clock = new Date('2026-12-27T22:00:00Z');
 * const ctx = () => testContext({ db, now: () => new Date(clock) });
 * await createTopup(ctx(), { amount: 1_000_00, currency: 'usd' });
 * clock = new Date(clock.getTime() + 3_600_000); // services see the moved clock
 */
export function testContext(options: {
  db: Database;
  now: () => Date;
  program?: Partial<ProgramSettings>;
  cipher?: DataCipher;
}): Context {
  const { db, now } = options;
  const cipher = options.cipher ?? new DataCipher(randomBytes(32));
  return {
    db,
    cipher,
    now,
    notifyOutbox: () => {},
    program: () => ({
      id: 'program',
      object: 'program',
      authorization_webhook_fallback: 'decline',
      authorization_webhook_timeout_ms: 2000,
      allowed_display_origins: [],
      reporting_currency: 'usd',
      created_at: now().toISOString(),
      ...options.program,
    }),
    ephemeralKeyTtlSeconds: 600,
    log: createLogger({ level: 'silent' }),
  };
}

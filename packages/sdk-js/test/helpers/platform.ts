import { type Platform, startPlatform } from '@openissuing/platform';
import { inject } from 'vitest';
import { OpenIssuing } from '../../src/index.node';

export interface Sandbox {
  platform: Platform;
  client: OpenIssuing;
  close(): Promise<void>;
}

/** Starts the real platform in-process (PGlite in memory, 127.0.0.1, random port) and a client for it. */
export async function startSandbox(options: Parameters<typeof startPlatform>[0] = {}): Promise<Sandbox> {
  const platform = await startPlatform({ webhookPollIntervalMs: 50, onError: () => {}, ...options });
  const client = new OpenIssuing({ apiKey: platform.apiKey, baseUrl: platform.url });
  return { platform, client, close: () => platform.close() };
}

/** A client for the platform shared by the whole run (see global-setup.ts). */
export async function sharedSandbox(): Promise<Sandbox> {
  const { url, apiKey } = inject('platform');
  const client = new OpenIssuing({ apiKey, baseUrl: url });
  return { platform: { url, apiKey, close: async () => {} }, client, close: async () => {} };
}

/** Funds the program and creates a cardholder with one card. */
export async function seedCard(
  client: OpenIssuing,
  card: Record<string, unknown> = {},
  holder: Record<string, unknown> = {},
  topup = 10_000_000,
) {
  if (topup > 0) await client.topups.create({ amount: topup, currency: 'usd' });
  const cardholder = await client.cardholders.create({
    type: 'individual',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    ...holder,
  });
  const created = await client.cards.create({
    cardholder: cardholder.id,
    type: 'virtual',
    currency: 'usd',
    ...card,
  });
  return { cardholder, card: created };
}

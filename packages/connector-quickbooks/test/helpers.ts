import { ArraySource, type MappingConfig, SyncEngine } from '@openissuing/connector-core';
import { sampleMapping, sampleTransactions } from '@openissuing/connector-core/testing';
import { QuickBooksAdapter, type QuickBooksAdapterOptions } from '../src/index.js';
import type { RunningEmulator } from '../src/testing/index.js';

export {
  at,
  closeMemoryStores as closeStores,
  memoryStore,
  must,
  seeded,
} from '@openissuing/connector-core/testing';

/** The shared sample mapping: its accounts are the ones the emulator seeds. */
export const mapping: MappingConfig = sampleMapping;

/** Platform-shaped transactions with 31-character ids like the platform's. */
export const makeTransactions = sampleTransactions;

export function adapterFor(
  server: RunningEmulator,
  extra: Partial<QuickBooksAdapterOptions> = {},
): QuickBooksAdapter {
  const emu = server.emulator;
  const tokens = emu.issueTokens();
  return new QuickBooksAdapter({
    realmId: emu.realmId,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    tokens,
    endpoint: server.endpoint,
    tokenUrl: server.tokenUrl,
    limits: { windowMs: emu.limits.windowMs },
    ...extra,
  });
}

export { ArraySource, SyncEngine };

/** Purchases in the emulator per external reference (via the PrivateNote marker). */
export function bookings(purchases: Record<string, unknown>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of purchases) {
    const ref = /\[openissuing:([^\]]+)\]/.exec(String(p.PrivateNote ?? ''))?.[1];
    if (ref) out.set(ref, (out.get(ref) ?? 0) + 1);
  }
  return out;
}

import type { MappingConfig } from '@openissuing/connector-core';
// types only: the testing entry itself imports vitest, which an emulator started from the CLI must not need
import type { ErpEmulatorPlugin, RunningErpEmulator } from '@openissuing/connector-core/testing';
import { QuickBooksAdapter } from '../adapter.js';
import { startQuickBooksEmulator } from './server.js';

/**
 * The emulator's own request timeout (and the connector's `limits.requestTimeoutMs` against it): 2 s
 * instead of QuickBooks' 120 s, so a sync killed with a request in flight resumes in seconds.
 */
const REQUEST_TIMEOUT_MS = 2_000;

/** Mapping rules onto the chart of accounts the emulator seeds. */
const mapping: MappingConfig = {
  liabilityAccount: 'OpenIssuing Card',
  defaultAccount: 'Uncategorized Expense',
  rules: [
    { category: 'advertising', account: 'Advertising' },
    { category: 'cloud_computing', account: 'Cloud Services' },
    { mcc: '5811-5814', account: 'Meals' },
    { category: 'software', account: 'Software' },
    { category: 'fuel', account: 'Fuel' },
    { category: 'airlines', account: 'Travel' },
  ],
  dimensions: { department: 'department', class: 'project' },
};

/** Bookings per external reference, from the `[openissuing:<id>]` marker in PrivateNote. */
function bookings(purchases: Record<string, unknown>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of purchases) {
    const ref = /\[openissuing:([^\]]+)\]/.exec(String(p.PrivateNote ?? ''))?.[1];
    if (ref) out.set(ref, (out.get(ref) ?? 0) + 1);
  }
  return out;
}

/**
 * The QuickBooks Online emulator as a plugin for `openissuing-emulator quickbooks`, `npm run demo:erp`
 * and the adapter conformance suite (see `@openissuing/connector-core/testing`).
 *
 * @example
 * const qbo = await erpEmulator.start({ port: 4300 });
 * console.log(qbo.connector); // paste into openissuing-sync.json
 */
export const erpEmulator: ErpEmulatorPlugin = {
  erp: 'quickbooks',
  title: 'QuickBooks Online',
  async start(options = {}): Promise<RunningErpEmulator> {
    const windowMs = options.windowMs ?? 60_000;
    const server = await startQuickBooksEmulator({
      limits: { windowMs },
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.host ? { host: options.host } : {}),
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    });
    const emu = server.emulator;
    const tokens = emu.issueTokens();
    const limits = { windowMs, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...options.connectorLimits };
    return {
      url: server.url,
      connector: {
        module: '@openissuing/connector-quickbooks',
        options: {
          realmId: emu.realmId,
          endpoint: server.endpoint,
          tokenUrl: server.tokenUrl,
          tokenFile: './.quickbooks-tokens.json',
          limits,
        },
      },
      env: { QUICKBOOKS_CLIENT_ID: emu.clientId, QUICKBOOKS_CLIENT_SECRET: emu.clientSecret },
      files: { '.quickbooks-tokens.json': `${JSON.stringify(tokens)}\n` },
      mapping,
      createAdapter: async () =>
        new QuickBooksAdapter({
          realmId: emu.realmId,
          clientId: emu.clientId,
          clientSecret: emu.clientSecret,
          tokens: emu.issueTokens(),
          endpoint: server.endpoint,
          tokenUrl: server.tokenUrl,
          limits,
        }),
      control: {
        bookings: () => bookings(emu.purchases()),
        setTransientFaults: (rate, random) =>
          emu.setFaults(rate > 0 ? { rate, ...(random ? { random } : {}) } : undefined),
        loseNextResponse: () => emu.failNextPost('reset'),
        rejectAccount: (account) => {
          emu.deactivate('Account', account);
          return {
            message:
              /^Object Not Found: .*has been made inactive.*\(code 610, element AccountBasedExpenseLineDetail\.AccountRef\)$/,
          };
        },
        restoreAccount: (account) => {
          const a = emu.company
            .list('Account')
            .find((x) => String(x.Name).toLowerCase() === account.toLowerCase());
          if (a) a.Active = true;
        },
        stats: () => ({ requests: emu.stats.requests, faults: emu.stats.faults }),
      },
      close: () => server.close(),
    };
  },
};

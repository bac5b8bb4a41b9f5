import type { MappingConfig } from '@openissuing/connector-core';
// types only: the testing entry of connector-core imports vitest, which an emulator started from the CLI must not need
import type { ErpEmulatorPlugin, RunningErpEmulator } from '@openissuing/connector-core/testing';
import { OracleAdapter } from '../adapter.js';
import { basicAuth } from '../client/auth.js';
import { emulatorConnectorOptions } from './config.js';
import type { OracleEmulator } from './emulator.js';
import { startOracleEmulator } from './server.js';

/**
 * The connector's timeouts against the emulator: jobs here end in well under a second, so a job
 * running 3 s is stuck, and a sync killed mid-upload resumes its entries after 2 s + 3 s instead of
 * Oracle's 2 min + 30 min.
 */
const JOB_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 2_000;
/** ESS latency of the plugin's emulator: queued, then running, then a little per journal. */
const JOB_LATENCY = { queuedMs: 50, runningMs: 150, perJournalMs: 1 };
const USER = 'integration.user';
const PASSWORD = 'emulator-password';

/** Mapping rules onto the natural accounts of the emulator's default pod (`defaultPodSetup()`). */
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
  dimensions: { department: 'department', project: 'project' },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Opens the period of today and the one before, so spend made now (the demo, the CLI) imports. */
function openCurrentPeriods(emulator: OracleEmulator, now = new Date()): void {
  for (const back of [0, 1]) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    emulator.setPeriodStatus(`${MONTHS[d.getUTCMonth()]}-${String(d.getUTCFullYear()).slice(2)}`, 'O');
  }
}

/**
 * The Oracle Fusion emulator as a plugin for `openissuing-emulator oracle`, `npm run demo:erp -- --erp
 * oracle` and the adapter conformance suite (see `@openissuing/connector-core/testing`).
 *
 * @example
 * const oracle = await erpEmulator.start({ port: 4300 });
 * console.log(oracle.connector); // paste into openissuing-sync.json
 */
export const erpEmulator: ErpEmulatorPlugin = {
  erp: 'oracle',
  title: 'Oracle Fusion',
  async start(options = {}): Promise<RunningErpEmulator> {
    const server = await startOracleEmulator({
      jobLatency: JOB_LATENCY,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.host ? { host: options.host } : {}),
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    });
    const emu = server.emulator;
    openCurrentPeriods(emu);
    const base = emulatorConnectorOptions(server.url);
    const tuning = {
      jobTimeoutMs: JOB_TIMEOUT_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      ...options.connectorLimits,
    };
    const disabled = new Map<string, string>();
    const segmentFor = (account: string) => {
      const code = base.accounts?.[account];
      if (!code) throw new Error(`the emulator's pod has no natural account for "${account}"`);
      return code;
    };
    return {
      url: server.url,
      connector: { module: '@openissuing/connector-oracle', options: { ...base, ...tuning } },
      env: { ORACLE_FUSION_USERNAME: USER, ORACLE_FUSION_PASSWORD: PASSWORD },
      files: {},
      mapping,
      createAdapter: async () =>
        new OracleAdapter({
          baseUrl: server.url,
          auth: basicAuth(USER, PASSWORD),
          layout: {
            ledger: base.ledger ?? { id: '300000046975971', currency: 'USD' },
            journalSource: base.journalSource ?? 'OpenIssuing Card',
            journalCategory: base.journalCategory ?? 'Card Expense',
            segments: base.segments ?? [],
            accounts: base.accounts,
            conversion: base.conversion,
          },
          ...tuning,
        }),
      control: {
        bookings: () => emu.journalsByReference(),
        setTransientFaults: (rate, random) =>
          emu.setFaults(rate > 0 ? { rate, ...(random ? { random } : {}) } : undefined),
        loseNextResponse: () => emu.failNext('lost'),
        rejectAccount: (account) => {
          const code = segmentFor(account);
          disabled.set(account, code);
          emu.setSegmentValue('Account', code, { enabled: false });
          return { message: /^Oracle Journal Import EF03: Disabled Accounting Flexfield\.$/ };
        },
        restoreAccount: (account) => {
          const code = disabled.get(account) ?? segmentFor(account);
          emu.setSegmentValue('Account', code, { enabled: true });
        },
        stats: () => ({ requests: emu.stats.requests, faults: emu.stats.faults }),
      },
      close: () => server.close(),
    };
  },
};

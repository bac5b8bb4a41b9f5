import type { MappingConfig } from '@openissuing/connector-core';
// types only: the testing entry of connector-core imports vitest, which an emulator started from the CLI must not need
import type { ErpEmulatorPlugin, RunningErpEmulator } from '@openissuing/connector-core/testing';
import { createConnector } from '../connector.js';
import type { SapMappingInput } from '../mapping.js';
import type { PostedDocument } from './ledger.js';
import { glAccount } from './master-data.js';
import { startSapEmulator } from './server.js';

/**
 * The connector's `requestTimeoutMs` against the emulator: it answers every request within
 * milliseconds, so a sync killed with a request in flight may look its entries up after 2 s (a real
 * tenant keeps the connector's 60 s default).
 */
const REQUEST_TIMEOUT_MS = 2_000;

/** The company code the emulator's mapping books into: 1710 (USA, USD) of the seeded tenant. */
const COMPANY_CODE = '1710';

/**
 * Mapping rules onto the emulator's seeded tenant: chart of accounts YCOA, company code 1710, card
 * clearing account 21900000, P&L expense accounts that require a cost center.
 */
export const emulatorMapping: MappingConfig & { sap: SapMappingInput } = {
  liabilityAccount: '21900000',
  defaultAccount: '61009000',
  rules: [
    { category: 'advertising', account: '61003000' },
    { category: 'cloud_computing', account: '61004000' },
    { mcc: '5811-5814', account: '61005000' },
    { category: 'software', account: '61006000' },
    { category: 'fuel', account: '61007000' },
    { category: 'airlines', account: '61008000' },
  ],
  sap: {
    companyCode: COMPANY_CODE,
    documentType: 'SA',
    costCenter: {
      dimension: 'department',
      values: { Engineering: '17101101', Marketing: '17101301' },
      default: '17101101',
    },
    wbsElement: { dimension: 'project', values: { Apollo: 'P-APOLLO-US', Gemini: 'P-GEMINI-US' } },
  },
};

/** Documents per transaction id (the full id is split over Reference1/Reference2), reversals excluded. */
export function bookingsOf(documents: readonly PostedDocument[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of documents) {
    if (d.reverses) continue;
    const ref = `${d.reference1}${d.reference2}`;
    out.set(ref, (out.get(ref) ?? 0) + 1);
  }
  return out;
}

/**
 * The SAP S/4HANA emulator as a plugin for `openissuing-emulator sap`, `npm run demo:erp -- --erp sap`
 * and the adapter conformance suite (see `@openissuing/connector-core/testing`).
 *
 * @example
 * const sap = await erpEmulator.start({ port: 4400 });
 * console.log(sap.connector); // paste into openissuing-sync.json, with SAP_USERNAME/SAP_PASSWORD from sap.env
 */
export const erpEmulator: ErpEmulatorPlugin = {
  erp: 'sap',
  title: 'SAP S/4HANA',
  async start(options = {}): Promise<RunningErpEmulator> {
    const server = await startSapEmulator({
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.host ? { host: options.host } : {}),
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    });
    const emu = server.emulator;
    const connectorOptions = {
      url: server.url,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      ...options.connectorLimits,
    };
    const env = { SAP_USERNAME: emu.username, SAP_PASSWORD: emu.password };
    const removed = new Map<string, string[]>();
    return {
      url: server.url,
      connector: { module: '@openissuing/connector-sap', options: connectorOptions },
      env,
      files: {},
      mapping: emulatorMapping,
      createAdapter: () =>
        createConnector(connectorOptions, { configDir: process.cwd(), env, mapping: emulatorMapping }),
      control: {
        bookings: () => bookingsOf(emu.documents()),
        setTransientFaults: (rate, random) =>
          emu.setFaults(rate > 0 ? { rate, ...(random ? { random } : {}) } : undefined),
        loseNextResponse: () => emu.failNextPost('reset'),
        rejectAccount: (account) => {
          // the account is taken out of the company code, as if it had never been created there
          const chart = emu.masterData.companyCodes.get(COMPANY_CODE)?.chartOfAccounts ?? 'YCOA';
          const gl = glAccount(emu.masterData, chart, account);
          if (!gl) throw new Error(`the emulator has no G/L account ${account} in ${chart}`);
          removed.set(account, gl.companyCodes);
          gl.companyCodes = gl.companyCodes.filter((c) => c !== COMPANY_CODE);
          return {
            message: new RegExp(
              `^SAP rejected the journal entry: 609\\(RW\\) Error in document: BKPFF \\$ \\w+; 153\\(F5\\) Account 0*${account} is not defined in company code ${COMPANY_CODE}$`,
            ),
          };
        },
        restoreAccount: (account) => {
          const chart = emu.masterData.companyCodes.get(COMPANY_CODE)?.chartOfAccounts ?? 'YCOA';
          const gl = glAccount(emu.masterData, chart, account);
          const codes = removed.get(account);
          if (gl && codes) gl.companyCodes = codes;
          removed.delete(account);
        },
        stats: () => ({ requests: emu.stats.requests, faults: emu.stats.faults }),
      },
      close: () => server.close(),
    };
  },
};

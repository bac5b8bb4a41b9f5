import type { OracleConnectorOptions } from '../options.js';

/**
 * `connector.options` for `openissuing-sync.json` that work against an emulator running the default
 * pod (`defaultPodSetup()`), with a job timeout fit for its fast jobs.
 * Credentials: `ORACLE_FUSION_USERNAME=integration.user`, `ORACLE_FUSION_PASSWORD=emulator-password`.
 *
 * @example
 * const oracle = await startOracleEmulator();
 * console.log(JSON.stringify({ module: '@openissuing/connector-oracle', options: emulatorConnectorOptions(oracle.url) }, null, 2));
 */
export function emulatorConnectorOptions(
  baseUrl: string,
): Partial<OracleConnectorOptions> & { baseUrl: string } {
  return {
    baseUrl,
    auth: { type: 'basic', usernameEnv: 'ORACLE_FUSION_USERNAME', passwordEnv: 'ORACLE_FUSION_PASSWORD' },
    ledger: { id: '300000046975971', currency: 'USD' },
    journalSource: 'OpenIssuing Card',
    journalCategory: 'Card Expense',
    segments: [
      { name: 'Company', value: '101' },
      {
        name: 'Cost Center',
        dimension: 'department',
        values: { Marketing: '110', Engineering: '120', Sales: '130' },
        default: '000',
        liability: '000',
      },
      { name: 'Account', account: true },
      { name: 'Product', dimension: 'project', values: { Apollo: '100' }, default: '000' },
      { name: 'Intercompany', value: '000' },
    ],
    accounts: {
      'OpenIssuing Card': '2150',
      Advertising: '6100',
      'Cloud Services': '6200',
      Meals: '6300',
      Software: '6400',
      Travel: '6500',
      Fuel: '6600',
      'Uncategorized Expense': '6900',
    },
    conversion: { type: 'Corporate', date: 'accounting' },
    // the emulator's jobs end in seconds, Oracle's in minutes
    jobTimeoutMs: 60_000,
  };
}

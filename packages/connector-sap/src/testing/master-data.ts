/** A company code: currency, chart of accounts, country (for tax codes) and controlling area. */
export interface CompanyCodeData {
  code: string;
  currency: string;
  chartOfAccounts: string;
  country: string;
  controllingArea: string;
}

/** A G/L account in a chart of accounts, with the company codes it is created in and its field status. */
export interface GLAccountData {
  account: string;
  chartOfAccounts: string;
  /** P&L accounts need a cost object (cost center) by field status, as SAP's primary cost elements do. */
  type: 'pl' | 'balance';
  companyCodes: string[];
  /** Fields the account's field status group makes required. */
  required?: Array<'CostCenter' | 'ProfitCenter' | 'TaxCode'>;
}

export interface CostCenterData {
  id: string;
  controllingArea: string;
  validFrom: string;
  validTo: string;
}

/** Master data the emulator checks postings against; edit it freely in tests. */
export interface MasterData {
  companyCodes: Map<string, CompanyCodeData>;
  glAccounts: Map<string, GLAccountData>;
  costCenters: Map<string, CostCenterData>;
  profitCenters: Map<string, { id: string; controllingArea: string }>;
  wbsElements: Map<string, { id: string; companyCode: string }>;
  /** Tax codes per country (tax procedure). */
  taxCodes: Map<string, Set<string>>;
  documentTypes: Set<string>;
  /** ISO currencies the system knows, with their decimals. */
  currencies: Map<string, number>;
  /** Closed posting periods per company code: `YYYY-PPP` keys. */
  closedPeriods: Map<string, Set<string>>;
}

const key = (chart: string, account: string) => `${chart}/${account}`;

/** Looks a G/L account up in a chart of accounts. */
export function glAccount(md: MasterData, chart: string, account: string): GLAccountData | undefined {
  return md.glAccounts.get(key(chart, account.replace(/^0+(?=\d)/, '')));
}

/** Adds (or replaces) a G/L account. */
export function addGLAccount(md: MasterData, a: GLAccountData): void {
  md.glAccounts.set(key(a.chartOfAccounts, a.account.replace(/^0+(?=\d)/, '')), a);
}

/**
 * The emulator's default tenant: company codes 1010 (Germany, EUR) and 1710 (USA, USD) on chart of
 * accounts YCOA as in SAP's best-practice content, P&L expense accounts, a card-clearing balance sheet
 * account, cost centers, profit centers, WBS elements and tax codes.
 */
export function defaultMasterData(): MasterData {
  const md: MasterData = {
    companyCodes: new Map([
      [
        '1010',
        { code: '1010', currency: 'EUR', chartOfAccounts: 'YCOA', country: 'DE', controllingArea: 'A000' },
      ],
      [
        '1710',
        { code: '1710', currency: 'USD', chartOfAccounts: 'YCOA', country: 'US', controllingArea: 'A000' },
      ],
    ]),
    glAccounts: new Map(),
    costCenters: new Map(),
    profitCenters: new Map(),
    wbsElements: new Map(),
    taxCodes: new Map([
      ['DE', new Set(['V0', 'V1', 'V2'])],
      ['US', new Set(['I0', 'I1'])],
    ]),
    documentTypes: new Set(['SA', 'AB', 'KR', 'KZ', 'DR', 'DZ']),
    currencies: new Map([
      ['EUR', 2],
      ['USD', 2],
      ['GBP', 2],
      ['CHF', 2],
      ['JPY', 0],
      ['KWD', 3],
    ]),
    closedPeriods: new Map(),
  };
  const both = ['1010', '1710'];
  for (const account of [
    '61003000',
    '61004000',
    '61005000',
    '61006000',
    '61007000',
    '61008000',
    '61009000',
  ]) {
    addGLAccount(md, {
      account,
      chartOfAccounts: 'YCOA',
      type: 'pl',
      companyCodes: both,
      required: ['CostCenter'],
    });
  }
  addGLAccount(md, { account: '21900000', chartOfAccounts: 'YCOA', type: 'balance', companyCodes: both });
  addGLAccount(md, { account: '21910000', chartOfAccounts: 'YCOA', type: 'balance', companyCodes: ['1710'] });
  for (const [id] of [['10101101'], ['10101301'], ['10101501'], ['17101101'], ['17101301']]) {
    md.costCenters.set(id as string, {
      id: id as string,
      controllingArea: 'A000',
      validFrom: '2020-01-01',
      validTo: '9999-12-31',
    });
  }
  for (const id of ['YB101', 'YB102', 'YB600']) md.profitCenters.set(id, { id, controllingArea: 'A000' });
  for (const [id, cc] of [
    ['P-APOLLO', '1010'],
    ['P-GEMINI', '1010'],
    ['P-APOLLO-US', '1710'],
    ['P-GEMINI-US', '1710'],
  ] as const) {
    md.wbsElements.set(id, { id, companyCode: cc });
  }
  return md;
}

/** One value of a segment's value set. */
export interface SegmentValueSetup {
  description?: string;
  /** Disabled values are rejected with EF03. @default true */
  enabled?: boolean;
  /** Parent values do not allow detail posting (EF02). @default true */
  postable?: boolean;
  /** Last date (YYYY-MM-DD) the value is active; later accounting dates get EF01. */
  endDate?: string;
}

/** One segment of the chart of accounts. */
export interface SegmentSetup {
  name: string;
  valueSet: string;
  values: Record<string, SegmentValueSetup>;
}

/** A cross-validation rule: when every `when` segment (1-based) has that value, `allow` restricts others. */
export interface CrossValidationRule {
  name: string;
  when: Record<number, string>;
  allow: Record<number, string[]>;
}

/** An accounting period; `O` open, `F` future enterable, `C` closed, `N` never opened. */
export interface PeriodSetup {
  name: string;
  start: string;
  end: string;
  status: 'O' | 'F' | 'C' | 'N';
}

export interface LedgerSetup {
  id: string;
  name: string;
  currency: string;
  segments: SegmentSetup[];
  crossValidation?: CrossValidationRule[];
  periods: PeriodSetup[];
  /** Suspense posting allowed in the ledger (unbalanced journals then get WU01, not EU02). @default false */
  suspenseAllowed?: boolean;
}

/** The pod's master data the emulator validates journals against. */
export interface PodSetup {
  ledgers: LedgerSetup[];
  /** User journal source names (Manage Journal Sources). */
  sources: string[];
  /** User journal category names (Manage Journal Categories). */
  categories: string[];
  /** Enabled currencies. */
  currencies: string[];
  /** Conversion rate types (Manage Conversion Rate Types); `User` is always there. */
  conversionTypes: string[];
  /** Daily rates: `FROM>TO|Type|YYYY-MM-DD` → rate. */
  rates: Record<string, number>;
  /** Data access sets: id → ledger ids it covers. */
  dataAccessSets: Record<string, string[]>;
}

function months(year: number, open: number[], future: number[]): PeriodSetup[] {
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return names.map((m, i) => {
    const start = `${year}-${String(i + 1).padStart(2, '0')}-01`;
    const last = new Date(Date.UTC(year, i + 1, 0)).getUTCDate();
    const end = `${year}-${String(i + 1).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
    const status = open.includes(i + 1) ? 'O' : future.includes(i + 1) ? 'F' : 'C';
    return { name: `${m}-${String(year).slice(2)}`, start, end, status };
  });
}

/**
 * A typical US ledger: chart of accounts Company.Cost Center.Account.Product.Intercompany, periods of
 * 2026 with Oct–Nov open and Dec future-enterable, the "OpenIssuing Card" source and "Card Expense"
 * category, USD/EUR/GBP/JPY, and a Corporate EUR→USD rate for November 2026.
 *
 * @example
 * const emulator = new OracleEmulator({ setup: defaultPodSetup() });
 */
export function defaultPodSetup(): PodSetup {
  const accounts: Record<string, SegmentValueSetup> = {
    '2150': { description: 'Card Clearing' },
    '6100': { description: 'Advertising' },
    '6200': { description: 'Cloud Services' },
    '6300': { description: 'Meals' },
    '6400': { description: 'Software' },
    '6500': { description: 'Travel' },
    '6600': { description: 'Fuel' },
    '6900': { description: 'Uncategorized Expense' },
    '6000': { description: 'Operating Expenses (parent)', postable: false },
    '6950': { description: 'Retired expense', enabled: false },
  };
  const rates: Record<string, number> = {};
  for (let d = 1; d <= 30; d++) rates[`EUR>USD|Corporate|2026-11-${String(d).padStart(2, '0')}`] = 1.08;
  return {
    ledgers: [
      {
        id: '300000046975971',
        name: 'US Primary Ledger',
        currency: 'USD',
        segments: [
          { name: 'Company', valueSet: 'Corporate Company', values: { '101': {}, '102': {} } },
          {
            name: 'Cost Center',
            valueSet: 'Corporate Cost Center',
            values: {
              '000': {},
              '110': { description: 'Marketing' },
              '120': { description: 'Engineering' },
              '130': {},
            },
          },
          { name: 'Account', valueSet: 'Corporate Account', values: accounts },
          {
            name: 'Product',
            valueSet: 'Corporate Product',
            values: { '000': {}, '100': { description: 'Apollo' } },
          },
          {
            name: 'Intercompany',
            valueSet: 'Corporate Company',
            values: { '000': {}, '101': {}, '102': {} },
          },
        ],
        crossValidation: [
          // balance-sheet accounts carry no cost center
          { name: 'No cost center on clearing', when: { 3: '2150' }, allow: { 2: ['000'] } },
        ],
        periods: [2024, 2025, 2026, 2027, 2028, 2029, 2030].flatMap((y) =>
          y === 2026 ? months(y, [10, 11], [12]) : months(y, [], []),
        ),
      },
    ],
    sources: ['OpenIssuing Card', 'Manual', 'Spreadsheet'],
    categories: ['Card Expense', 'Adjustment', 'Other'],
    currencies: ['USD', 'EUR', 'GBP', 'JPY'],
    conversionTypes: ['Corporate', 'Spot'],
    rates,
    dataAccessSets: { '300000046975980': ['300000046975971'] },
  };
}

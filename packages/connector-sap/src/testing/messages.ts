/**
 * The log messages the emulator writes, as SAP's confirmation carries them: `TypeID` `NNN(CLASS)`
 * and `Note`. `source` says where the text comes from: `sap` texts were seen in real S/4HANA
 * responses quoted in public material; `emulator` texts (and type ids) are the emulator's own, in
 * SAP's shape — the README lists them.
 */
export const MESSAGES = {
  documentError: {
    typeId: '609(RW)',
    source: 'sap',
    note: (logSys: string) => `Error in document: BKPFF $ ${logSys}`,
  },
  glNotInChart: {
    typeId: '507(F5)',
    source: 'sap',
    note: (gl: string, coa: string) => `G/L account ${gl} is not defined in chart of accounts ${coa}`,
  },
  accountNotInChart: {
    typeId: '004(FH)',
    source: 'sap',
    note: (gl: string, coa: string) => `Account ${gl} does not exist in chart of accounts ${coa}`,
  },
  periodClosed: {
    typeId: '201(F5)',
    source: 'sap',
    note: (period: string, year: string) => `Posting period ${period} ${year} is not open`,
  },
  requiredField: {
    typeId: '808(F5)',
    source: 'sap',
    note: (field: string, gl: string) => `Field ${field} is a required field for G/L account ${gl}`,
  },
  unbalanced: { typeId: '702(F5)', source: 'emulator', note: () => 'Balance in transaction currency' },
  companyCode: {
    typeId: '165(F5)',
    source: 'emulator',
    note: (cc: string) => `Company code ${cc} is not defined`,
  },
  glNotInCompanyCode: {
    typeId: '153(F5)',
    source: 'emulator',
    note: (gl: string, cc: string) => `Account ${gl} is not defined in company code ${cc}`,
  },
  documentType: {
    typeId: '814(F5)',
    source: 'emulator',
    note: (t: string) => `Document type ${t} is not defined`,
  },
  costCenter: {
    typeId: '248(KI)',
    source: 'emulator',
    note: (coArea: string, cc: string, date: string) =>
      `Cost center ${coArea}/${cc} does not exist on ${date}`,
  },
  profitCenter: {
    typeId: '101(KM)',
    source: 'emulator',
    note: (coArea: string, pc: string) => `Profit center ${coArea}/${pc} does not exist`,
  },
  wbsElement: {
    typeId: '021(CJ)',
    source: 'emulator',
    note: (wbs: string) => `WBS element ${wbs} does not exist`,
  },
  taxCode: {
    typeId: '101(FS)',
    source: 'emulator',
    note: (code: string, country: string) => `Tax code ${code} is not defined for country ${country}`,
  },
  currency: {
    typeId: '022(FX)',
    source: 'emulator',
    note: (c: string) => `Currency ${c} is not defined`,
  },
  decimals: {
    typeId: '181(F5)',
    source: 'emulator',
    note: (amount: string, c: string) => `Amount ${amount} has more decimal places than currency ${c} allows`,
  },
  posted: {
    typeId: '605(RW)',
    source: 'emulator',
    note: (key: string, logSys: string) => `Document posted successfully: BKPFF ${key} ${logSys}`,
  },
} as const;

/** The emulator's texts for SOAP faults and HTTP errors (SAP's exact wording is not public). */
export const FAULT_TEXTS = {
  schema: (details: string) => `Error during XML => ABAP conversion: ${details}`,
  notEnvelope: (why: string) => `SOAP envelope expected: ${why}`,
  versionMismatch: 'The SOAP version of the envelope does not match the content type',
  action: (got: string) => `SOAPAction ${got} is not an operation of this service`,
  tooMany: (n: number, max: number) =>
    `The request holds ${n} journal entries; at most ${max} are allowed per call`,
  serverError: 'Internal server error (injected by the emulator)',
} as const;

/**
 * The `GL_INTERFACE` columns of Oracle's `JournalImportTemplate.xlsm` (sheet GL_INTERFACE, row 4) in
 * the order `GlInterface.csv` carries them: the file is headerless and positional, so this order is the
 * format. 149 columns in current releases (older releases end at PERIOD_NAME; SQL*Loader's
 * `TRAILING NULLCOLS` accepts rows with fewer fields).
 */
const seq = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

export const GL_INTERFACE_COLUMNS = [
  'STATUS',
  'LEDGER_ID',
  'ACCOUNTING_DATE',
  'USER_JE_SOURCE_NAME',
  'USER_JE_CATEGORY_NAME',
  'CURRENCY_CODE',
  'DATE_CREATED',
  'ACTUAL_FLAG',
  ...seq('SEGMENT', 1, 30),
  'ENTERED_DR',
  'ENTERED_CR',
  'ACCOUNTED_DR',
  'ACCOUNTED_CR',
  ...seq('REFERENCE', 1, 10),
  ...seq('REFERENCE', 21, 30),
  'STAT_AMOUNT',
  'USER_CURRENCY_CONVERSION_TYPE',
  'CURRENCY_CONVERSION_DATE',
  'CURRENCY_CONVERSION_RATE',
  'GROUP_ID',
  'ATTRIBUTE_CATEGORY',
  ...seq('ATTRIBUTE', 1, 20),
  'ATTRIBUTE_CATEGORY3',
  'AVERAGE_JOURNAL_FLAG',
  'ORIGINATING_BAL_SEG_VALUE',
  'LEDGER_NAME',
  'ENCUMBRANCE_TYPE_ID',
  'JGZZ_RECON_REF',
  'PERIOD_NAME',
  'REFERENCE18',
  'REFERENCE19',
  'REFERENCE20',
  ...seq('ATTRIBUTE_DATE', 1, 10),
  ...seq('ATTRIBUTE_NUMBER', 1, 10),
  'GLOBAL_ATTRIBUTE_CATEGORY',
  ...seq('GLOBAL_ATTRIBUTE', 1, 20),
  ...seq('GLOBAL_ATTRIBUTE_DATE', 1, 5),
  ...seq('GLOBAL_ATTRIBUTE_NUMBER', 1, 5),
] as const;

/** A `GL_INTERFACE` column name. */
export type GlInterfaceColumn = string;

/** One `GL_INTERFACE` row by column name; columns left out are empty. */
export type GlInterfaceRow = Partial<Record<GlInterfaceColumn, string>>;

const INDEX = new Map<string, number>(GL_INTERFACE_COLUMNS.map((c, i) => [c, i]));

/**
 * Position of a column in `GlInterface.csv` (0-based).
 *
 * @example
 * columnIndex('GROUP_ID'); // 66
 */
export function columnIndex(name: string): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`GL_INTERFACE has no column ${name}`);
  return i;
}

/** Documented maximum lengths (JournalImportTemplate column notes) of the text columns we fill. */
export const GL_INTERFACE_LENGTHS: Readonly<Record<string, number>> = {
  STATUS: 50,
  USER_JE_SOURCE_NAME: 25,
  USER_JE_CATEGORY_NAME: 25,
  CURRENCY_CODE: 15,
  ACTUAL_FLAG: 1,
  ...Object.fromEntries(seq('SEGMENT', 1, 30).map((s) => [s, 25])),
  REFERENCE1: 100,
  REFERENCE2: 240,
  REFERENCE4: 100,
  REFERENCE5: 240,
  REFERENCE6: 100,
  REFERENCE7: 100,
  REFERENCE8: 100,
  REFERENCE9: 100,
  REFERENCE10: 240,
  USER_CURRENCY_CONVERSION_TYPE: 30,
  LEDGER_NAME: 30,
  ORIGINATING_BAL_SEG_VALUE: 25,
  JGZZ_RECON_REF: 240,
};

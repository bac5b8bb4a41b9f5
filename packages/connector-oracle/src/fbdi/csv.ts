import { stringify } from 'csv-stringify/sync';
import { GL_INTERFACE_COLUMNS, type GlInterfaceRow } from './columns.js';

/**
 * Writes rows as `GlInterface.csv`: no header, the 149 columns in template order, comma-separated,
 * `"`-quoted only where a value needs it (the control file reads `optionally enclosed by '"'`), LF line
 * ends. Unset columns are empty fields.
 *
 * @example
 * const csv = toGlInterfaceCsv([{ STATUS: 'NEW', LEDGER_ID: '300000046975971', … }]);
 */
export function toGlInterfaceCsv(rows: GlInterfaceRow[]): string {
  const records = rows.map((row) => GL_INTERFACE_COLUMNS.map((c) => row[c] ?? ''));
  return stringify(records, { quoted_match: /[",\r\n]|^\s|\s$/, record_delimiter: 'unix' });
}

import { parse } from 'csv-parse/sync';
import { GL_INTERFACE_COLUMNS, GL_INTERFACE_LENGTHS } from '../fbdi/columns.js';

/** A row as Journal Import sees it in `GL_INTERFACE`. */
export interface InterfaceRow {
  /** Interface row id (GL_INTERFACE_ID). */
  id: number;
  /** 1-based record number in the loaded file. */
  record: number;
  loadRequestId: number;
  values: Record<string, string>;
  /** NEW, P (held: another row of the group failed), or error codes such as EF04 / EF04,EC08. */
  status: string;
  statusDescription: string;
  /** Accounted amounts Journal Import computed for foreign-currency lines. */
  accountedDr?: string;
  accountedCr?: string;
}

/** A record SQL*Loader rejected (it goes to the .bad file; the rest of the file loads). */
export interface LoadRejection {
  record: number;
  message: string;
}

const NUMBER_COLUMNS = new Set([
  'LEDGER_ID',
  'ENTERED_DR',
  'ENTERED_CR',
  'ACCOUNTED_DR',
  'ACCOUNTED_CR',
  'STAT_AMOUNT',
  'CURRENCY_CONVERSION_RATE',
  'GROUP_ID',
  'ENCUMBRANCE_TYPE_ID',
]);
const DATE_COLUMNS = new Set(['ACCOUNTING_DATE', 'DATE_CREATED', 'CURRENCY_CONVERSION_DATE']);
const NOT_NULL = ['STATUS', 'ACCOUNTING_DATE', 'CURRENCY_CODE', 'DATE_CREATED', 'ACTUAL_FLAG'];

/** True for a real calendar date in the control file's `YYYY/MM/DD`. */
export function isOracleDate(v: string): boolean {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * Loads `GlInterface.csv` the way the GL_INTERFACE control file does: positional fields terminated by
 * `,` optionally enclosed by `"`, TRAILING NULLCOLS (missing trailing fields are null), dates
 * `YYYY/MM/DD`, numbers, column lengths, NOT NULL columns. Each bad record is rejected with the
 * Oracle error SQL*Loader would log; good records load.
 */
export function loadGlInterfaceCsv(text: string): {
  rows: Array<{ record: number; values: Record<string, string> }>;
  rejected: LoadRejection[];
} {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (err) {
    return {
      rows: [],
      rejected: [
        { record: 0, message: `SQL*Loader-510: the data file cannot be read: ${(err as Error).message}` },
      ],
    };
  }
  const rows: Array<{ record: number; values: Record<string, string> }> = [];
  const rejected: LoadRejection[] = [];
  records.forEach((fields, i) => {
    const record = i + 1;
    const reject = (message: string) =>
      rejected.push({
        record,
        message: `Record ${record}: Rejected - Error on table GL_INTERFACE${message}`,
      });
    if (fields.length > GL_INTERFACE_COLUMNS.length) {
      reject(
        `. ORA-01722 / SQL*Loader: ${fields.length} fields for ${GL_INTERFACE_COLUMNS.length} columns — the file does not follow the template's column layout`,
      );
      return;
    }
    const values: Record<string, string> = {};
    for (let c = 0; c < GL_INTERFACE_COLUMNS.length; c++) {
      const name = GL_INTERFACE_COLUMNS[c] as string;
      let v = fields[c] ?? '';
      if (name === 'PERIOD_NAME' && v === 'END') v = '';
      if (v !== '') values[name] = v;
    }
    for (const [name, v] of Object.entries(values)) {
      const max = GL_INTERFACE_LENGTHS[name];
      if (max !== undefined && v.length > max) {
        reject(
          `, column ${name}.\nORA-12899: value too large for column "FUSION"."GL_INTERFACE"."${name}" (actual: ${v.length}, maximum: ${max})`,
        );
        return;
      }
      if (NUMBER_COLUMNS.has(name) && !/^-?\d+(\.\d+)?$/.test(v)) {
        reject(`, column ${name}.\nORA-01722: invalid number`);
        return;
      }
      if (DATE_COLUMNS.has(name) && !isOracleDate(v)) {
        reject(`, column ${name}.\nORA-01861: literal does not match format string`);
        return;
      }
    }
    const missing = NOT_NULL.find((n) => values[n] === undefined);
    if (missing) {
      reject(
        `, column ${missing}.\nORA-01400: cannot insert NULL into ("FUSION"."GL_INTERFACE"."${missing}")`,
      );
      return;
    }
    if (values.GROUP_ID === undefined) {
      reject(`, column GROUP_ID.\nORA-01400: cannot insert NULL into ("FUSION"."GL_INTERFACE"."GROUP_ID")`);
      return;
    }
    rows.push({ record, values });
  });
  return { rows, rejected };
}

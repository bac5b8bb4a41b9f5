import type { InterfaceRow } from './interface-table.js';
import type { LedgerSetup, PodSetup } from './setup.js';

/**
 * Journal Import status codes and texts. Texts marked [Oracle] are Oracle's as quoted by public sources
 * (EBS-era Journal Import codes that Fusion keeps, and a Fusion pod's EF04 text); the others are the
 * emulator's wording of the documented meaning.
 */
export const JOURNAL_IMPORT_CODES = {
  /** [Oracle] */
  EP01: 'This date is not in any open or future enterable period.',
  EP02: 'This ledger has no open or future enterable periods.',
  /** [Oracle] */
  EU02: 'This journal entry is unbalanced and suspense posting is not allowed in this set of books.',
  WU01: 'This journal entry is unbalanced; it was accepted and the difference posted to suspense.',
  /** [Oracle] */
  EF01: 'This Accounting Flexfield is inactive for this accounting date.',
  /** [Oracle] */
  EF02: 'Detail posting not allowed for this Accounting Flexfield.',
  /** [Oracle] */
  EF03: 'Disabled Accounting Flexfield.',
  /** [Oracle] */
  EF04: 'This is an invalid Accounting Flexfield. Check your cross-validation rules and segment values.',
  EC01: 'A conversion rate is required when the conversion type is User.',
  EC02: 'A conversion date is required when the conversion type is not User.',
  /** [Oracle] */
  EC06: 'There is no conversion rate for this currency, conversion type and conversion date.',
  /** [Oracle] */
  EC08: 'Invalid currency code.',
  EC11: 'Invalid conversion rate type.',
  EC12: 'Entered amounts must equal accounted amounts in the ledger currency.',
  /** emulator code: an actual flag other than A (the emulator imports actuals only) */
  EX01: 'The emulator imports actual journals only: ACTUAL_FLAG must be A.',
  /** emulator code: a journal category that is not defined */
  EX02: 'The journal category is not defined (Manage Journal Categories).',
} as const;

export type JournalImportCode = keyof typeof JOURNAL_IMPORT_CODES;

/** A batch/journal/line as created by a successful import (the journalBatches read model). */
export interface ImportedLine {
  number: number;
  segments: string[];
  enteredDr: string | null;
  enteredCr: string | null;
  accountedDr: string | null;
  accountedCr: string | null;
  description: string | null;
}
export interface ImportedJournal {
  id: number;
  name: string;
  description: string | null;
  reference: string | null;
  category: string;
  currency: string;
  accountingDate: string;
  periodName: string;
  conversionType: string | null;
  conversionRate: string | null;
  lines: ImportedLine[];
}
export interface ImportedBatch {
  id: number;
  name: string;
  description: string | null;
  source: string;
  ledgerId: string;
  periodName: string;
  groupId: string;
  requestId: number;
  createdAt: string;
  journals: ImportedJournal[];
}

/** The Import Journals parameters, parsed from the ParameterList. */
export interface ImportParameters {
  dataAccessSetId: string | null;
  source: string;
  ledgerId: string;
  groupId: string;
  postErrorsToSuspense: boolean;
}

export interface ImportResult {
  /** Rows the job selected (ledger, source and group matched, STATUS NEW). */
  selected: InterfaceRow[];
  batches: ImportedBatch[];
  /** True when an error held the whole group. */
  rejected: boolean;
  unbalanced: Array<{ journal: string; dr: string; cr: string }>;
}

const minorOf = (v: string | undefined): bigint => {
  if (!v) return 0n;
  const neg = v.startsWith('-');
  const [i = '0', f = ''] = v.replace('-', '').split('.');
  const n = BigInt(i) * 10_000n + BigInt(f.padEnd(4, '0').slice(0, 4) || '0');
  return neg ? -n : n;
};

function isoOf(oracleDate: string): string {
  return oracleDate.replaceAll('/', '-');
}

function addCode(row: InterfaceRow, code: JournalImportCode, text?: string): void {
  const codes = row.status.startsWith('E') || row.status.startsWith('W') ? row.status.split(',') : [];
  if (!codes.includes(code)) codes.push(code);
  row.status = codes.join(',');
  row.statusDescription ||= text ?? JOURNAL_IMPORT_CODES[code];
}

function period(ledger: LedgerSetup, date: string) {
  return ledger.periods.find((p) => p.start <= date && date <= p.end);
}

interface Next {
  batchId: () => number;
  headerId: () => number;
}

/**
 * Runs Journal Import over the interface table for one ledger, source and group: validates each line
 * (period, flexfield values and cross-validation, currency and conversion, balance per journal in the
 * entered currency) and either creates the batches or — when any line fails and errors do not go to
 * suspense — leaves every selected row in the table, the failing ones with their codes and the rest
 * with `P`, as Oracle rejects the whole group.
 */
export function runJournalImport(
  table: InterfaceRow[],
  params: ImportParameters,
  pod: PodSetup,
  requestId: number,
  now: string,
  next: Next,
  options: { unbalanced: 'reject' | 'accept' } = { unbalanced: 'reject' },
): ImportResult {
  const ledger = pod.ledgers.find((l) => l.id === params.ledgerId) as LedgerSetup;
  const byName = new Map(pod.ledgers.map((l) => [l.name, l.id]));
  const selected = table.filter((r) => {
    const ledgerId = r.values.LEDGER_ID ?? byName.get(r.values.LEDGER_NAME ?? '');
    return (
      r.status === 'NEW' &&
      ledgerId === params.ledgerId &&
      r.values.USER_JE_SOURCE_NAME === params.source &&
      (params.groupId === 'ALL' || r.values.GROUP_ID === params.groupId)
    );
  });
  const result: ImportResult = { selected, batches: [], rejected: false, unbalanced: [] };
  if (selected.length === 0) return result;

  const hasOpen = ledger.periods.some((p) => p.status === 'O' || p.status === 'F');
  for (const row of selected) validateRow(row, ledger, pod, hasOpen);

  // journals: REFERENCE1 (batch) + REFERENCE4 (journal) + header attributes
  const journals = new Map<string, InterfaceRow[]>();
  for (const row of selected) {
    const v = row.values;
    const key = [
      v.REFERENCE1 ?? '',
      v.REFERENCE4 ?? '',
      v.USER_JE_CATEGORY_NAME,
      v.CURRENCY_CODE,
      v.ACCOUNTING_DATE,
      v.GROUP_ID,
    ].join('\u0000');
    journals.set(key, [...(journals.get(key) ?? []), row]);
  }
  for (const rows of journals.values()) {
    let dr = 0n;
    let cr = 0n;
    for (const r of rows) {
      dr += minorOf(r.values.ENTERED_DR);
      cr += minorOf(r.values.ENTERED_CR);
    }
    if (dr !== cr) {
      result.unbalanced.push({ journal: rows[0]?.values.REFERENCE4 ?? '', dr: String(dr), cr: String(cr) });
      if (options.unbalanced === 'reject')
        for (const r of rows) addCode(r, ledger.suspenseAllowed ? 'WU01' : 'EU02');
    }
  }
  const failed = selected.some((r) => r.status.startsWith('E'));
  if (failed) {
    result.rejected = true;
    for (const r of selected) if (!r.status.startsWith('E')) r.status = 'P';
    return result;
  }

  // success: batches by REFERENCE1 (one per group and name), journals within
  const batches = new Map<string, ImportedBatch>();
  for (const rows of journals.values()) {
    const first = rows[0] as InterfaceRow;
    const v = first.values;
    const date = isoOf(v.ACCOUNTING_DATE as string);
    const p = period(ledger, date);
    const given = (v.REFERENCE1 ?? '').slice(0, 50);
    const derived = `${given ? `${given} ` : ''}${params.source} A ${params.groupId} ${requestId} N`;
    let batch = batches.get(given || derived);
    if (!batch) {
      batch = {
        id: next.batchId(),
        name: derived,
        description: v.REFERENCE2 ?? null,
        source: params.source,
        ledgerId: params.ledgerId,
        periodName: p?.name ?? '',
        groupId: v.GROUP_ID as string,
        requestId,
        createdAt: now,
        journals: [],
      };
      batches.set(given || derived, batch);
    }
    batch.journals.push({
      id: next.headerId(),
      name: v.REFERENCE4 || `${v.USER_JE_CATEGORY_NAME} ${v.CURRENCY_CODE}`,
      description: v.REFERENCE5 ?? null,
      reference: v.REFERENCE6 ?? null,
      category: v.USER_JE_CATEGORY_NAME as string,
      currency: v.CURRENCY_CODE as string,
      accountingDate: date,
      periodName: p?.name ?? '',
      conversionType: v.USER_CURRENCY_CONVERSION_TYPE ?? null,
      conversionRate: v.CURRENCY_CONVERSION_RATE ?? null,
      lines: rows.map((r, i) => ({
        number: i + 1,
        segments: ledger.segments.map((_, s) => r.values[`SEGMENT${s + 1}`] ?? ''),
        enteredDr: r.values.ENTERED_DR ?? null,
        enteredCr: r.values.ENTERED_CR ?? null,
        accountedDr: r.values.ACCOUNTED_DR ?? r.accountedDr ?? r.values.ENTERED_DR ?? null,
        accountedCr: r.values.ACCOUNTED_CR ?? r.accountedCr ?? r.values.ENTERED_CR ?? null,
        description: r.values.REFERENCE10 ?? null,
      })),
    });
  }
  result.batches = [...batches.values()];
  return result;
}

function fixed(n: number, digits: number): string {
  return n.toFixed(digits);
}

function validateRow(row: InterfaceRow, ledger: LedgerSetup, pod: PodSetup, hasOpen: boolean): void {
  const v = row.values;
  if (v.ACTUAL_FLAG !== 'A') addCode(row, 'EX01');
  if (!pod.categories.includes(v.USER_JE_CATEGORY_NAME ?? '')) addCode(row, 'EX02');
  const date = isoOf(v.ACCOUNTING_DATE as string);
  if (!hasOpen) addCode(row, 'EP02');
  else {
    const p = period(ledger, date);
    if (!p || (p.status !== 'O' && p.status !== 'F')) addCode(row, 'EP01');
  }
  // flexfield: every segment of the chart of accounts, nothing beyond it
  const segs = ledger.segments.map((_, i) => v[`SEGMENT${i + 1}`] ?? '');
  for (let i = ledger.segments.length + 1; i <= 30; i++) {
    if (v[`SEGMENT${i}`]) {
      addCode(
        row,
        'EF04',
        `The chart of accounts has ${ledger.segments.length} segments; SEGMENT${i} must be empty.`,
      );
    }
  }
  ledger.segments.forEach((seg, i) => {
    const value = segs[i] as string;
    const def = seg.values[value];
    if (!def) {
      // the text a Fusion pod writes into STATUS_DESCRIPTION [Oracle, from a public pod report]
      addCode(
        row,
        'EF04',
        `FLEX-VALUE DOES NOT EXIST (SEGMENT=${seg.name}) (VALUESET=${seg.valueSet}) (VALUE=${value})`,
      );
      return;
    }
    if (def.enabled === false) addCode(row, 'EF03');
    else if (def.endDate !== undefined && def.endDate < date) addCode(row, 'EF01');
    else if (def.postable === false) addCode(row, 'EF02');
  });
  for (const rule of ledger.crossValidation ?? []) {
    const applies = Object.entries(rule.when).every(([n, val]) => segs[Number(n) - 1] === val);
    if (!applies) continue;
    const ok = Object.entries(rule.allow).every(([n, vals]) => vals.includes(segs[Number(n) - 1] as string));
    if (!ok) addCode(row, 'EF04');
  }
  // currency and conversion
  const currency = v.CURRENCY_CODE as string;
  if (!pod.currencies.includes(currency)) {
    addCode(row, 'EC08');
    return;
  }
  if (currency === ledger.currency) {
    const dr = v.ACCOUNTED_DR;
    const cr = v.ACCOUNTED_CR;
    if (
      (dr !== undefined && minorOf(dr) !== minorOf(v.ENTERED_DR)) ||
      (cr !== undefined && minorOf(cr) !== minorOf(v.ENTERED_CR))
    )
      addCode(row, 'EC12');
    return;
  }
  const type = v.USER_CURRENCY_CONVERSION_TYPE;
  if (!type || (type !== 'User' && !pod.conversionTypes.includes(type))) {
    addCode(row, 'EC11');
    return;
  }
  let rate: number | undefined;
  if (type === 'User') {
    if (!v.CURRENCY_CONVERSION_RATE) {
      addCode(row, 'EC01');
      return;
    }
    rate = Number(v.CURRENCY_CONVERSION_RATE);
  } else {
    const on = v.CURRENCY_CONVERSION_DATE;
    if (!on) {
      addCode(row, 'EC02');
      return;
    }
    rate = pod.rates[`${currency}>${ledger.currency}|${type}|${isoOf(on)}`];
    if (rate === undefined) {
      addCode(row, 'EC06');
      return;
    }
  }
  if (v.ENTERED_DR) row.accountedDr = fixed(Number(v.ENTERED_DR) * rate, 2);
  if (v.ENTERED_CR) row.accountedCr = fixed(Number(v.ENTERED_CR) * rate, 2);
}

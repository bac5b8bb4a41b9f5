import { currencyExponent, type JournalEntry, type JournalLine } from '@openissuing/connector-core';
import type { JournalLayout, SegmentSpec } from '../options.js';
import { batchNameFor } from '../references.js';
import { GL_INTERFACE_LENGTHS, type GlInterfaceRow } from './columns.js';

/** An entry cannot be laid out for Oracle (a mapping problem); the message names the field to fix. */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

/** Per-upload values every row carries. */
export interface UploadContext {
  /** Numeric ledger id (LEDGER_ID); the ParameterList passes the same id. */
  ledgerId: string;
  /** Fresh numeric GROUP_ID of this upload. */
  groupId: string;
  /** DATE_CREATED, `YYYY-MM-DD`. */
  createdOn: string;
}

/** `YYYY-MM-DD` → Oracle's `YYYY/MM/DD` (the control file's `to_date(…,'YYYY/MM/DD')`). */
export function oracleDate(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new LayoutError(`date "${isoDate}" is not YYYY-MM-DD`);
  return isoDate.replaceAll('-', '/');
}

/** Minor units → a plain decimal string with the currency's digits ("1234.50"); no grouping, no symbol. */
export function decimalAmount(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const s = String(Math.abs(minor)).padStart(exp + 1, '0');
  const major = exp === 0 ? s : `${s.slice(0, -exp)}.${s.slice(-exp)}`;
  return minor < 0 ? `-${major}` : major;
}

/** A conversion rate as Oracle reads it: a plain decimal with at most 10 fractional digits. */
export function rateString(rate: number): string {
  if (!Number.isFinite(rate) || rate <= 0)
    throw new LayoutError(`conversion rate ${rate} must be a positive number`);
  return rate.toFixed(10).replace(/\.?0+$/, '');
}

function segmentValue(
  spec: SegmentSpec,
  n: number,
  entry: JournalEntry,
  line: JournalLine,
  layout: JournalLayout,
): string {
  const where = `connector.options.segments.${n - 1}${spec.name ? ` (${spec.name})` : ''}`;
  if (line.role === 'liability' && spec.liability !== undefined) return spec.liability;
  if (spec.value !== undefined) return spec.value;
  if (spec.account) {
    const code = layout.accounts?.[line.account] ?? line.account;
    if (code.length > 25 || code.length === 0) {
      throw new LayoutError(
        `account "${line.account}" is not a natural-account segment value (at most 25 characters): map it in connector.options.accounts`,
      );
    }
    return code;
  }
  const dim = spec.dimension as string;
  const raw = entry.dimensions[dim];
  if (spec.values) {
    const mapped = raw === undefined ? undefined : spec.values[raw];
    if (mapped !== undefined) return mapped;
    if (spec.default !== undefined) return spec.default;
    throw new LayoutError(
      raw === undefined
        ? `${where}: the transaction has no "${dim}" dimension and the segment has no "default"`
        : `${where}: no segment value for ${dim} "${raw}": add it to "values" or set a "default"`,
    );
  }
  if (raw !== undefined && raw.length > 0) {
    if (raw.length > 25)
      throw new LayoutError(
        `${where}: ${dim} "${raw}" is longer than 25 characters: map it through "values"`,
      );
    return raw;
  }
  if (spec.default !== undefined) return spec.default;
  throw new LayoutError(
    `${where}: the transaction has no "${dim}" dimension and the segment has no "default"`,
  );
}

interface Conversion {
  type: string;
  date: string;
  rate?: string;
  /** Accounted amount in ledger minor units, when known exactly. */
  accounted?: number;
}

function conversionFor(
  entry: JournalEntry,
  layout: JournalLayout,
  accountingDate: string,
): Conversion | null {
  const ledgerCurrency = layout.ledger.currency.toUpperCase();
  if (entry.currency === ledgerCurrency) return null;
  const expense = entry.lines.find((l) => l.role === 'expense');
  const amount = expense?.amount ?? 0;
  const o = entry.original;
  if (o && o.currency.toUpperCase() === ledgerCurrency && o.amount > 0 && amount > 0) {
    // the merchant charged in the ledger currency: the accounted amount is known to the cent
    const rate =
      o.amount / 10 ** currencyExponent(ledgerCurrency) / (amount / 10 ** currencyExponent(entry.currency));
    return { type: 'User', date: accountingDate, rate: rateString(rate), accounted: o.amount };
  }
  if (entry.exchangeRate !== undefined)
    return { type: 'User', date: accountingDate, rate: rateString(entry.exchangeRate) };
  if (layout.conversion) return { type: layout.conversion.type, date: accountingDate };
  throw new LayoutError(
    `no conversion rate ${entry.currency}→${ledgerCurrency}: add exchangeRates.${entry.currency} to mapping.json or set connector.options.conversion.type (e.g. "Corporate")`,
  );
}

function clip(value: string, column: string): string {
  const max = GL_INTERFACE_LENGTHS[column];
  return max !== undefined && value.length > max ? value.slice(0, max) : value;
}

/**
 * The `GL_INTERFACE` rows of one journal entry: one row per line, debit or credit in the entered
 * currency, segments per the layout, batch and journal named `OI-<id>` (REFERENCE1/REFERENCE4), the
 * full id as journal reference (REFERENCE6), merchant and card in the line description (REFERENCE10),
 * accounting date = the entry's (settlement) date.
 *
 * @example
 * const rows = journalRows(entry, layout, { ledgerId: '300000046975971', groupId: '1733011200001', createdOn: '2026-11-30' });
 */
export function journalRows(
  entry: JournalEntry,
  layout: JournalLayout,
  ctx: UploadContext,
): GlInterfaceRow[] {
  const accountingDate = oracleDate(entry.date);
  const name = batchNameFor(entry.externalRef);
  if (name.length > 100)
    throw new LayoutError(
      `transaction id ${entry.externalRef} is too long for a batch name (100 characters)`,
    );
  const fx = conversionFor(entry, layout, accountingDate);
  const expense = entry.lines.find((l) => l.role === 'expense');
  const card = entry.source.card;
  const last4 = card ? layout.cardLast4?.[card] : undefined;
  const cardText = last4 ? ` card ${last4}` : card ? ` card ${card}` : '';
  const lineDescription = `${entry.counterparty.name}${cardText}`;
  return entry.lines.map((line) => {
    const row: GlInterfaceRow = {
      STATUS: 'NEW',
      LEDGER_ID: ctx.ledgerId,
      ACCOUNTING_DATE: accountingDate,
      USER_JE_SOURCE_NAME: layout.journalSource,
      USER_JE_CATEGORY_NAME: layout.journalCategory,
      CURRENCY_CODE: entry.currency,
      DATE_CREATED: oracleDate(ctx.createdOn),
      ACTUAL_FLAG: 'A',
      [line.side === 'debit' ? 'ENTERED_DR' : 'ENTERED_CR']: decimalAmount(line.amount, entry.currency),
      REFERENCE1: name,
      REFERENCE2: clip(
        `OpenIssuing card ${entry.kind === 'refund' ? 'refund' : 'spend'} ${entry.externalRef}`,
        'REFERENCE2',
      ),
      REFERENCE4: name,
      REFERENCE5: clip(expense?.description ?? entry.memo, 'REFERENCE5'),
      REFERENCE6: entry.externalRef,
      REFERENCE10: clip(lineDescription, 'REFERENCE10'),
      GROUP_ID: ctx.groupId,
    };
    layout.segments.forEach((spec, i) => {
      row[`SEGMENT${i + 1}`] = segmentValue(spec, i + 1, entry, line, layout);
    });
    if (fx) {
      row.USER_CURRENCY_CONVERSION_TYPE = fx.type;
      row.CURRENCY_CONVERSION_DATE = fx.date;
      if (fx.rate) row.CURRENCY_CONVERSION_RATE = fx.rate;
      if (fx.accounted !== undefined)
        row[line.side === 'debit' ? 'ACCOUNTED_DR' : 'ACCOUNTED_CR'] = decimalAmount(
          fx.accounted,
          layout.ledger.currency.toUpperCase(),
        );
    }
    return row;
  });
}

import { createHash } from 'node:crypto';
import { type JournalEntry, toMajor } from '@openissuing/connector-core';

/** QuickBooks' documented maximum DocNumber length. */
export const DOC_NUMBER_MAX = 21;
/** QuickBooks' documented maximum PrivateNote length. */
export const PRIVATE_NOTE_MAX = 4000;

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The DocNumber that carries a transaction id: the id itself when it fits QuickBooks' 21 characters,
 * else `OI` + 19 base32 characters of its SHA-256 (deterministic, so a lookup finds it again).
 *
 * @example
 * docNumberFor('itxn_01JD2ZK9Q6W0000ABCDEFGHJKM'); // 'OI…' (21 chars)
 */
export function docNumberFor(externalRef: string): string {
  if (externalRef.length <= DOC_NUMBER_MAX) return externalRef;
  const digest = createHash('sha256').update(externalRef).digest();
  let bits = 0;
  let value = 0;
  let out = 'OI';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < DOC_NUMBER_MAX) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= DOC_NUMBER_MAX) break;
  }
  return out;
}

/** Marker in PrivateNote that proves a Purchase was booked for this transaction. */
export function referenceMarker(externalRef: string): string {
  return `[openissuing:${externalRef}]`;
}

/** Ids the Purchase references, resolved by the adapter. */
export interface PurchaseRefs {
  liabilityAccountId: string;
  expenseAccountId: string;
  vendorId: string;
  classId?: string;
  departmentId?: string;
}

/**
 * Maps a journal entry to a QuickBooks Purchase: PaymentType CreditCard against the card-liability
 * account, one AccountBasedExpenseLineDetail line on the mapped expense account, refunds as
 * `Credit: true`, dimensions as ClassRef (line) and DepartmentRef (header), the transaction id in
 * DocNumber and PrivateNote.
 */
export function toPurchase(
  entry: JournalEntry,
  refs: PurchaseRefs,
  options: { multiCurrency: boolean; homeCurrency: string },
): Record<string, unknown> {
  const expense = entry.lines.find((l) => l.role === 'expense');
  if (!expense) throw new Error(`entry ${entry.externalRef} has no expense line`);
  const originalNote = entry.original
    ? ` Original ${toMajor(entry.original.amount, entry.original.currency)} ${entry.original.currency}${
        entry.original.rate ? ` at ${entry.original.rate}` : ''
      }.`
    : '';
  const note = `${entry.memo}.${originalNote} ${referenceMarker(entry.externalRef)}`.slice(
    0,
    PRIVATE_NOTE_MAX,
  );
  const purchase: Record<string, unknown> = {
    PaymentType: 'CreditCard',
    AccountRef: { value: refs.liabilityAccountId },
    EntityRef: { value: refs.vendorId, type: 'Vendor' },
    TxnDate: entry.date,
    DocNumber: docNumberFor(entry.externalRef),
    PrivateNote: note,
    Line: [
      {
        Amount: toMajor(expense.amount, entry.currency),
        DetailType: 'AccountBasedExpenseLineDetail',
        ...(expense.description ? { Description: expense.description.slice(0, 4000) } : {}),
        AccountBasedExpenseLineDetail: {
          AccountRef: { value: refs.expenseAccountId },
          ...(refs.classId ? { ClassRef: { value: refs.classId } } : {}),
        },
      },
    ],
  };
  if (entry.kind === 'refund') purchase.Credit = true;
  if (refs.departmentId) purchase.DepartmentRef = { value: refs.departmentId };
  if (options.multiCurrency) {
    purchase.CurrencyRef = { value: entry.currency };
    if (entry.currency !== options.homeCurrency && entry.exchangeRate !== undefined)
      purchase.ExchangeRate = entry.exchangeRate;
  }
  return purchase;
}

/** QuickBooks rejects colons, tabs and newlines in DisplayName and caps it at 500 characters. */
export function vendorDisplayName(name: string): string {
  const clean = name
    .replace(/[:\t\n\r]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (clean || 'Unknown merchant').slice(0, 500);
}

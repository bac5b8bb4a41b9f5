/** One side of a journal entry, in integer minor units of the entry's currency. */
export interface JournalLine {
  /** GL account as the ERP knows it (name or id; the adapter resolves it). */
  account: string;
  side: 'debit' | 'credit';
  /** Positive integer, minor units. */
  amount: number;
  /** The expense line (mapped account) versus the liability/clearing line. */
  role: 'expense' | 'liability';
  description?: string;
}

/**
 * A balanced journal entry for one settled card transaction. ERP-neutral: adapters turn it into a
 * QuickBooks Purchase, an SAP journal entry, an Oracle journal import line set, ….
 */
export interface JournalEntry {
  /** The platform transaction id — the external reference that proves an entry already exists. */
  externalRef: string;
  /** Posting date, `YYYY-MM-DD` (UTC date of the transaction). */
  date: string;
  kind: 'charge' | 'refund';
  /** Uppercase ISO 4217 of the amounts in `lines`. */
  currency: string;
  /** Rate from `currency` to the ERP's home currency, when known. */
  exchangeRate?: number;
  /** Original (merchant) amount when the merchant charged in another currency. */
  original?: { amount: number; currency: string; rate?: number };
  counterparty: { name: string; mcc?: string; country?: string };
  memo: string;
  /** ERP dimensions after renaming (e.g. `class`, `department`, `cost_center`). */
  dimensions: Record<string, string>;
  lines: JournalLine[];
  source: { card?: string; cardholder?: string; category?: string; mcc?: string };
}

/** Thrown when an entry is not balanced or malformed; says which field is wrong. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
}

/**
 * Checks that debits equal credits, amounts are positive integers and accounts are named.
 *
 * @example
 * assertBalanced(entry); // throws JournalError naming the bad line
 */
export function assertBalanced(entry: JournalEntry): void {
  if (entry.lines.length < 2) {
    throw new JournalError(`entry ${entry.externalRef}: needs at least two lines, got ${entry.lines.length}`);
  }
  let debit = 0;
  let credit = 0;
  entry.lines.forEach((line, i) => {
    if (!Number.isInteger(line.amount) || line.amount <= 0) {
      throw new JournalError(
        `entry ${entry.externalRef}: lines[${i}].amount must be a positive integer in minor units, got ${line.amount}`,
      );
    }
    if (!line.account) {
      throw new JournalError(
        `entry ${entry.externalRef}: lines[${i}].account is empty — map it to a GL account`,
      );
    }
    if (line.side === 'debit') debit += line.amount;
    else credit += line.amount;
  });
  if (debit !== credit) {
    throw new JournalError(
      `entry ${entry.externalRef}: debits (${debit}) do not equal credits (${credit}) — every entry must balance`,
    );
  }
}

/** The expense-side amount of an entry, signed: positive for charges, negative for refunds. */
export function signedExpense(entry: JournalEntry): number {
  const total = entry.lines.filter((l) => l.role === 'expense').reduce((s, l) => s + l.amount, 0);
  return entry.kind === 'refund' ? -total : total;
}

/** The expense account of a single-expense-line entry. */
export function expenseAccount(entry: JournalEntry): string {
  return entry.lines.find((l) => l.role === 'expense')?.account ?? '';
}

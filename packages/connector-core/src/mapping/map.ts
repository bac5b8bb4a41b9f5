import type { JournalEntry } from '../journal.js';
import { assertBalanced } from '../journal.js';
import type { PlatformTransaction } from '../transaction.js';
import type { MappingConfig, MappingRule } from './schema.js';

/** Thrown when a transaction cannot be turned into a journal entry (lands in the dead-letter list). */
export class MappingError extends Error {
  override readonly name = 'MappingError';
}

const WEIGHTS = { card: 6, cardholder: 5, merchant: 4, dimension: 3, mcc: 2, category: 1 } as const;

/** A rule condition given as one value or a list, as a list (callers pass only given conditions). */
function list<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

function matchMcc(pattern: string, mcc: string | undefined): boolean {
  if (!mcc) return false;
  const [lo, hi] = pattern.split('-');
  const n = Number(mcc);
  return hi === undefined ? mcc === lo : n >= Number(lo) && n <= Number(hi);
}

function matchMerchant(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p.endsWith('*')) return n.startsWith(p.slice(0, -1));
  return n === p;
}

function matches(rule: MappingRule, tx: PlatformTransaction): boolean {
  const m = tx.merchant_data ?? {};
  if (rule.category !== undefined && !list(rule.category).includes(m.category ?? '')) return false;
  if (rule.mcc !== undefined && !list(rule.mcc).some((p) => matchMcc(p, m.mcc ?? undefined))) return false;
  if (rule.merchant !== undefined && !list(rule.merchant).some((p) => matchMerchant(p, m.name ?? '')))
    return false;
  if (rule.card !== undefined && !list(rule.card).includes(tx.card ?? '')) return false;
  if (rule.cardholder !== undefined && !list(rule.cardholder).includes(tx.cardholder ?? '')) return false;
  if (rule.dimension !== undefined) {
    for (const [k, v] of Object.entries(rule.dimension)) if (tx.dimensions?.[k] !== v) return false;
  }
  return true;
}

function specificity(rule: MappingRule): number {
  let max = 0;
  let conditions = 0;
  for (const [key, weight] of Object.entries(WEIGHTS)) {
    if (rule[key as keyof typeof WEIGHTS] === undefined) continue;
    max = Math.max(max, weight);
    conditions++;
  }
  return max * 10 + conditions;
}

/**
 * Picks the expense account for a transaction: the most specific matching rule (card > cardholder >
 * merchant > dimension > mcc > category; ties go to the rule written first), else `defaultAccount`.
 *
 * @example
 * resolveAccount(config, tx); // { account: 'Advertising', rule: 2 }
 */
export function resolveAccount(
  config: MappingConfig,
  tx: PlatformTransaction,
): { account: string; rule: number | null } {
  let best: { account: string; rule: number; score: number } | null = null;
  config.rules.forEach((rule, i) => {
    if (!matches(rule, tx)) return;
    const score = specificity(rule);
    if (!best || score > best.score) best = { account: rule.account, rule: i, score };
  });
  const b = best as { account: string; rule: number } | null;
  return b ? { account: b.account, rule: b.rule } : { account: config.defaultAccount, rule: null };
}

function parseRate(v: unknown): number | undefined {
  const n = Number(v); // a string or a number; null and undefined are 0 and NaN, both refused
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Turns a settled platform transaction into one balanced journal entry: debit the mapped expense
 * account and credit the card-liability account (refunds reverse the sides).
 *
 * @example
 * const entry = mapTransaction(config, tx);
 */
export function mapTransaction(config: MappingConfig, tx: PlatformTransaction): JournalEntry {
  if (!tx.id) throw new MappingError('transaction has no id');
  if (!Number.isInteger(tx.amount) || tx.amount <= 0) {
    throw new MappingError(`transaction ${tx.id}: amount must be a positive integer, got ${tx.amount}`);
  }
  if (tx.type !== 'capture' && tx.type !== 'refund') {
    throw new MappingError(`transaction ${tx.id}: unknown type "${tx.type}" (expected capture or refund)`);
  }
  const currency = (tx.currency ?? '').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new MappingError(`transaction ${tx.id}: invalid currency "${tx.currency}"`);
  const created = new Date(tx.created_at);
  if (Number.isNaN(created.getTime())) {
    throw new MappingError(`transaction ${tx.id}: created_at "${tx.created_at}" is not an RFC 3339 time`);
  }
  const { account } = resolveAccount(config, tx);
  const m = tx.merchant_data ?? {};
  const merchant = (m.name ?? '').trim() || 'Unknown merchant';
  const dims: Record<string, string> = {};
  const source = tx.dimensions ?? {};
  if (config.dimensions) {
    for (const [erpName, key] of Object.entries(config.dimensions)) {
      const v = source[key];
      if (v) dims[erpName] = v;
    }
  } else {
    for (const [k, v] of Object.entries(source)) if (v) dims[k] = v;
  }
  const refund = tx.type === 'refund';
  const home = config.homeCurrency?.toUpperCase();
  let exchangeRate: number | undefined;
  if (home && home !== currency)
    exchangeRate = config.exchangeRates?.[currency] ?? config.exchangeRates?.[currency.toLowerCase()];
  const mc = tx.merchant_currency?.toUpperCase();
  const original =
    mc && mc !== currency && typeof tx.merchant_amount === 'number'
      ? { amount: tx.merchant_amount, currency: mc, rate: parseRate(tx.exchange_rate) }
      : undefined;
  const description = `${refund ? 'Refund' : 'Card spend'} at ${merchant}${m.mcc ? ` (MCC ${m.mcc})` : ''}`;
  const entry: JournalEntry = {
    externalRef: tx.id,
    date: created.toISOString().slice(0, 10),
    kind: refund ? 'refund' : 'charge',
    currency,
    ...(exchangeRate !== undefined ? { exchangeRate } : {}),
    ...(original ? { original } : {}),
    counterparty: {
      name: merchant,
      ...(m.mcc ? { mcc: m.mcc } : {}),
      ...(m.country ? { country: m.country } : {}),
    },
    memo: `OpenIssuing ${tx.id}`,
    dimensions: dims,
    lines: [
      { account, side: refund ? 'credit' : 'debit', amount: tx.amount, role: 'expense', description },
      {
        account: config.liabilityAccount,
        side: refund ? 'debit' : 'credit',
        amount: tx.amount,
        role: 'liability',
      },
    ],
    source: {
      ...(tx.card ? { card: tx.card } : {}),
      ...(tx.cardholder ? { cardholder: tx.cardholder } : {}),
      ...(m.category ? { category: m.category } : {}),
      ...(m.mcc ? { mcc: m.mcc } : {}),
    },
  };
  assertBalanced(entry);
  return entry;
}

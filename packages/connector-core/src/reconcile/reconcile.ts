import type { ErpAdapter, ErpPosting } from '../erp.js';
import { expenseAccount, signedExpense } from '../journal.js';
import { mapTransaction } from '../mapping/map.js';
import type { MappingConfig } from '../mapping/schema.js';
import type { TransactionSource } from '../source.js';
import type { ItemRecord, StateStore } from '../state/store.js';
import type { PlatformTransaction } from '../transaction.js';

export type IssueKind =
  | 'missing_in_erp'
  | 'extra_in_erp'
  | 'duplicate_in_erp'
  | 'amount_differs'
  | 'account_differs'
  | 'date_differs'
  | 'unmappable';

export interface ReconciliationIssue {
  externalRef: string;
  kind: IssueKind;
  /** Why it differs, in words a finance person can act on. */
  reason: string;
  platform?: { date: string; account: string; amount: number; currency: string };
  erp?: { date: string; account: string; amount: number; currency: string; erpId: string }[];
}

export interface DayAccountRow {
  date: string;
  account: string;
  currency: string;
  platform: number;
  erp: number;
  difference: number;
}

export interface ReconciliationReport {
  range: { from: string; to: string };
  generatedAt: string;
  erp: string;
  totals: {
    currency: string;
    platform: number;
    erp: number;
    difference: number;
    platformCount: number;
    erpCount: number;
  }[];
  rows: DayAccountRow[];
  issues: ReconciliationIssue[];
  /** True when platform and ERP agree on every day, account and transaction. */
  matched: boolean;
}

function reasonFromState(item: ItemRecord | undefined): string {
  if (!item) return 'never ingested by the sync — run `openissuing-sync run`';
  switch (item.status) {
    case 'dead':
      return `dead-lettered: ${item.errorMessage ?? 'no message'}${item.errorCode ? ` (code ${item.errorCode})` : ''}`;
    case 'pending':
      return `waiting to be posted${item.errorMessage ? `; last error: ${item.errorMessage}` : ''}`;
    case 'in_doubt':
      return `outcome unknown after ${item.attempts} attempt(s); it will be looked up before any re-post${
        item.errorMessage ? `; last error: ${item.errorMessage}` : ''
      }`;
    case 'posted':
      return `the sync recorded it as posted (ERP id ${item.erpId}) but the ERP no longer lists it — deleted or voided there?`;
  }
}

/**
 * Compares the platform and the ERP over a date range, by day and account, and lists every
 * transaction that is missing, extra, duplicated or different — with the reason.
 *
 * @example
 * const report = await reconcile({ source, adapter, store, mapping, from: '2026-11-01', to: '2026-11-30' });
 * console.log(report.matched, report.issues);
 */
export async function reconcile(options: {
  source: TransactionSource;
  adapter: ErpAdapter;
  mapping: MappingConfig;
  store?: StateStore;
  from: string;
  to: string;
  now?: () => Date;
}): Promise<ReconciliationReport> {
  const { from, to } = options;
  const inRange = (d: string) => d >= from && d <= to;

  // platform side: every transaction in range, mapped with the same rules the sync uses
  const platform = new Map<
    string,
    { tx: PlatformTransaction; date: string; account: string; amount: number; currency: string }
  >();
  const unmappable: ReconciliationIssue[] = [];
  let after = null as Awaited<ReturnType<TransactionSource['list']>>['nextCursor'];
  for (;;) {
    const page = await options.source.list({ after, limit: 1000 });
    for (const tx of page.data) {
      const date = new Date(tx.created_at).toISOString().slice(0, 10);
      if (!inRange(date)) continue;
      try {
        const e = mapTransaction(options.mapping, tx);
        platform.set(tx.id, {
          tx,
          date: e.date,
          account: expenseAccount(e),
          amount: signedExpense(e),
          currency: e.currency,
        });
      } catch (err) {
        unmappable.push({ externalRef: tx.id, kind: 'unmappable', reason: (err as Error).message });
      }
    }
    after = page.nextCursor;
    if (!page.hasMore || page.data.length === 0) break;
  }

  const erpPostings = await options.adapter.list({ from, to });
  const erpByRef = new Map<string, ErpPosting[]>();
  for (const p of erpPostings) {
    const list = erpByRef.get(p.externalRef) ?? [];
    list.push(p);
    erpByRef.set(p.externalRef, list);
  }
  const state = new Map<string, ItemRecord>();
  if (options.store) {
    const refs = [...new Set([...platform.keys(), ...erpByRef.keys()])];
    for (const it of await options.store.get(refs)) state.set(it.externalRef, it);
  }

  const issues: ReconciliationIssue[] = [...unmappable];
  const fmt = (p: ErpPosting) => ({
    date: p.date,
    account: p.account,
    amount: p.amount,
    currency: p.currency,
    erpId: p.erpId,
  });
  for (const [ref, p] of platform) {
    const expected = { date: p.date, account: p.account, amount: p.amount, currency: p.currency };
    const found = erpByRef.get(ref);
    if (!found || found.length === 0) {
      issues.push({
        externalRef: ref,
        kind: 'missing_in_erp',
        reason: reasonFromState(state.get(ref)),
        platform: expected,
      });
      continue;
    }
    if (found.length > 1) {
      issues.push({
        externalRef: ref,
        kind: 'duplicate_in_erp',
        reason: `posted ${found.length} times in the ERP (ids ${found.map((f) => f.erpId).join(', ')}); void all but one`,
        platform: expected,
        erp: found.map(fmt),
      });
      continue;
    }
    const e = found[0] as ErpPosting;
    if (e.amount !== p.amount || e.currency !== p.currency) {
      issues.push({
        externalRef: ref,
        kind: 'amount_differs',
        reason: `platform ${p.amount} ${p.currency} vs ERP ${e.amount} ${e.currency} — edited in the ERP after posting?`,
        platform: expected,
        erp: [fmt(e)],
      });
    } else if (e.account !== p.account) {
      issues.push({
        externalRef: ref,
        kind: 'account_differs',
        reason: `mapped to "${p.account}" but booked to "${e.account}" — recategorized in the ERP, or the mapping rules changed since posting`,
        platform: expected,
        erp: [fmt(e)],
      });
    } else if (e.date !== p.date) {
      issues.push({
        externalRef: ref,
        kind: 'date_differs',
        reason: `platform date ${p.date} vs ERP date ${e.date}`,
        platform: expected,
        erp: [fmt(e)],
      });
    }
  }
  for (const [ref, list] of erpByRef) {
    if (platform.has(ref)) continue;
    issues.push({
      externalRef: ref,
      kind: 'extra_in_erp',
      reason: 'in the ERP with an OpenIssuing reference but not on the platform in this date range',
      erp: list.map(fmt),
    });
  }

  // day × account rollup
  const rows = new Map<string, DayAccountRow>();
  const row = (date: string, account: string, currency: string) => {
    const k = `${date}\u0000${account}\u0000${currency}`;
    let r = rows.get(k);
    if (!r) {
      r = { date, account, currency, platform: 0, erp: 0, difference: 0 };
      rows.set(k, r);
    }
    return r;
  };
  for (const p of platform.values()) row(p.date, p.account, p.currency).platform += p.amount;
  for (const p of erpPostings) row(p.date, p.account, p.currency).erp += p.amount;
  const sorted = [...rows.values()]
    .map((r) => ({ ...r, difference: r.erp - r.platform }))
    .sort((a, b) => (a.date + a.account).localeCompare(b.date + b.account));

  const totals = new Map<string, ReconciliationReport['totals'][number]>();
  const tot = (c: string) => {
    let t = totals.get(c);
    if (!t) {
      t = { currency: c, platform: 0, erp: 0, difference: 0, platformCount: 0, erpCount: 0 };
      totals.set(c, t);
    }
    return t;
  };
  for (const p of platform.values()) {
    const t = tot(p.currency);
    t.platform += p.amount;
    t.platformCount++;
  }
  for (const p of erpPostings) {
    const t = tot(p.currency);
    t.erp += p.amount;
    t.erpCount++;
  }
  const totalList = [...totals.values()].map((t) => ({ ...t, difference: t.erp - t.platform }));

  return {
    range: { from, to },
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    erp: options.adapter.name,
    totals: totalList,
    rows: sorted,
    issues,
    matched: issues.length === 0 && sorted.every((r) => r.difference === 0),
  };
}

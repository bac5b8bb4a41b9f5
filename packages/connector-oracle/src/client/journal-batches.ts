import { type ErpPosting, toMinor } from '@openissuing/connector-core';
import { batchNameFor, nameMatches, refFromName } from '../references.js';
import type { FusionClient } from './fusion.js';

/**
 * journalBatches attributes the connector reads. Batch attribute names follow tools generated from the
 * resource's describe metadata (BatchName, UserJeSourceName, JeBatchId); the journal and line names
 * (JournalName, ExternalReference, DefaultEffectiveDate, EnteredDebitAmount, …) could not be checked
 * against Oracle's reference page — they are kept here, in one place.
 */
export interface BatchItem {
  JeBatchId: number;
  BatchName: string;
  BatchDescription?: string | null;
  UserJeSourceName?: string;
  journalHeaders?: HeaderItem[];
}
export interface HeaderItem {
  JeHeaderId: number;
  JournalName?: string;
  ExternalReference?: string | null;
  CurrencyCode?: string;
  DefaultEffectiveDate?: string;
  journalLines?: LineItem[];
}
export interface LineItem {
  JeLineNumber?: number;
  AccountCombination?: string;
  EnteredDebitAmount?: number | null;
  EnteredCreditAmount?: number | null;
  Description?: string | null;
}

interface Page<T> {
  items?: T[];
  hasMore?: boolean;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const PAGE = 500;
const REFS_PER_QUERY = 10;

/** Reads every page of a journalBatches query (`limit`/`offset` until `hasMore` is false). */
async function allBatches(fusion: FusionClient, q: string, signal?: AbortSignal): Promise<BatchItem[]> {
  const out: BatchItem[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await fusion.get<Page<BatchItem>>(
      'journalBatches',
      {
        q,
        expand: 'journalHeaders.journalLines',
        onlyData: 'true',
        limit: String(PAGE),
        offset: String(offset),
      },
      signal,
    );
    const items = page?.items ?? [];
    out.push(...items);
    if (!page?.hasMore || items.length === 0) return out;
  }
}

/** The journal header that proves a batch was booked for `ref`: its journal reference (REFERENCE6) is the id. */
function ourHeader(batch: BatchItem, ref: string): HeaderItem | undefined {
  return batch.journalHeaders?.find((h) => h.ExternalReference === ref);
}

/** Turns one of our batches into the posting the engine and reconciliation compare. */
export function toPosting(
  batch: BatchItem,
  header: HeaderItem,
  ref: string,
  accountName: (naturalAccount: string) => string,
  naturalAccountIndex: number,
): ErpPosting {
  const refund = /\bcard refund\b/.test(batch.BatchDescription ?? '');
  const currency = String(header.CurrencyCode ?? '').toUpperCase();
  const lines = header.journalLines ?? [];
  // the expense line is the debit of a charge and the credit of a refund
  const expense = lines.find((l) =>
    refund ? (l.EnteredCreditAmount ?? 0) > 0 : (l.EnteredDebitAmount ?? 0) > 0,
  );
  const amount = toMinor(
    Number(refund ? expense?.EnteredCreditAmount : expense?.EnteredDebitAmount) || 0,
    currency,
  );
  const code = expense?.AccountCombination?.split('.')[naturalAccountIndex] ?? '';
  return {
    externalRef: ref,
    erpId: String(batch.JeBatchId),
    date: String(header.DefaultEffectiveDate ?? '').slice(0, 10),
    account: accountName(code),
    amount: refund ? -amount : amount,
    currency,
  };
}

export interface ReadOptions {
  accountName: (naturalAccount: string) => string;
  naturalAccountIndex: number;
  journalSource: string;
}

/**
 * Looks references up through journalBatches: batch name `OI-<id>` exactly or as Journal Import derives
 * it (`OI-<id> <source> A <group> <request> N`), confirmed by the journal reference. Oracle does not
 * reject a second batch of the same name, so this lookup is the only duplicate guard; when several
 * batches exist for one reference the oldest (lowest JeBatchId) is returned.
 */
export async function findBatches(
  fusion: FusionClient,
  refs: string[],
  options: ReadOptions,
  signal?: AbortSignal,
): Promise<Map<string, ErpPosting>> {
  const out = new Map<string, ErpPosting>();
  for (let i = 0; i < refs.length; i += REFS_PER_QUERY) {
    const group = refs.slice(i, i + REFS_PER_QUERY);
    const q = group
      .map((r) => `BatchName = ${quote(batchNameFor(r))} or BatchName LIKE ${quote(`${batchNameFor(r)} %`)}`)
      .join(' or ');
    const batches = (await allBatches(fusion, q, signal)).sort((a, b) => a.JeBatchId - b.JeBatchId);
    for (const ref of group) {
      for (const b of batches) {
        if (!nameMatches(b.BatchName, ref)) continue;
        const h = ourHeader(b, ref);
        if (h) {
          out.set(ref, toPosting(b, h, ref, options.accountName, options.naturalAccountIndex));
          break;
        }
      }
    }
  }
  return out;
}

/**
 * Every journal this connector imported (its source, `OI-` batches) with an accounting date in
 * [from, to] — duplicates included, so reconciliation reports a journal Oracle holds twice.
 */
export async function listBatches(
  fusion: FusionClient,
  range: { from: string; to: string },
  options: ReadOptions,
  signal?: AbortSignal,
): Promise<ErpPosting[]> {
  const batches = await allBatches(
    fusion,
    `BatchName LIKE 'OI-%' and UserJeSourceName = ${quote(options.journalSource)}`,
    signal,
  );
  const out: ErpPosting[] = [];
  for (const b of batches.sort((x, y) => x.JeBatchId - y.JeBatchId)) {
    const ref = refFromName(b.BatchName);
    if (!ref) continue;
    const h = ourHeader(b, ref);
    if (!h) continue;
    const date = String(h.DefaultEffectiveDate ?? '').slice(0, 10);
    if (date < range.from || date > range.to) continue;
    out.push(toPosting(b, h, ref, options.accountName, options.naturalAccountIndex));
  }
  return out;
}

import { type ErpAdapter, isPosting, type RenderedRequest } from '../erp.js';
import type { JournalEntry } from '../journal.js';
import { mapTransaction } from '../mapping/map.js';
import type { MappingConfig } from '../mapping/schema.js';
import type { TransactionSource } from '../source.js';
import type { StateStore } from '../state/store.js';

/** What `openissuing-sync run --dry-run` would send, in posting order. */
export interface SyncPreview {
  /** Every request, numbered in posting order (`0001-batch.json`, …). */
  requests: Array<RenderedRequest & { fileName: string }>;
  /** Entries that would be posted. */
  entries: number;
  /** Transactions that would be dead-lettered because they cannot be mapped, with the reason. */
  unmappable: Array<{ externalRef: string; message: string }>;
  /** In-doubt entries the ERP already has (they would be recorded as posted, not sent). */
  alreadyInErp: number;
}

/**
 * Maps and renders everything a run would post — waiting entries from the state store, then every
 * transaction after the cursor — without posting, without writing the state store and without moving
 * the cursor. In-doubt entries are looked up (a read) and left out when the ERP has them.
 */
export async function previewSync(options: {
  adapter: ErpAdapter;
  store: StateStore;
  mapping: MappingConfig;
  source?: TransactionSource;
  pageSize?: number;
  signal?: AbortSignal;
}): Promise<SyncPreview> {
  const { adapter, store, signal } = options;
  if (!adapter.render) {
    throw new Error(
      `the ${adapter.name} connector cannot render requests without sending them (no render method)`,
    );
  }
  const entries: JournalEntry[] = [];
  const unmappable: SyncPreview['unmappable'] = [];
  const seen = new Set<string>();
  // everything waiting, whatever its backoff: a run now or later would post it
  const waiting = await store.claimable(Number.MAX_SAFE_INTEGER, 1_000_000_000, new Set());
  const doubt = waiting.filter((i) => i.status === 'in_doubt').map((i) => i.externalRef);
  const found = doubt.length > 0 ? await adapter.find(doubt, signal) : new Map();
  let alreadyInErp = 0;
  for (const item of waiting) {
    seen.add(item.externalRef);
    if (isPosting(found.get(item.externalRef))) alreadyInErp++;
    else if (item.entry) entries.push(item.entry);
  }
  if (options.source) {
    let cursor = await store.getCursor();
    for (;;) {
      signal?.throwIfAborted();
      const page = await options.source.list({
        after: cursor,
        limit: options.pageSize ?? 500,
        ...(signal ? { signal } : {}),
      });
      const known = new Set((await store.get(page.data.map((t) => t.id))).map((i) => i.externalRef));
      for (const tx of page.data) {
        if (known.has(tx.id) || seen.has(tx.id)) continue;
        seen.add(tx.id);
        try {
          entries.push(mapTransaction(options.mapping, tx));
        } catch (err) {
          unmappable.push({ externalRef: tx.id, message: (err as Error).message });
        }
      }
      cursor = page.nextCursor;
      if (!page.hasMore || page.data.length === 0) break;
    }
  }
  const requests: SyncPreview['requests'] = [];
  const size = Math.max(1, adapter.limits.maxBatchSize);
  for (let i = 0; i < entries.length; i += size) {
    for (const r of await adapter.render(entries.slice(i, i + size), signal)) {
      requests.push({ ...r, fileName: `${String(requests.length + 1).padStart(4, '0')}-${r.name}` });
    }
  }
  return { requests, entries: entries.length, unmappable, alreadyInErp };
}

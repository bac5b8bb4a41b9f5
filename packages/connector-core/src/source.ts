import type { PlatformTransaction, SyncCursor } from './transaction.js';
import { compareTransactions, isAfterCursor } from './transaction.js';

/** A page of transactions, oldest first, all strictly after the cursor asked for. */
export interface TransactionPage {
  data: PlatformTransaction[];
  /** Cursor of the last transaction in `data` (or the one passed in when `data` is empty). */
  nextCursor: SyncCursor | null;
  hasMore: boolean;
}

/**
 * Where settled transactions come from. The engine pulls pages after its stored cursor; webhook
 * consumers push transactions through `SyncEngine.ingest` instead.
 */
export interface TransactionSource {
  list(params: { after: SyncCursor | null; limit: number; signal?: AbortSignal }): Promise<TransactionPage>;
}

/**
 * An in-memory source — for tests, benchmarks and replaying exported transactions.
 *
 * @example
 * const source = new ArraySource(transactions);
 * source.push(anotherTransaction);
 */
export class ArraySource implements TransactionSource {
  private items: PlatformTransaction[];
  constructor(items: PlatformTransaction[] = []) {
    this.items = [...items].sort(compareTransactions);
  }
  push(...txs: PlatformTransaction[]): void {
    this.items.push(...txs);
    this.items.sort(compareTransactions);
  }
  get size(): number {
    return this.items.length;
  }
  async list(params: { after: SyncCursor | null; limit: number }): Promise<TransactionPage> {
    let start = 0;
    if (params.after) {
      // binary search for the first item after the cursor
      let lo = 0;
      let hi = this.items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (isAfterCursor(this.items[mid] as PlatformTransaction, params.after)) hi = mid;
        else lo = mid + 1;
      }
      start = lo;
    }
    const data = this.items.slice(start, start + params.limit);
    const last = data[data.length - 1];
    return {
      data,
      nextCursor: last ? { createdAt: last.created_at, id: last.id } : params.after,
      hasMore: start + data.length < this.items.length,
    };
  }
}

/** The slice of `@openissuing/sdk`'s client the SDK source uses. */
export interface TransactionListClient {
  transactions: {
    list(params: {
      limit?: number;
      cursor?: string;
      created_gte?: string;
      order?: 'asc' | 'desc';
    }): PromiseLike<{
      data: PlatformTransaction[];
      hasMore?: boolean;
      has_more?: boolean;
      nextCursor?: string | null;
      next_cursor?: string | null;
    }>;
  };
}

function sameCursor(a: SyncCursor | null, b: SyncCursor | null): boolean {
  return !!a && !!b && a.id === b.id && Date.parse(a.createdAt) === Date.parse(b.createdAt);
}

/**
 * Pulls transactions from the OpenIssuing API through `@openissuing/sdk`, paging forward
 * (`order: 'asc'`) from the sync cursor: each `list` call fetches one API page (at most
 * `pageSize`, ≤ 100), so memory holds one page however much history there is. The first page
 * starts at `created_gte` = the cursor's time (items at that time up to the cursor's id are
 * skipped); the following pages continue with the API's `next_cursor` as long as the engine
 * asks from where the previous page ended.
 *
 * @example
 * import { OpenIssuing } from '@openissuing/sdk';
 * const source = new SdkTransactionSource(new OpenIssuing({ apiKey, baseUrl }));
 */
export class SdkTransactionSource implements TransactionSource {
  /** Where the last returned page ended, and the API cursor that continues from there. */
  private resume: { after: SyncCursor; cursor: string } | null = null;

  constructor(
    private readonly client: TransactionListClient,
    private readonly options: { pageSize?: number } = {},
  ) {}

  async list(params: {
    after: SyncCursor | null;
    limit: number;
    signal?: AbortSignal;
  }): Promise<TransactionPage> {
    const { after, signal } = params;
    const limit = Math.max(1, Math.min(params.limit, this.options.pageSize ?? 100, 100));
    let cursor = this.resume && sameCursor(this.resume.after, after) ? this.resume.cursor : undefined;
    this.resume = null;
    for (;;) {
      signal?.throwIfAborted();
      const query: { limit: number; order: 'asc'; cursor?: string; created_gte?: string } = {
        limit,
        order: 'asc',
      };
      if (after) query.created_gte = after.createdAt;
      if (cursor) query.cursor = cursor;
      const page = await this.client.transactions.list(query);
      // Only the first page from created_gte can hold items at or before the cursor (same time).
      const data = page.data.filter((tx) => isAfterCursor(tx, after));
      const next = page.nextCursor ?? page.next_cursor ?? null;
      const hasMore = (page.hasMore ?? page.has_more ?? false) && !!next;
      if (data.length === 0 && hasMore) {
        cursor = next as string;
        continue;
      }
      const last = data[data.length - 1];
      const nextCursor = last ? { createdAt: last.created_at, id: last.id } : after;
      if (hasMore && nextCursor) this.resume = { after: nextCursor, cursor: next as string };
      return { data, nextCursor, hasMore };
    }
  }
}

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
    list(params: { limit?: number; cursor?: string; created_gte?: string }): PromiseLike<{
      data: PlatformTransaction[];
      hasMore?: boolean;
      has_more?: boolean;
      nextCursor?: string | null;
      next_cursor?: string | null;
    }>;
  };
}

/**
 * Pulls transactions from the OpenIssuing API through `@openissuing/sdk`. The API lists newest
 * first, so each pull walks the pages created at or after the cursor and returns them oldest first.
 *
 * @example
 * import { OpenIssuing } from '@openissuing/sdk';
 * const source = new SdkTransactionSource(new OpenIssuing({ apiKey, baseUrl }));
 */
export class SdkTransactionSource implements TransactionSource {
  private buffer: PlatformTransaction[] = [];
  private bufferAfter: SyncCursor | null | undefined;

  constructor(
    private readonly client: TransactionListClient,
    private readonly options: { pageSize?: number } = {},
  ) {}

  private async fetchAfter(after: SyncCursor | null, signal?: AbortSignal): Promise<PlatformTransaction[]> {
    const out: PlatformTransaction[] = [];
    let cursor: string | undefined;
    const limit = this.options.pageSize ?? 100;
    for (;;) {
      signal?.throwIfAborted();
      const params: { limit: number; cursor?: string; created_gte?: string } = { limit };
      if (cursor) params.cursor = cursor;
      if (after) params.created_gte = after.createdAt;
      const page = await this.client.transactions.list(params);
      let reachedCursor = false;
      for (const tx of page.data) {
        if (isAfterCursor(tx, after)) out.push(tx);
        else reachedCursor = true;
      }
      const next = page.nextCursor ?? page.next_cursor ?? null;
      const more = page.hasMore ?? page.has_more ?? false;
      if (!more || !next || reachedCursor) break;
      cursor = next;
    }
    return out.sort(compareTransactions);
  }

  async list(params: {
    after: SyncCursor | null;
    limit: number;
    signal?: AbortSignal;
  }): Promise<TransactionPage> {
    const same =
      this.bufferAfter !== undefined &&
      JSON.stringify(this.bufferAfter) === JSON.stringify(params.after) &&
      this.buffer.length > 0;
    if (!same) {
      this.buffer = await this.fetchAfter(params.after, params.signal);
    }
    const data = this.buffer.slice(0, params.limit);
    this.buffer = this.buffer.slice(data.length);
    const last = data[data.length - 1];
    const nextCursor = last ? { createdAt: last.created_at, id: last.id } : params.after;
    this.bufferAfter = nextCursor;
    return { data, nextCursor, hasMore: this.buffer.length > 0 };
  }
}

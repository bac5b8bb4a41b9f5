import { type APIPromise, apiPromise, type WithResponse } from './api-promise';

/** The list envelope every list endpoint returns. */
export interface ListEnvelope<Item> {
  object?: 'list';
  data: Item[];
  has_more: boolean;
  next_cursor?: string | null;
}

type FetchPage<Item> = (cursor?: string) => Promise<WithResponse<ListEnvelope<Item>>>;

/**
 * One page of a list. Iterate it with `for await` to walk every item of this and every following
 * page, or step manually with `hasNextPage()` / `getNextPage()`.
 *
 * @example
 * const page = await client.cards.list({ limit: 10 });
 * console.log(page.data.length, page.hasMore);
 * if (page.hasNextPage()) await page.getNextPage();
 */
export class Page<Item> implements AsyncIterable<Item> {
  readonly data: Item[];
  readonly hasMore: boolean;
  readonly nextCursor: string | null;
  /** The raw HTTP response of this page. */
  readonly response: Response;
  readonly #fetch: FetchPage<Item>;

  constructor({ data, response }: WithResponse<ListEnvelope<Item>>, fetchPage: FetchPage<Item>) {
    this.data = data.data;
    this.hasMore = data.has_more;
    this.nextCursor = data.next_cursor ?? null;
    this.response = response;
    this.#fetch = fetchPage;
  }

  /** True when the API reported more items after this page. */
  hasNextPage(): boolean {
    return this.hasMore && !!this.nextCursor;
  }

  /** Fetches the next page. Check `hasNextPage()` first: without a cursor this throws. */
  async getNextPage(): Promise<Page<Item>> {
    if (!this.hasNextPage()) throw new Error('No next page.');
    return new Page(await this.#fetch(this.nextCursor as string), this.#fetch);
  }

  /** Yields every item of this page and of each following one. */
  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    let page: Page<Item> = this;
    for (;;) {
      yield* page.data;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }
}

/**
 * What list methods return: await it for the first {@link Page}, or `for await` over it to
 * auto-paginate through every item.
 *
 * @example
 * for await (const card of client.cards.list({ status: 'active' })) {
 *   console.log(card.id);
 * }
 */
export type PagePromise<Item> = APIPromise<Page<Item>> & AsyncIterable<Item>;

/** Starts fetching the first page and wraps it for awaiting or auto-pagination. */
export function pagePromise<Item>(fetchPage: FetchPage<Item>): PagePromise<Item> {
  const promise = apiPromise(
    fetchPage().then((first) => ({ ...first, data: new Page(first, fetchPage) })),
  ) as PagePromise<Item>;
  promise[Symbol.asyncIterator] = async function* () {
    yield* await promise;
  };
  return promise;
}

import { APIPromise, type WithResponse } from './api-promise';

/** The list envelope every list endpoint returns. */
export interface ListEnvelope<Item> {
  object?: 'list';
  data: Item[];
  has_more: boolean;
  next_cursor: string | null;
}

type FetchPage<Item> = (cursor: string | undefined) => Promise<WithResponse<ListEnvelope<Item>>>;

/**
 * One page of a list. Iterate it with `for await` to walk every item of every following page,
 * or step manually with `hasNextPage()` / `getNextPage()`.
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
  readonly #fetchPage: FetchPage<Item>;

  constructor(envelope: ListEnvelope<Item>, response: Response, fetchPage: FetchPage<Item>) {
    this.data = envelope.data;
    this.hasMore = envelope.has_more;
    this.nextCursor = envelope.next_cursor;
    this.response = response;
    this.#fetchPage = fetchPage;
  }

  /** True when the API reported more items after this page. */
  hasNextPage(): boolean {
    return this.hasMore && this.nextCursor !== null && this.nextCursor !== '';
  }

  /** Fetches the next page. Throws when there is none; check `hasNextPage()` first. */
  async getNextPage(): Promise<Page<Item>> {
    if (!this.hasNextPage() || this.nextCursor === null) {
      throw new Error('No next page; check hasNextPage() first.');
    }
    const { data, response } = await this.#fetchPage(this.nextCursor);
    return new Page(data, response, this.#fetchPage);
  }

  /** Yields this page and each following one. */
  async *iterPages(): AsyncGenerator<Page<Item>> {
    let page: Page<Item> = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    for await (const page of this.iterPages()) yield* page.data;
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
export class PagePromise<Item> extends APIPromise<Page<Item>> implements AsyncIterable<Item> {
  constructor(fetchPage: FetchPage<Item>) {
    super(
      fetchPage(undefined).then(({ data, response, requestId }) => ({
        data: new Page(data, response, fetchPage),
        response,
        requestId,
      })),
    );
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    const page = await this;
    yield* page;
  }
}

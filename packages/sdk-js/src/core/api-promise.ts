/** What `.withResponse()` resolves to. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  /** The `Request-Id` header, for logs and support. */
  requestId: string | null;
}

/**
 * The promise every method returns: await it for the parsed body, or call `.withResponse()` for the
 * raw `Response` (headers, status) and the request id as well.
 *
 * @example
 * const { data: card, requestId } = await client.cards.retrieve('ic_123').withResponse();
 */
export class APIPromise<T> implements PromiseLike<T> {
  readonly #inner: Promise<WithResponse<T>>;

  constructor(inner: Promise<WithResponse<T>>) {
    this.#inner = inner;
  }

  /** Resolves to the parsed body together with the `Response` and its request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#inner;
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a thenable by design.
  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#inner.then((r) => r.data).then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#inner.then((r) => r.data).finally(onfinally);
  }
}

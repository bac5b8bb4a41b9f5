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
export type APIPromise<T> = Promise<T> & {
  /** Resolves to the parsed body together with the `Response` and its request id. */
  withResponse(): Promise<WithResponse<T>>;
};

/** Wraps a transport promise as an {@link APIPromise}. */
export function apiPromise<T>(inner: Promise<WithResponse<T>>): APIPromise<T> {
  const promise = inner.then((r) => r.data) as APIPromise<T>;
  // Whoever only awaits withResponse() must not get an unhandled rejection from this branch.
  promise.catch(() => {});
  promise.withResponse = () => inner;
  return promise;
}

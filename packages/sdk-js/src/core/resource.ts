import type { APIPromise } from './api-promise';
import type { APIClient } from './client';
import type { PagePromise } from './pagination';
import type { RequestOptions } from './request-options';

/** Base of every resource: holds the client whose transport it uses, with one-line verbs. */
export class APIResource {
  protected readonly _client: APIClient;

  constructor(client: APIClient) {
    this._client = client;
  }

  protected _get<T>(path: string, options?: RequestOptions): APIPromise<T> {
    return this._client.request({ method: 'GET', path, options });
  }

  /** POST, PATCH or DELETE with an optional JSON body. */
  protected _send<T>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): APIPromise<T> {
    return this._client.request({ method, path, body, options });
  }

  protected _list<T>(path: string, query?: object, options?: RequestOptions): PagePromise<T> {
    return this._client.requestList({ method: 'GET', path, query, options });
  }
}

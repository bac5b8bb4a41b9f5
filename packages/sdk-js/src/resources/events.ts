import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import { path } from '../internal/path';
import type { Event } from '../types';
import type { ListParams } from './params';

export interface EventListParams extends ListParams {
  type?: string;
}

/** Everything that happened, newest first; the same objects webhooks deliver. */
export class Events extends APIResource {
  /** @example await client.events.retrieve('evt_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Event> {
    return this._get(path`/events/${id}`, options);
  }

  /** @example for await (const event of client.events.list({ type: 'authorization.created' })) handle(event) */
  list(query?: EventListParams, options?: RequestOptions): PagePromise<Event> {
    return this._list('/events', query, options);
  }
}

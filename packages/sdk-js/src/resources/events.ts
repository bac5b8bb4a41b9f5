import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { WebhookEvent } from '../types';
import type { Query, RequestOptions } from './params';

/** Filters and paging of `listEvents`. */
export type EventListParams = Query<'listEvents'>;

/** Everything that happened, newest first: the same objects webhooks deliver. */
export interface Events {
  /** @example await client.events.retrieve('evt_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<WebhookEvent>;
  /** @example for await (const event of client.events.list({ type: 'authorization.created' })) handle(event) */
  list(query?: EventListParams, options?: RequestOptions): PagePromise<WebhookEvent>;
}

export const eventRoutes: Record<keyof Events, Route> = {
  retrieve: 'Gevents/{}',
  list: 'Levents',
};

import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { WebhookEvent } from '../types';
import type { ListParams, RequestOptions } from './params';

export interface EventListParams extends ListParams {
  type?: WebhookEvent['type'];
}

/** Everything that happened, newest first: the same objects webhooks deliver. */
export interface Events {
  /** @example await client.events.retrieve('evt_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<WebhookEvent>;
  /** @example for await (const event of client.events.list({ type: 'authorization.created' })) handle(event) */
  list(query?: EventListParams, options?: RequestOptions): PagePromise<WebhookEvent>;
}

export const eventRoutes: Record<keyof Events, Route> = {
  retrieve: 'G /events/{}',
  list: 'L /events',
};

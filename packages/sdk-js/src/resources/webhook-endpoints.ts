import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type {
  DeletedWebhookEndpoint,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreateParams,
  WebhookEndpointRotateSecretParams,
  WebhookEndpointUpdateParams,
} from '../types';
import type { Query, RequestOptions } from './params';

/** Where events are delivered. The `secret` is returned once: on create and on rotation. */
export interface WebhookEndpoints {
  /** @example await client.webhookEndpoints.create({ url: 'https://example.com/hooks', enabled_events: ['*'] }) */
  create(body: WebhookEndpointCreateParams, options?: RequestOptions): APIPromise<WebhookEndpoint>;
  /** @example await client.webhookEndpoints.retrieve('we_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<WebhookEndpoint>;
  /** @example await client.webhookEndpoints.update('we_123', { enabled_events: ['transaction.created'] }) */
  update(
    id: string,
    body: WebhookEndpointUpdateParams,
    options?: RequestOptions,
  ): APIPromise<WebhookEndpoint>;
  /** @example for await (const endpoint of client.webhookEndpoints.list()) console.log(endpoint.url) */
  list(query?: Query<'listWebhookEndpoints'>, options?: RequestOptions): PagePromise<WebhookEndpoint>;
  /** @example await client.webhookEndpoints.delete('we_123') */
  delete(id: string, options?: RequestOptions): APIPromise<DeletedWebhookEndpoint>;
  /**
   * Issues a new secret. The old one stays valid for the overlap window, during which deliveries
   * carry both signatures.
   *
   * @example const { secret } = await client.webhookEndpoints.rotateSecret('we_123')
   */
  rotateSecret(
    id: string,
    body?: WebhookEndpointRotateSecretParams,
    options?: RequestOptions,
  ): APIPromise<WebhookEndpoint>;
  /** Every delivery attempt. @example for await (const d of client.webhookEndpoints.listDeliveries('we_123')) console.log(d.status) */
  listDeliveries(
    id: string,
    query?: Query<'listWebhookDeliveries'>,
    options?: RequestOptions,
  ): PagePromise<WebhookDelivery>;
}

export const webhookEndpointRoutes: Record<keyof WebhookEndpoints, Route> = {
  create: 'Pwebhook_endpoints',
  retrieve: 'Gwebhook_endpoints/{}',
  update: 'Awebhook_endpoints/{}',
  list: 'Lwebhook_endpoints',
  delete: 'Dwebhook_endpoints/{}',
  rotateSecret: 'Pwebhook_endpoints/{}/rotate_secret',
  listDeliveries: 'Lwebhook_endpoints/{}/deliveries',
};

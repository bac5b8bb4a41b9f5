import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import { path } from '../internal/path';
import type { AnyObject } from '../types';
import type { Body, ListParams } from './params';

/** Where events are delivered; the `secret` is returned once, on create and on rotation. */
export class WebhookEndpoints extends APIResource {
  /** @example await client.webhookEndpoints.create({ url: 'https://example.com/hooks', enabled_events: ['*'] }) */
  create(body: Body, options?: RequestOptions): APIPromise<AnyObject> {
    return this._send('POST', '/webhook_endpoints', body, options);
  }

  /** @example await client.webhookEndpoints.retrieve('we_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<AnyObject> {
    return this._get(path`/webhook_endpoints/${id}`, options);
  }

  /** @example await client.webhookEndpoints.update('we_123', { enabled_events: ['transaction.created'] }) */
  update(id: string, body: Body, options?: RequestOptions): APIPromise<AnyObject> {
    return this._send('PATCH', path`/webhook_endpoints/${id}`, body, options);
  }

  /** @example for await (const endpoint of client.webhookEndpoints.list()) console.log(endpoint.url) */
  list(query?: ListParams, options?: RequestOptions): PagePromise<AnyObject> {
    return this._list('/webhook_endpoints', query, options);
  }

  /** @example await client.webhookEndpoints.delete('we_123') */
  delete(id: string, options?: RequestOptions): APIPromise<AnyObject> {
    return this._send('DELETE', path`/webhook_endpoints/${id}`, undefined, options);
  }

  /**
   * Issues a new secret; the old one stays valid for the overlap window and deliveries carry both
   * signatures meanwhile.
   *
   * @example const { secret } = await client.webhookEndpoints.rotateSecret('we_123')
   */
  rotateSecret(id: string, body?: Body, options?: RequestOptions): APIPromise<AnyObject> {
    return this._send('POST', path`/webhook_endpoints/${id}/rotate_secret`, body, options);
  }

  /** Every delivery attempt to this endpoint. @example for await (const d of client.webhookEndpoints.listDeliveries('we_123')) console.log(d) */
  listDeliveries(id: string, query?: ListParams, options?: RequestOptions): PagePromise<AnyObject> {
    return this._list(path`/webhook_endpoints/${id}/deliveries`, query, options);
  }
}

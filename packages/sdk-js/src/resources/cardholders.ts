import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import { path } from '../internal/path';
import type { Cardholder } from '../types';
import type { Body, ListParams } from './params';

export interface CardholderListParams extends ListParams {
  status?: Cardholder['status'];
}

/** People and companies that hold cards. */
export class Cardholders extends APIResource {
  /** @example await client.cardholders.create({ type: 'individual', name: 'Ada Lovelace', email: 'ada@example.com' }) */
  create(body: Body, options?: RequestOptions): APIPromise<Cardholder> {
    return this._send('POST', '/cardholders', body, options);
  }

  /** @example await client.cardholders.retrieve('ich_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Cardholder> {
    return this._get(path`/cardholders/${id}`, options);
  }

  /** @example await client.cardholders.update('ich_123', { dimensions: { department: 'marketing' } }) */
  update(id: string, body: Body, options?: RequestOptions): APIPromise<Cardholder> {
    return this._send('PATCH', path`/cardholders/${id}`, body, options);
  }

  /** @example for await (const cardholder of client.cardholders.list()) console.log(cardholder.name) */
  list(query?: CardholderListParams, options?: RequestOptions): PagePromise<Cardholder> {
    return this._list('/cardholders', query, options);
  }
}

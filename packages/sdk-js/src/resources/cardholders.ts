import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { Cardholder, CardholderCreateParams, CardholderUpdateParams } from '../types';
import type { Query, RequestOptions } from './params';

/** Filters and paging of `listCardholders`. */
export type CardholderListParams = Query<'listCardholders'>;

/** People and companies that hold cards. */
export interface Cardholders {
  /** @example await client.cardholders.create({ type: 'individual', name: 'Ada Lovelace', email: 'ada@example.com' }) */
  create(body: CardholderCreateParams, options?: RequestOptions): APIPromise<Cardholder>;
  /** @example await client.cardholders.retrieve('ich_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Cardholder>;
  /** @example await client.cardholders.update('ich_123', { dimensions: { department: 'marketing' } }) */
  update(id: string, body: CardholderUpdateParams, options?: RequestOptions): APIPromise<Cardholder>;
  /** @example for await (const cardholder of client.cardholders.list()) console.log(cardholder.name) */
  list(query?: CardholderListParams, options?: RequestOptions): PagePromise<Cardholder>;
}

export const cardholderRoutes: Record<keyof Cardholders, Route> = {
  create: 'Pcardholders',
  retrieve: 'Gcardholders/{}',
  update: 'Acardholders/{}',
  list: 'Lcardholders',
};

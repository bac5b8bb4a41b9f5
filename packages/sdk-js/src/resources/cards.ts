import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { Card, CardCancelParams, CardCreateParams, CardDetails, CardUpdateParams } from '../types';
import type { Query, RequestOptions } from './params';

/** Filters and paging of `listCards`. */
export type CardListParams = Query<'listCards'>;

/** Virtual and physical cards. */
export interface Cards {
  /** @example await client.cards.create({ cardholder: 'ich_123', type: 'virtual', currency: 'usd' }) */
  create(body: CardCreateParams, options?: RequestOptions): APIPromise<Card>;
  /** @example await client.cards.retrieve('ic_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Card>;
  /** @example await client.cards.update('ic_123', { spending_controls: spendingControls().limit(50_000, 'monthly').build() }) */
  update(id: string, body: CardUpdateParams, options?: RequestOptions): APIPromise<Card>;
  /** @example for await (const card of client.cards.list({ cardholder: 'ich_123' })) console.log(card.last4) */
  list(query?: CardListParams, options?: RequestOptions): PagePromise<Card>;
  /** Blocks new authorizations until unfrozen. @example await client.cards.freeze('ic_123') */
  freeze(id: string, options?: RequestOptions): APIPromise<Card>;
  /** @example await client.cards.unfreeze('ic_123') */
  unfreeze(id: string, options?: RequestOptions): APIPromise<Card>;
  /** Cancels the card for good. @example await client.cards.cancel('ic_123', { reason: 'lost' }) */
  cancel(id: string, body?: CardCancelParams, options?: RequestOptions): APIPromise<Card>;
  /**
   * Number, expiry and CVC. Only an ephemeral key created for this card may call it: in a browser,
   * construct the client with `apiKey: ephemeralKey.secret`.
   *
   * @example await browserClient.cards.details('ic_123')
   */
  details(id: string, options?: RequestOptions): APIPromise<CardDetails>;
}

export const cardRoutes: Record<keyof Cards, Route> = {
  create: 'Pcards',
  retrieve: 'Gcards/{}',
  update: 'Acards/{}',
  list: 'Lcards',
  freeze: 'pcards/{}/freeze',
  unfreeze: 'pcards/{}/unfreeze',
  cancel: 'Pcards/{}/cancel',
  details: 'Gcards/{}/details',
};

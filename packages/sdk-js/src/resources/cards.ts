import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import { path } from '../internal/path';
import type { Card } from '../types';
import type { Body, ListParams } from './params';

export interface CardListParams extends ListParams {
  cardholder?: string;
  status?: Card['status'];
}

/** The sensitive details of a card, returned only to an ephemeral key scoped to it. */
export interface CardDetails {
  number: string;
  cvc: string;
  exp_month: number;
  exp_year: number;
  [key: string]: unknown;
}

/** Virtual and physical cards. */
export class Cards extends APIResource {
  /** @example await client.cards.create({ cardholder: 'ich_123', type: 'virtual', currency: 'usd' }) */
  create(body: Body, options?: RequestOptions): APIPromise<Card> {
    return this._send('POST', '/cards', body, options);
  }

  /** @example await client.cards.retrieve('ic_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Card> {
    return this._get(path`/cards/${id}`, options);
  }

  /** @example await client.cards.update('ic_123', { spending_controls: spendingControls().limit(50_000, 'monthly').build() }) */
  update(id: string, body: Body, options?: RequestOptions): APIPromise<Card> {
    return this._send('PATCH', path`/cards/${id}`, body, options);
  }

  /** @example for await (const card of client.cards.list({ cardholder: 'ich_123' })) console.log(card.last4) */
  list(query?: CardListParams, options?: RequestOptions): PagePromise<Card> {
    return this._list('/cards', query, options);
  }

  /** Blocks new authorizations until unfrozen. @example await client.cards.freeze('ic_123') */
  freeze(id: string, options?: RequestOptions): APIPromise<Card> {
    return this._send('POST', path`/cards/${id}/freeze`, undefined, options);
  }

  /** @example await client.cards.unfreeze('ic_123') */
  unfreeze(id: string, options?: RequestOptions): APIPromise<Card> {
    return this._send('POST', path`/cards/${id}/unfreeze`, undefined, options);
  }

  /** Cancels the card for good. @example await client.cards.cancel('ic_123') */
  cancel(id: string, options?: RequestOptions): APIPromise<Card> {
    return this._send('POST', path`/cards/${id}/cancel`, undefined, options);
  }

  /**
   * PAN and CVC. Only an ephemeral key created for this card may call it (pass it as the client's
   * `apiKey` in the browser, or per request).
   *
   * @example await browserClient.cards.details('ic_123')
   */
  details(id: string, options?: RequestOptions): APIPromise<CardDetails> {
    return this._get(path`/cards/${id}/details`, options);
  }
}

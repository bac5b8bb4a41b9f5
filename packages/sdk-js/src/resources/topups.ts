import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { Topup, TopupCreateParams } from '../types';
import type { Query, RequestOptions } from './params';

/** Money moved into the program's funding balance. */
export interface Topups {
  /** @example await client.topups.create({ amount: 1_000_000, currency: 'usd' }) */
  create(body: TopupCreateParams, options?: RequestOptions): APIPromise<Topup>;
  /** @example await client.topups.retrieve('tu_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Topup>;
  /** @example for await (const topup of client.topups.list()) console.log(topup.amount) */
  list(query?: Query<'listTopups'>, options?: RequestOptions): PagePromise<Topup>;
}

export const topupRoutes: Record<keyof Topups, Route> = {
  create: 'Ptopups',
  retrieve: 'Gtopups/{}',
  list: 'Ltopups',
};

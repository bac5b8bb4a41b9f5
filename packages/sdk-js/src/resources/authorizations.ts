import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { Authorization } from '../types';
import type { Query, RequestOptions } from './params';

/** Filters and paging of `listAuthorizations`. */
export type AuthorizationListParams = Query<'listAuthorizations'>;

/** Authorization attempts, approved or declined, with the decision and the control that fired. */
export interface Authorizations {
  /** @example await client.authorizations.retrieve('iauth_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Authorization>;
  /** @example for await (const a of client.authorizations.list({ card: 'ic_123' })) console.log(a.decision.reason) */
  list(query?: AuthorizationListParams, options?: RequestOptions): PagePromise<Authorization>;
}

export const authorizationRoutes: Record<keyof Authorizations, Route> = {
  retrieve: 'Gauthorizations/{}',
  list: 'Lauthorizations',
};

import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { Route } from '../internal/bind';
import type { Authorization } from '../types';
import type { ListParams, RequestOptions } from './params';

export interface AuthorizationListParams extends ListParams {
  card?: string;
  cardholder?: string;
  status?: Authorization['status'];
}

/** Authorization attempts, approved or declined, with the decision and the control that fired. */
export interface Authorizations {
  /** @example await client.authorizations.retrieve('iauth_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Authorization>;
  /** @example for await (const a of client.authorizations.list({ card: 'ic_123' })) console.log(a.decision.reason) */
  list(query?: AuthorizationListParams, options?: RequestOptions): PagePromise<Authorization>;
}

export const authorizationRoutes: Record<keyof Authorizations, Route> = {
  retrieve: 'G /authorizations/{}',
  list: 'L /authorizations',
};

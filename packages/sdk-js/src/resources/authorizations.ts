import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import { path } from '../internal/path';
import type { Authorization } from '../types';
import type { ListParams } from './params';

export interface AuthorizationListParams extends ListParams {
  card?: string;
  cardholder?: string;
  status?: Authorization['status'];
}

/** Authorization attempts on cards, approved or declined, with the decision and the control at fault. */
export class Authorizations extends APIResource {
  /** @example await client.authorizations.retrieve('iauth_123') */
  retrieve(id: string, options?: RequestOptions): APIPromise<Authorization> {
    return this._get(path`/authorizations/${id}`, options);
  }

  /** @example for await (const a of client.authorizations.list({ card: 'ic_123' })) console.log(a.decision?.reason) */
  list(query?: AuthorizationListParams, options?: RequestOptions): PagePromise<Authorization> {
    return this._list('/authorizations', query, options);
  }
}

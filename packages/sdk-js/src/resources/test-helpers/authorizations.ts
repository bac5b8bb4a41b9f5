import type { APIPromise } from '../../core/api-promise';
import type { RequestOptions } from '../../core/request-options';
import { APIResource } from '../../core/resource';
import { path } from '../../internal/path';
import type { Authorization, Transaction } from '../../types';
import type { Body } from '../params';

/** Sandbox only: act as the card network. */
export class TestAuthorizations extends APIResource {
  /**
   * Creates an authorization as the network would; spending controls and real-time webhooks decide it.
   *
   * @example
   * await client.testHelpers.authorizations.create({
   *   card: 'ic_123', amount: 1200, currency: 'usd', merchant_data: { name: 'AWS', mcc: '7374', country: 'US' },
   * })
   */
  create(body: Body, options?: RequestOptions): APIPromise<Authorization> {
    return this._send('POST', '/test_helpers/authorizations', body, options);
  }

  /** Captures all or part of a pending authorization. @example await client.testHelpers.authorizations.capture('iauth_123', { amount: 1000 }) */
  capture(id: string, body?: Body, options?: RequestOptions): APIPromise<Transaction | Authorization> {
    return this._send('POST', path`/test_helpers/authorizations/${id}/capture`, body, options);
  }

  /** @example await client.testHelpers.authorizations.reverse('iauth_123') */
  reverse(id: string, body?: Body, options?: RequestOptions): APIPromise<Authorization> {
    return this._send('POST', path`/test_helpers/authorizations/${id}/reverse`, body, options);
  }

  /** @example await client.testHelpers.authorizations.expire('iauth_123') */
  expire(id: string, options?: RequestOptions): APIPromise<Authorization> {
    return this._send('POST', path`/test_helpers/authorizations/${id}/expire`, undefined, options);
  }
}

import type { APIPromise } from '../core/api-promise';
import type { Route } from '../internal/bind';
import type {
  Authorization,
  TestAuthorizationCaptureParams,
  TestAuthorizationCreateParams,
  TestAuthorizationReverseParams,
  TestTransactionRefundParams,
  Transaction,
} from '../types';
import type { RequestOptions } from './params';

/** Sandbox only: act as the card network. */
export interface TestAuthorizations {
  /**
   * Creates an authorization as the network would; card state, spending controls, balance and the
   * real-time webhook decide it.
   *
   * @example
   * await client.testHelpers.authorizations.create({
   *   card: 'ic_123', amount: 1200, merchant_data: { name: 'AWS', mcc: '7374', country: 'US' },
   * })
   */
  create(body: TestAuthorizationCreateParams, options?: RequestOptions): APIPromise<Authorization>;
  /** Captures all or part of a pending authorization. @example await client.testHelpers.authorizations.capture('iauth_123', { amount: 1000 }) */
  capture(
    id: string,
    body?: TestAuthorizationCaptureParams,
    options?: RequestOptions,
  ): APIPromise<Authorization>;
  /** @example await client.testHelpers.authorizations.reverse('iauth_123') */
  reverse(
    id: string,
    body?: TestAuthorizationReverseParams,
    options?: RequestOptions,
  ): APIPromise<Authorization>;
  /** @example await client.testHelpers.authorizations.expire('iauth_123') */
  expire(id: string, options?: RequestOptions): APIPromise<Authorization>;
}

export const testAuthorizationRoutes: Record<keyof TestAuthorizations, Route> = {
  create: 'Ptest_helpers/authorizations',
  capture: 'Ptest_helpers/authorizations/{}/capture',
  reverse: 'Ptest_helpers/authorizations/{}/reverse',
  expire: 'ptest_helpers/authorizations/{}/expire',
};

/** Sandbox only: refunds as a merchant would issue them. */
export interface TestTransactions {
  /** @example await client.testHelpers.transactions.refund('itxn_123', { amount: 500 }) */
  refund(id: string, body?: TestTransactionRefundParams, options?: RequestOptions): APIPromise<Transaction>;
}

export const testTransactionRoutes: Record<keyof TestTransactions, Route> = {
  refund: 'Ptest_helpers/transactions/{}/refund',
};

/** Sandbox-only helpers that drive demos and tests. */
export interface TestHelpers {
  authorizations: TestAuthorizations;
  transactions: TestTransactions;
}

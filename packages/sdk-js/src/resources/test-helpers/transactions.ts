import type { APIPromise } from '../../core/api-promise';
import type { RequestOptions } from '../../core/request-options';
import { APIResource } from '../../core/resource';
import { path } from '../../internal/path';
import type { Transaction } from '../../types';
import type { Body } from '../params';

/** Sandbox only: refunds as a merchant would issue them. */
export class TestTransactions extends APIResource {
  /** @example await client.testHelpers.transactions.refund('itxn_123', { amount: 500 }) */
  refund(id: string, body?: Body, options?: RequestOptions): APIPromise<Transaction> {
    return this._send('POST', path`/test_helpers/transactions/${id}/refund`, body, options);
  }
}

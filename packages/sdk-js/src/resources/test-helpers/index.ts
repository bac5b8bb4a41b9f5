import type { APIClient } from '../../core/client';
import { TestAuthorizations } from './authorizations';
import { TestTransactions } from './transactions';

/** Sandbox-only helpers that drive demos and tests. */
export class TestHelpers {
  readonly authorizations: TestAuthorizations;
  readonly transactions: TestTransactions;

  constructor(client: APIClient) {
    this.authorizations = new TestAuthorizations(client);
    this.transactions = new TestTransactions(client);
  }
}

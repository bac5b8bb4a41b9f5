import { APIClient } from './core/client';
import type { ClientOptions } from './core/client-options';
import { bindResource } from './internal/bind';
import { type Authorizations, authorizationRoutes } from './resources/authorizations';
import {
  type BalanceResource,
  balanceRoutes,
  type LedgerEntries,
  ledgerEntryRoutes,
} from './resources/balance';
import { type Cardholders, cardholderRoutes } from './resources/cardholders';
import { type Cards, cardRoutes } from './resources/cards';
import { type EphemeralKeys, ephemeralKeyRoutes } from './resources/ephemeral-keys';
import { type Events, eventRoutes } from './resources/events';
import { type ProgramResource, programRoutes } from './resources/program';
import { type SpendingCategories, spendingCategoryRoutes } from './resources/spending-categories';
import { type TestHelpers, testAuthorizationRoutes, testTransactionRoutes } from './resources/test-helpers';
import { type Topups, topupRoutes } from './resources/topups';
import { type Transactions, transactionRoutes } from './resources/transactions';
import { type WebhookEndpoints, webhookEndpointRoutes } from './resources/webhook-endpoints';
import { Webhooks } from './webhooks/webhooks';

/**
 * The OpenIssuing API client.
 *
 * @example
 * import { OpenIssuing } from '@openissuing/sdk';
 *
 * const client = new OpenIssuing({ apiKey: process.env.OPENISSUING_API_KEY, baseUrl: 'http://127.0.0.1:4100' });
 * const cardholder = await client.cardholders.create({ type: 'individual', name: 'Ada Lovelace', email: 'ada@example.com' });
 * const card = await client.cards.create({ cardholder: cardholder.id, type: 'virtual', currency: 'usd' });
 * for await (const c of client.cards.list()) console.log(c.id, c.last4);
 */
export class OpenIssuing extends APIClient {
  readonly cardholders: Cardholders = bindResource(this, cardholderRoutes);
  readonly cards: Cards = bindResource(this, cardRoutes);
  readonly authorizations: Authorizations = bindResource(this, authorizationRoutes);
  readonly transactions: Transactions = bindResource(this, transactionRoutes);
  readonly balance: BalanceResource = bindResource(this, balanceRoutes);
  readonly ledgerEntries: LedgerEntries = bindResource(this, ledgerEntryRoutes);
  readonly topups: Topups = bindResource(this, topupRoutes);
  readonly program: ProgramResource = bindResource(this, programRoutes);
  readonly events: Events = bindResource(this, eventRoutes);
  readonly webhookEndpoints: WebhookEndpoints = bindResource(this, webhookEndpointRoutes);
  readonly ephemeralKeys: EphemeralKeys = bindResource(this, ephemeralKeyRoutes);
  readonly spendingCategories: SpendingCategories = bindResource(this, spendingCategoryRoutes);
  /** Sandbox only. */
  readonly testHelpers: TestHelpers = {
    authorizations: bindResource(this, testAuthorizationRoutes),
    transactions: bindResource(this, testTransactionRoutes),
  };
  /** Webhook verification; uses the client's `webhookSecret` when a call passes none. */
  readonly webhooks: Webhooks;

  constructor(options: ClientOptions = {}) {
    super(options);
    this.webhooks = new Webhooks({ secret: options.webhookSecret });
  }
}

import { APIClient } from './core/client';
import type { ClientOptions } from './core/client-options';
import { Authorizations } from './resources/authorizations';
import { BalanceResource } from './resources/balance';
import { Cardholders } from './resources/cardholders';
import { Cards } from './resources/cards';
import { EphemeralKeys } from './resources/ephemeral-keys';
import { Events } from './resources/events';
import { LedgerEntries } from './resources/ledger-entries';
import { ProgramResource } from './resources/program';
import { SpendingCategories } from './resources/spending-categories';
import { TestHelpers } from './resources/test-helpers/index';
import { Topups } from './resources/topups';
import { Transactions } from './resources/transactions';
import { WebhookEndpoints } from './resources/webhook-endpoints';
import { Webhooks } from './webhooks/webhooks';

/**
 * The OpenIssuing API client.
 *
 * @example
 * import { OpenIssuing } from '@openissuing/sdk';
 *
 * const client = new OpenIssuing({ apiKey: process.env.OPENISSUING_API_KEY, baseUrl: 'http://127.0.0.1:4242' });
 * const cardholder = await client.cardholders.create({ type: 'individual', name: 'Ada Lovelace', email: 'ada@example.com' });
 * const card = await client.cards.create({ cardholder: cardholder.id, type: 'virtual', currency: 'usd' });
 * for await (const c of client.cards.list()) console.log(c.id, c.last4);
 */
export class OpenIssuing extends APIClient {
  readonly cardholders: Cardholders = new Cardholders(this);
  readonly cards: Cards = new Cards(this);
  readonly authorizations: Authorizations = new Authorizations(this);
  readonly transactions: Transactions = new Transactions(this);
  readonly balance: BalanceResource = new BalanceResource(this);
  readonly ledgerEntries: LedgerEntries = new LedgerEntries(this);
  readonly topups: Topups = new Topups(this);
  readonly program: ProgramResource = new ProgramResource(this);
  readonly events: Events = new Events(this);
  readonly webhookEndpoints: WebhookEndpoints = new WebhookEndpoints(this);
  readonly ephemeralKeys: EphemeralKeys = new EphemeralKeys(this);
  readonly spendingCategories: SpendingCategories = new SpendingCategories(this);
  readonly testHelpers: TestHelpers = new TestHelpers(this);
  /** Webhook verification using the client's `webhookSecret` by default. */
  readonly webhooks: Webhooks;

  constructor(options: ClientOptions = {}) {
    super(options);
    this.webhooks = new Webhooks({ secret: options.webhookSecret });
  }
}

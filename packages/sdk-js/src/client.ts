import { APIClient } from './core/client';
import type { ClientOptions } from './core/client-options';
import type { Resources } from './generated/resources';
import { routes } from './generated/resources';
import { bindResources } from './internal/bind';
import { Webhooks } from './webhooks/webhooks';

// The resources (`client.cards`, `client.testHelpers.authorizations`, …) are generated from the
// spec: their types in `Resources`, their routes in `routes`. The interface merges them into the class.
// (The constructor assigns every member of Resources.)
export interface OpenIssuing extends Resources {}

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
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class OpenIssuing extends APIClient {
  /** Webhook verification; uses the client's `webhookSecret` when a call passes none. */
  readonly webhooks: Webhooks;

  constructor(options: ClientOptions = {}) {
    super(options);
    Object.assign(this, bindResources(this, routes));
    this.webhooks = new Webhooks({ secret: options.webhookSecret });
  }
}

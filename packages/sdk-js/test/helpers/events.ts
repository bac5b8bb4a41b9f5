import type { AuthorizationRequestEvent } from '../../src/index';

/** A complete, spec-conformant `authorization.request` event for handler tests. */
export function authorizationRequestEvent(amount: number, mcc = '5734'): AuthorizationRequestEvent {
  const now = new Date().toISOString();
  return {
    id: 'evt_1NqD5aK9cYzL3R8wUdZqMx4f',
    object: 'event',
    type: 'authorization.request',
    created_at: now,
    api_version: '2026-11-01',
    data: {
      object: {
        id: 'iauth_1NqD5aK9cYzL3R8wUdZqMx4f',
        object: 'authorization',
        card: 'ic_1NqD5aK9cYzL3R8wUdZqMx4f',
        cardholder: 'ich_1NqD4mJ8ZbXk2Q7vTcYpLw3e',
        amount,
        currency: 'usd',
        merchant_amount: amount,
        merchant_currency: 'usd',
        exchange_rate: 1,
        merchant_data: {
          name: 'Shop',
          network_id: 'shop_1',
          mcc,
          category: 'software',
          city: null,
          country: 'US',
        },
        status: 'pending',
        approved: true,
        decision: { reason: 'approved', message: 'Approved.', control: null },
        pending_amount: amount,
        captured_amount: 0,
        transactions: [],
        dimensions: {},
        created_at: now,
      },
    },
  } as AuthorizationRequestEvent;
}

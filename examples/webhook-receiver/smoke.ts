/**
 * Smoke test: the sandbox platform (separate process) delivers real, signed webhooks and real-time
 * authorization requests to this receiver; checks that they verify and that the decisions hold.
 *
 *   npm run build -w @openissuing/platform -w @openissuing/sdk && npm test -w @openissuing/example-webhook-receiver
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { OpenIssuing, type WebhookEvent } from '@openissuing/sdk';
import { startSandboxProcess } from './sandbox.ts';
import { createReceiver } from './server.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const sandbox = await startSandboxProcess('sk_test_receiver_smoke');
const events: WebhookEvent[] = [];
let receiver: ReturnType<typeof createReceiver> | undefined;
try {
  const client = new OpenIssuing({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
  const port = await freePort();
  const hooks = await client.webhookEndpoints.create({
    url: `http://127.0.0.1:${port}/webhooks`,
    enabled_events: ['card.created', 'authorization.created'],
  });
  const realtime = await client.webhookEndpoints.create({
    url: `http://127.0.0.1:${port}/authorize`,
    enabled_events: ['authorization.request'],
  });
  receiver = createReceiver({
    webhookSecret: hooks.secret as string,
    authorizationSecret: realtime.secret as string,
    onEvent: (event) => events.push(event),
  });
  await new Promise<void>((resolve) => receiver?.listen(port, '127.0.0.1', resolve));

  await client.topups.create({ amount: 1_000_000, currency: 'usd' });
  const holder = await client.cardholders.create({
    type: 'individual',
    name: 'Katherine Johnson',
    email: 'kj@example.com',
  });
  const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
  const authorize = (amount: number, mcc: string) =>
    client.testHelpers.authorizations.create({
      card: card.id,
      amount,
      merchant_data: { name: 'Merchant', mcc, country: 'US' },
    });
  const ok = await authorize(2_000, '5734');
  const large = await authorize(80_000, '5734');
  const casino = await authorize(1_000, '7995');
  const check = (cond: boolean, what: string) => {
    if (!cond) throw new Error(`receiver smoke test: ${what}`);
  };
  check(
    ok.approved && ok.decision.reason === 'approved',
    `small purchase approved (${JSON.stringify(ok.decision)})`,
  );
  check(
    !large.approved &&
      large.decision.reason === 'webhook_declined' &&
      /purchase order/.test(large.decision.message),
    `large purchase declined by the receiver (${JSON.stringify(large.decision)})`,
  );
  check(!casino.approved && /Gambling/.test(casino.decision.message), 'gambling declined by the receiver');
  for (
    let i = 0;
    i < 100 &&
    !(
      events.some((e) => e.type === 'card.created') &&
      events.filter((e) => e.type === 'authorization.created').length >= 3
    );
    i++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  check(
    events.some((e) => e.type === 'card.created' && e.data.object.id === card.id),
    'card.created delivered and verified',
  );
  check(
    events.filter((e) => e.type === 'authorization.created').length >= 3,
    'authorization.created delivered and verified',
  );
  console.log(
    `webhook-receiver smoke test: ok (${events.length} verified deliveries, 3 real-time decisions)`,
  );
} finally {
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await sandbox.close();
}

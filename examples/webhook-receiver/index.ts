/**
 * Runs the receiver.
 *
 *   OPENISSUING_WEBHOOK_SECRET=whsec_… OPENISSUING_AUTHORIZATION_SECRET=whsec_… PORT=3000 npm start
 *
 * Locally, `openissuing listen --forward-to http://localhost:3000/webhooks` prints the secret to use
 * (see README.md).
 *
 * Register it with the platform (once):
 *   client.webhookEndpoints.create({ url: 'https://your.host/webhooks', enabled_events: ['*'] })
 *   client.webhookEndpoints.create({ url: 'https://your.host/authorize', enabled_events: ['authorization.request'] })
 */
import { createReceiver } from './server.ts';

const webhookSecret = process.env.OPENISSUING_WEBHOOK_SECRET;
const authorizationSecret = process.env.OPENISSUING_AUTHORIZATION_SECRET ?? webhookSecret;
if (!webhookSecret || !authorizationSecret) {
  console.error(
    "Set OPENISSUING_WEBHOOK_SECRET (and OPENISSUING_AUTHORIZATION_SECRET) to the endpoints' whsec_… secrets.",
  );
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
createReceiver({ webhookSecret, authorizationSecret }).listen(port, '127.0.0.1', () => {
  console.log(`webhook receiver on http://127.0.0.1:${port} (POST /webhooks, POST /authorize)`);
});

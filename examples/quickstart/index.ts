/**
 * OpenIssuing quickstart: fund the program, issue a card with spend controls, predict and run an
 * authorization, capture it, and read the ledger — with the typed SDK.
 *
 *   npx openissuing serve --memory            # the sandbox platform (prints its URL and secret key)
 *   OPENISSUING_BASE_URL=http://127.0.0.1:4100 OPENISSUING_API_KEY=sk_test_… npm start -w @openissuing/example-quickstart
 */
import {
  evaluateSpendingControls,
  isAPIError,
  NotFoundError,
  OpenIssuing,
  spendingControls,
} from '@openissuing/sdk';

// Reads OPENISSUING_API_KEY and OPENISSUING_BASE_URL from the environment.
const client = new OpenIssuing();

// 1. Fund the program (sandbox top-up) so authorizations can draw on it.
await client.topups.create({ amount: 500_000, currency: 'usd', description: 'Quickstart funding' });

// 2. A cardholder for the marketing team, and a virtual card that may only buy ads and software,
//    at most $1,000 a month and $250 per authorization.
const cardholder = await client.cardholders.create({
  type: 'individual',
  name: 'Grace Hopper',
  email: 'grace@example.com',
  dimensions: { department: 'marketing', cost_center: 'CC-4100' },
});
const controls = spendingControls()
  .limit(100_000, 'monthly')
  .limit(25_000, 'per_authorization')
  .allowCategories('advertising', 'software')
  .build();
const card = await client.cards.create({
  cardholder: cardholder.id,
  type: 'virtual',
  currency: 'usd',
  spending_controls: controls,
  metadata: { purpose: 'Google Ads' },
});
console.log(
  `Issued card ${card.id} ending ${card.last4} (${card.brand}, expires ${card.exp_month}/${card.exp_year})`,
);

// 3. Predict two authorizations locally, then let the sandbox "network" send them.
for (const attempt of [
  { amount: 12_000, merchant_data: { name: 'Google Ads', mcc: '7311', country: 'US' } },
  { amount: 9_000, merchant_data: { name: 'Lucky Casino', mcc: '7995', country: 'MT' } },
]) {
  const predicted = evaluateSpendingControls(card.spending_controls, attempt);
  const authorization = await client.testHelpers.authorizations.create({ card: card.id, ...attempt });
  console.log(
    `${attempt.merchant_data.name}: predicted ${predicted.reason}, platform says ${authorization.decision.reason}` +
      (authorization.approved
        ? ''
        : ` (${authorization.decision.control}: ${authorization.decision.message})`),
  );
  if (predicted.reason !== authorization.decision.reason) throw new Error('prediction and platform disagree');
  if (authorization.approved) await client.testHelpers.authorizations.capture(authorization.id);
}

// 4. Every transaction of the card (auto-paginated), with the dimensions snapshot for bookkeeping.
for await (const transaction of client.transactions.list({ card: card.id })) {
  console.log(
    `Transaction ${transaction.id}: ${transaction.type} ${transaction.amount} ${transaction.currency}`,
    transaction.dimensions,
  );
}
const balance = await client.balance.retrieve();
console.log('Available:', balance.available.map((m) => `${m.amount} ${m.currency}`).join(', '));

// 5. Errors are typed, carry the request id, and say what went wrong.
try {
  await client.cards.retrieve('ic_doesnotexist');
} catch (error) {
  if (error instanceof NotFoundError) console.log(`As expected: ${error.message}`);
  else if (isAPIError(error)) throw error;
}

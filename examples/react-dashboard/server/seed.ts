import { budget, OpenIssuing } from '@openissuing/sdk';

/** Fills an empty sandbox with a funded balance, two cardholders, three cards and some activity. */
export async function seed(platformUrl: string, apiKey: string): Promise<{ cards: string[] }> {
  const client = new OpenIssuing({ apiKey, baseUrl: platformUrl, maxRetries: 0 });
  await client.topups.create({ amount: 5_000_000, currency: 'usd', description: 'Initial funding' });
  const marketing = await client.cardholders.create({
    type: 'company',
    name: 'Marketing team',
    email: 'marketing@acme.example',
    dimensions: { department: 'marketing' },
  });
  const ada = await client.cardholders.create({
    type: 'individual',
    name: 'Ada Lovelace',
    email: 'ada@acme.example',
    dimensions: { department: 'engineering' },
  });
  // Budgets: the marketing department's month, and engineering's cloud spend per week.
  await client.budgets.create(
    budget('Marketing')
      .forDimensions({ department: 'marketing' })
      .currency('usd')
      .limit(250_000, 'monthly')
      .build(),
  );
  await client.budgets.create(
    budget('Engineering cloud')
      .forDimensions({ department: 'engineering' })
      .currency('usd')
      .limit(100_000, 'weekly', { categories: ['cloud_computing'] })
      .alertAt(75)
      .build(),
  );
  const ads = await client.cards.create({
    cardholder: marketing.id,
    type: 'virtual',
    currency: 'usd',
    metadata: { nickname: 'Ad spend' },
    spending_controls: {
      spending_limits: [{ amount: 500_000, interval: 'monthly' }],
      blocked_categories: ['gambling'],
    },
  });
  const cloud = await client.cards.create({
    cardholder: ada.id,
    type: 'virtual',
    currency: 'usd',
    metadata: { nickname: 'Cloud hosting' },
  });
  const travel = await client.cards.create({
    cardholder: ada.id,
    type: 'virtual',
    currency: 'usd',
    metadata: { nickname: 'Travel' },
  });
  await client.cards.freeze(travel.id);
  const purchases = [
    { amount: 12_000, merchant_data: { name: 'Google Ads', mcc: '7311', country: 'US' } },
    { amount: 8_400, merchant_data: { name: 'Meta Ads', mcc: '7311', country: 'IE' } },
    { amount: 20_000, merchant_data: { name: 'Lucky Casino', mcc: '7995', country: 'MT' } },
  ];
  for (const purchase of purchases) {
    const authorization = await client.testHelpers.authorizations.create({
      card: ads.id,
      currency: 'usd',
      ...purchase,
    });
    if (authorization.approved) await client.testHelpers.authorizations.capture(authorization.id);
  }
  for (const amount of [21_000, 26_500]) {
    const authorization = await client.testHelpers.authorizations.create({
      card: cloud.id,
      amount,
      merchant_data: { name: 'Amazon Web Services', mcc: '4816', country: 'US' },
    });
    if (authorization.approved) await client.testHelpers.authorizations.capture(authorization.id);
  }
  return { cards: [ads.id, cloud.id, travel.id] };
}

/** Lets `origins` embed the platform's hosted card-display page (`PATCH /program`). */
export async function allowDisplayOrigins(
  platformUrl: string,
  apiKey: string,
  origins: string[],
): Promise<void> {
  const client = new OpenIssuing({ apiKey, baseUrl: platformUrl, maxRetries: 0 });
  const program = await client.program.retrieve();
  const current = (program as { allowed_display_origins?: string[] }).allowed_display_origins ?? [];
  await client.program.update({ allowed_display_origins: [...new Set([...current, ...origins])] });
}

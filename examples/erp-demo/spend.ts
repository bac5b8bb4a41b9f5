import type { OpenIssuing } from '@openissuing/sdk';

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', country: 'US' },
  { name: 'LinkedIn Ads', mcc: '7311', country: 'US' },
  { name: 'AWS', mcc: '4816', country: 'US' },
  { name: 'Figma', mcc: '5734', country: 'US' },
  { name: 'Blue Bottle Coffee', mcc: '5814', country: 'US' },
  { name: 'Shell', mcc: '5541', country: 'US' },
];

/**
 * Demo spend on a fresh sandbox: two departments, a card each, captured purchases (some partial), a
 * refund and foreign-currency purchases (EUR merchants on a USD card).
 */
export async function createDemoSpend(client: OpenIssuing): Promise<void> {
  await client.topups.create({ amount: 50_000_000, currency: 'usd' });
  const people = [
    {
      name: 'Mia Marketing',
      email: 'mia@acme.example',
      dimensions: { department: 'Marketing', project: 'Apollo' },
    },
    {
      name: 'Eli Engineering',
      email: 'eli@acme.example',
      dimensions: { department: 'Engineering', project: 'Gemini' },
    },
  ];
  const cards: string[] = [];
  for (const p of people) {
    const holder = await client.cardholders.create({ type: 'individual', ...p });
    cards.push((await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' })).id);
  }
  for (let i = 0; i < 36; i++) {
    const merchant = MERCHANTS[i % MERCHANTS.length] as (typeof MERCHANTS)[number];
    const foreign = i % 9 === 8;
    const auth = await client.testHelpers.authorizations.create({
      card: cards[i % cards.length] as string,
      amount: 1_200 + ((i * 7_919) % 90_000),
      ...(foreign ? { currency: 'eur' } : {}),
      merchant_data: foreign ? { ...merchant, country: 'DE' } : merchant,
    });
    if (!auth.approved) continue;
    await client.testHelpers.authorizations.capture(
      auth.id,
      i % 5 === 4 ? { amount: Math.floor(auth.amount / 2) } : {},
    );
  }
  const page = await client.transactions.list({ limit: 1 });
  const first = page.data[0];
  if (first) await client.testHelpers.transactions.refund(first.id, { amount: Math.floor(first.amount / 3) });
}

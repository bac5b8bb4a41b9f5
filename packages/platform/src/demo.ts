/**
 * `npm run demo` — the whole platform in one run, on an embedded database:
 * issues cards with spending controls to two departments, simulates a few hundred authorizations
 * across merchants, countries and currencies (every kind of control declines some), captures,
 * reverses and refunds, receives and verifies every webhook with the `standardwebhooks` library,
 * and prints a summary. It exits by itself.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { runApprovalStory } from './demo-approvals';
import { budgetStory } from './demo-budget';
import { apiClient, seedDemoData } from './seed';
import { startPlatform } from './start';

// biome-ignore lint/suspicious/noExplicitAny: the demo reads API responses loosely; the tests check them against the spec.
type Json = Record<string, any>;

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', country: 'US', currency: 'usd' },
  { name: 'Meta Ads', mcc: '7311', country: 'IE', currency: 'eur' },
  { name: 'LinkedIn Ads', mcc: '7311', country: 'US', currency: 'usd' },
  { name: 'Amazon Web Services', mcc: '4816', country: 'US', currency: 'usd' },
  { name: 'Microsoft Azure', mcc: '4816', country: 'NL', currency: 'eur' },
  { name: 'Hetzner Cloud', mcc: '7374', country: 'DE', currency: 'eur' },
  { name: 'GitHub', mcc: '5734', country: 'US', currency: 'usd' },
  { name: 'Figma', mcc: '5734', country: 'US', currency: 'usd' },
  { name: 'Notion', mcc: '5734', country: 'US', currency: 'usd' },
  { name: 'Lufthansa', mcc: '4511', country: 'DE', currency: 'eur' },
  { name: 'Deutsche Bahn', mcc: '4112', country: 'DE', currency: 'eur' },
  { name: 'Hilton London', mcc: '7011', country: 'GB', currency: 'gbp' },
  { name: 'Tokyo Sushi Bar', mcc: '5812', country: 'JP', currency: 'jpy' },
  { name: 'Blue Bottle Coffee', mcc: '5814', country: 'US', currency: 'usd' },
  { name: 'Lucky Spins Casino', mcc: '7995', country: 'MT', currency: 'eur' },
  { name: 'Airport ATM', mcc: '6011', country: 'US', currency: 'usd' },
  { name: 'Pyongyang Trading', mcc: '5734', country: 'KP', currency: 'usd' },
];

/** A small deterministic PRNG so every run tells the same story. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const fmt = (minor: number, currency = 'usd') =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
    currency === 'jpy' ? minor : minor / 100,
  );

async function main() {
  const started = Date.now();
  const platform = await startPlatform({ program: { authorization_webhook_timeout_ms: 500 } });
  const call = apiClient(platform);

  // 1. A webhook receiver that verifies every delivery with the reference `standardwebhooks` library,
  //    and answers the real-time authorization.request (declining one merchant outright).
  const received: Record<string, number> = {};
  let verified = 0;
  let rejected = 0;
  let secrets: { all?: string; realtime?: string } = {};
  const receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    const secret = req.url === '/realtime' ? secrets.realtime : secrets.all;
    let event: Json;
    try {
      event = new Webhook(secret ?? '').verify(body, {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }) as Json;
      verified++;
    } catch {
      rejected++;
      res.writeHead(400).end();
      return;
    }
    received[event.type] = (received[event.type] ?? 0) + 1;
    if (event.type === 'authorization.request') {
      const merchant = event.data.object.merchant_data.name as string;
      const answer =
        merchant === 'LinkedIn Ads'
          ? { approved: false, reason: 'LinkedIn is not in the Q4 media plan' }
          : { approved: true };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      return;
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const all = await call<Json>('POST', '/webhook_endpoints', {
    url: `http://127.0.0.1:${port}/events`,
    enabled_events: ['*'],
  });
  const realtime = await call<Json>('POST', '/webhook_endpoints', {
    url: `http://127.0.0.1:${port}/realtime`,
    enabled_events: ['authorization.request'],
  });
  secrets = { all: all.secret, realtime: realtime.secret };

  // 2. Two departments, six cards with different controls (see src/seed.ts).
  const seeded = await seedDemoData(platform);
  const { cards } = seeded;
  const cardNames: Record<string, string> = {
    [cards.ads]: 'Marketing · ads card',
    [cards.travel]: 'Marketing · travel card',
    [cards.oneOff]: 'Marketing · single-use card',
    [cards.cloud]: 'Engineering · cloud card',
    [cards.saas]: 'Engineering · SaaS card (merchant-locked)',
    [cards.eur]: 'Engineering · EUR card',
  };

  // A contractor's card that cancels itself two seconds from now.
  const contractor = await call<Json>('POST', '/cards', {
    cardholder: seeded.cardholders.engineering,
    type: 'virtual',
    currency: 'usd',
    expires_at: new Date(Date.now() + 2_000).toISOString(),
  });
  cardNames[contractor.id] = 'Engineering · contractor card (expires_at)';

  // 3. A few hundred authorizations across merchants, countries and currencies.
  const rand = prng(2026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  const authorizations: Json[] = [];
  const authorize = async (card: string, merchant: (typeof MERCHANTS)[number], amount: number) => {
    const auth = await call<Json>('POST', '/test_helpers/authorizations', {
      card,
      amount,
      currency: merchant.currency,
      merchant_data: {
        name: merchant.name,
        mcc: merchant.mcc,
        country: merchant.country,
        city: 'Sandbox City',
      },
    });
    authorizations.push(auth);
    return auth;
  };
  const cardList = [cards.ads, cards.ads, cards.travel, cards.cloud, cards.cloud, cards.saas, cards.eur];
  for (let batch = 0; batch < 30; batch++) {
    // Ten at a time, as a card network would send them concurrently.
    await Promise.all(
      Array.from({ length: 10 }, () => {
        const merchant = pick(MERCHANTS);
        const base = merchant.currency === 'jpy' ? 3_000 : 500;
        const amount = Math.round(base * (1 + rand() * (rand() < 0.1 ? 400 : 60)));
        return authorize(pick(cardList), merchant, amount);
      }),
    );
    if (batch === 15) await call('POST', `/cards/${cards.travel}/freeze`); // the travel card is frozen for a while
    if (batch === 22) await call('POST', `/cards/${cards.travel}/unfreeze`);
  }
  // Single-use card: first purchase captured, the second is refused.
  const first = await authorize(cards.oneOff, MERCHANTS[7] as (typeof MERCHANTS)[number], 4_900);
  await call('POST', `/test_helpers/authorizations/${first.id}/capture`);
  first.status = 'closed';
  await authorize(cards.oneOff, MERCHANTS[8] as (typeof MERCHANTS)[number], 1_200);
  // A GBP card with little GBP funding runs out of money.
  await call('POST', '/topups', { amount: 20_000, currency: 'gbp' });
  const gbp = await call<Json>('POST', '/cards', {
    cardholder: seeded.cardholders.marketing,
    type: 'virtual',
    currency: 'gbp',
  });
  cardNames[gbp.id] = 'Marketing · GBP card';
  for (let i = 0; i < 4; i++) await authorize(gbp.id, MERCHANTS[11] as (typeof MERCHANTS)[number], 7_500);
  // The contractor card's expires_at has passed by now.
  await authorize(contractor.id, MERCHANTS[6] as (typeof MERCHANTS)[number], 1_000);
  // A canceled card.
  await call('POST', `/cards/${cards.eur}/cancel`, { cancellation_reason: 'lost' });
  await authorize(cards.eur, MERCHANTS[5] as (typeof MERCHANTS)[number], 2_000);

  // 4. Settle: capture most approved holds (some partially), reverse or expire others, refund a few.
  let captured = 0;
  let reversed = 0;
  let expired = 0;
  let refunded = 0;
  for (const auth of authorizations) {
    if (auth.status !== 'pending') continue;
    const r = rand();
    if (r < 0.75) {
      const amount = r < 0.15 ? Math.max(1, Math.round(auth.pending_amount * 0.9)) : undefined;
      const closed = await call<Json>(
        'POST',
        `/test_helpers/authorizations/${auth.id}/capture`,
        amount ? { amount } : {},
      );
      captured++;
      if (rand() < 0.1) {
        await call('POST', `/test_helpers/transactions/${closed.transactions[0]}/refund`, {
          amount: Math.max(1, Math.round(closed.captured_amount / 2)),
        });
        refunded++;
      }
    } else if (r < 0.9) {
      await call('POST', `/test_helpers/authorizations/${auth.id}/reverse`, {});
      reversed++;
    } else {
      await call('POST', `/test_helpers/authorizations/${auth.id}/expire`, {});
      expired++;
    }
  }

  // 4b. A department budget shared by two cards declines the purchase that would exceed it.
  const budgetLines = await budgetStory(call, seeded.cardholders.marketing);
  // 4b. A card request approved by the marketing approver and finance (src/demo-approvals.ts).
  const approvals = await runApprovalStory(platform, seeded.cardholders.marketing);

  // 5. Wait for the outbox to drain, then read the books.
  const events = await call<Json>('GET', '/events?limit=1');
  const deadline = Date.now() + 15_000;
  const totalDelivered = () =>
    Object.entries(received)
      .filter(([t]) => t !== 'authorization.request')
      .reduce((s, [, n]) => s + n, 0);
  let expected = 0;
  for (;;) {
    let cursor: string | null = null;
    expected = 0;
    do {
      const page: Json = await call('GET', `/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expected += page.data.filter((e: Json) => e.type !== 'authorization.request').length;
      cursor = page.next_cursor;
    } while (cursor);
    if (totalDelivered() >= expected || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  void events;
  const balance = await call<Json>('GET', '/balance');
  let ledgerUsd = 0;
  let cursor: string | null = null;
  do {
    const page: Json = await call(
      'GET',
      `/ledger_entries?currency=usd&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    for (const e of page.data) ledgerUsd += e.amount;
    cursor = page.next_cursor;
  } while (cursor);
  const spendByDept: Record<string, number> = {};
  cursor = null;
  do {
    const page: Json = await call('GET', `/transactions?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    for (const t of page.data) {
      if (t.currency !== 'usd') continue;
      const dept = `${t.dimensions.department ?? '—'} / ${t.dimensions.project ?? '—'}`;
      spendByDept[dept] = (spendByDept[dept] ?? 0) + (t.type === 'capture' ? t.amount : -t.amount);
    }
    cursor = page.next_cursor;
  } while (cursor);

  // 6. The summary.
  const approved = authorizations.filter((a) => a.approved);
  const byReason = new Map<string, { count: number; example: Json }>();
  for (const a of authorizations) {
    if (a.approved) continue;
    const entry = byReason.get(a.decision.reason) ?? { count: 0, example: a };
    entry.count++;
    byReason.set(a.decision.reason, entry);
  }
  const fx = authorizations.filter((a) => a.merchant_currency !== a.currency).length;
  const line = '─'.repeat(78);
  console.log(`\n${line}\n OpenIssuing demo — an embedded sandbox platform (${platform.url})\n${line}`);
  console.log(
    ` Issued ${Object.keys(cardNames).length} cards to 2 departments (marketing, engineering) with spending controls.`,
  );
  console.log(
    ` Simulated ${authorizations.length} authorizations at ${MERCHANTS.length} merchants in ${new Set(MERCHANTS.map((m) => m.country)).size} countries; ${fx} were in a foreign currency and converted.`,
  );
  console.log(
    `\n Decisions: ${approved.length} approved, ${authorizations.length - approved.length} declined`,
  );
  for (const [reason, { count, example }] of [...byReason.entries()].sort(
    (a, b) => b[1].count - a[1].count,
  )) {
    console.log(
      `   ${reason.padEnd(20)} ${String(count).padStart(4)}  e.g. ${example.merchant_data.name} on ${cardNames[example.card] ?? example.card}`,
    );
    console.log(`   ${''.padEnd(20)}       control ${example.decision.control}: ${example.decision.message}`);
  }
  console.log(
    `\n Settlement: ${captured} captured, ${reversed} reversed, ${expired} expired, ${refunded} refunded (partly).`,
  );
  console.log(' Net USD card spend by department / project (from transaction dimensions):');
  for (const [dept, amount] of Object.entries(spendByDept).sort())
    console.log(`   ${dept.padEnd(30)} ${fmt(amount).padStart(14)}`);
  for (const l of budgetLines) console.log(l);
  console.log('\n Program balance:');
  for (const b of balance.available as Json[]) {
    const pending = (balance.pending as Json[]).find((p) => p.currency === b.currency)?.amount ?? 0;
    console.log(
      `   ${b.currency.toUpperCase()}  available ${fmt(b.amount, b.currency).padStart(14)}   held ${fmt(pending, b.currency).padStart(12)}`,
    );
  }
  const usd = (balance.available as Json[]).find((b) => b.currency === 'usd')?.amount;
  console.log(
    `   Ledger check: USD entries sum to ${fmt(ledgerUsd)} — ${ledgerUsd === usd ? 'equals the available balance ✔' : 'MISMATCH ✘'}`,
  );
  console.log(
    `\n Approvals (card requests, restricted keys scoped to a department):\n${approvals.lines.join('\n')}`,
  );
  console.log(
    `\n Webhooks: ${verified} deliveries verified with the standardwebhooks library, ${rejected} rejected.`,
  );
  console.log(
    `   ${Object.entries(received)
      .sort()
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  );
  console.log(`   ${totalDelivered()} of ${expected} events delivered to the '*' endpoint.`);
  console.log(
    [
      `\n Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Next:`,
      '   npm run demo:dashboard          the same sandbox in a browser: every React card widget, PAN kept in the platform iframe',
      '   npm run sandbox                 a sandbox API of your own on http://127.0.0.1:4100 with demo data',
      `${line}\n`,
    ].join('\n'),
  );

  await platform.close();
  await new Promise<void>((resolve) => {
    receiver.close(() => resolve());
    receiver.closeAllConnections();
  });
  const ok = ledgerUsd === usd && rejected === 0 && approvals.ok;
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

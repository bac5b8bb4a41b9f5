import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Budget, budget, type OpenIssuing, type SpendReport, ValidationError } from '../src/index.node';
import { type Sandbox, startSandbox } from './helpers/platform';

let sandbox: Sandbox;
let client: OpenIssuing;

beforeAll(async () => {
  sandbox = await startSandbox();
  client = sandbox.client;
});
afterAll(() => sandbox?.close());

describe('budgets through the SDK (real platform)', () => {
  it('creates with the builder, retrieves, updates and lists typed budgets', async () => {
    const params = budget('Marketing')
      .forDimensions({ department: 'marketing' })
      .currency('usd')
      .limit(2_000_000, 'monthly')
      .limit(300_000, 'weekly', { categories: ['advertising'] })
      .alertAt(90)
      .build();
    const created: Budget = await client.budgets.create(params);
    expect(created.usage.map((u) => [u.interval, u.remaining])).toEqual([
      ['monthly', 2_000_000],
      ['weekly', 300_000],
    ]);
    expect(created.alert_threshold_percent).toBe(90);
    expect((await client.budgets.retrieve(created.id)).selector).toEqual({ department: 'marketing' });
    const updated = await client.budgets.update(created.id, { status: 'inactive' });
    expect(updated.status).toBe('inactive');
    const ids: string[] = [];
    for await (const b of client.budgets.list({ status: 'inactive' })) ids.push(b.id);
    expect(ids).toContain(created.id);
  });

  it('the builder refuses what the API would refuse, naming the field', () => {
    expect(() => budget('x').currency('usd').limit(-1, 'monthly').build()).toThrow(ValidationError);
    try {
      budget('x').currency('usd').limit(1, 'monthly').build();
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path)).toContain('selector');
    }
  });
});

describe('client.reports.spend (real platform)', () => {
  it('returns the typed report of captured spend by department', async () => {
    await client.topups.create({ amount: 1_000_000, currency: 'usd' });
    const holder = await client.cardholders.create({
      type: 'individual',
      name: 'Grace',
      email: 'grace@example.com',
      dimensions: { department: 'research' },
    });
    const card = await client.cards.create({ cardholder: holder.id, type: 'virtual', currency: 'usd' });
    const auth = await client.testHelpers.authorizations.create({
      card: card.id,
      amount: 12_345,
      merchant_data: { name: 'Lab Supplies', mcc: '5044', country: 'US' },
    });
    await client.testHelpers.authorizations.capture(auth.id, {});
    const now = new Date();
    const report: SpendReport = await client.reports.spend({
      group_by: 'dimension',
      dimension: 'department',
      interval: 'day',
      created_gte: new Date(now.getTime() - 86_400_000).toISOString(),
      created_lt: new Date(now.getTime() + 60_000).toISOString(),
      limit: 5,
    });
    expect(report).toMatchObject({ limit: 5, total_groups: 1, other_groups: 0 });
    expect(report.rows).toEqual([
      expect.objectContaining({
        group: 'research',
        other: false,
        currency: 'usd',
        amount: 12_345,
        capture_count: 1,
        reporting_amount: 12_345,
      }),
    ]);
    expect(report.reporting_currency).toBe('usd');
  });
});

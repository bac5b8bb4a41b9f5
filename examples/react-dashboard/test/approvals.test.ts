import { join } from 'node:path';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type Harness, resultsDir, startHarness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.page.goto(h.backend.url);
  await h.page.getByRole('listbox', { name: 'Cards' }).waitFor();
  await h.page.getByRole('button', { name: 'Approvals' }).click();
});
afterAll(async () => {
  await h?.close();
});

describe('the Approvals view in Chromium', () => {
  it('a request needs the marketing approver and finance; the card is issued on the second approval', async () => {
    const page = h.page;
    const form = page.getByRole('form', { name: 'Request a card' });
    await form.getByLabel('Cardholder').selectOption({ label: 'Marketing team' });
    await form.getByLabel('Monthly limit (USD)').fill('25000');
    await form.getByLabel('Reason').fill('Trade fair in Hanover');
    await form.getByRole('button', { name: 'Send request' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: 'waiting for approval by: Department approver, Finance' })
      .waitFor();

    const item = page.getByRole('article', { name: 'New card for Marketing team' });
    await item.getByLabel('Comment').fill('Budgeted in Q2');
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.getByRole('listitem').filter({ hasText: 'Department approver: approved' }).waitFor();

    // The second step belongs to finance; the marketing approver's key cannot decide it.
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.getByRole('alert').waitFor();
    expect(await item.getByRole('alert').textContent()).toContain('another approver must decide the rest');

    await page.getByLabel('Approve as').selectOption({ label: 'Finance' });
    const forFinance = page.getByRole('article', { name: 'New card for Marketing team' });
    await forFinance.getByRole('button', { name: 'Approve' }).click();
    await forFinance.getByRole('status').filter({ hasText: 'Approved' }).waitFor();
    await page.screenshot({ path: join(resultsDir, 'dashboard-approvals.png'), fullPage: true });

    const server = new OpenIssuing({ apiKey: h.platform.apiKey, baseUrl: h.platform.url });
    const approved = (await server.cardRequests.list({ status: 'approved' })).data;
    expect(approved).toHaveLength(1);
    const card = await server.cards.retrieve(approved[0]?.card as string);
    expect(card.spending_controls.spending_limits).toEqual([{ amount: 2_500_000, interval: 'monthly' }]);
    expect(approved[0]?.approvals.map((a) => a.comment)).toEqual(['Budgeted in Q2', null]);
  });

  it('has no serious or critical axe-core violations, in English and Chinese', async () => {
    expect(await axeViolations(h.page)).toEqual([]);
    await h.page.getByLabel('Language').selectOption('zh-CN');
    await h.page.getByRole('heading', { name: '申请卡片' }).waitFor();
    expect(await axeViolations(h.page)).toEqual([]);
    await h.page.getByLabel('语言').selectOption('en');
  });
});

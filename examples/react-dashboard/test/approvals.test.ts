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

  it("draws the view tabs and the 'Approve as' select in the widgets' theme, light and dark", async () => {
    const page = h.page;
    // The page's own controls take the widgets' field and accent colours, whatever the theme.
    const look = () =>
      page.evaluate(() => {
        const style = (selector: string) => getComputedStyle(document.querySelector(selector) as Element);
        const field = (s: CSSStyleDeclaration) => [
          s.backgroundColor,
          s.color,
          s.borderTopColor,
          s.borderRadius,
        ];
        return {
          approveAs: field(style('.approvals__as select')),
          language: field(style('.topbar select')),
          widgetField: field(style('.oi-form select')),
          selectedTab: style('.views button[aria-pressed="true"]').borderBottomColor,
          otherTab: style('.views button[aria-pressed="false"]').borderBottomColor,
          accent: style('.oi-button--primary').backgroundColor,
          tabs: style('.views').backgroundColor,
          surface: style('.oi-form').backgroundColor,
        };
      });
    const dark = page.getByLabel('Dark theme');
    const seen: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await (theme === 'dark' ? dark.check() : dark.uncheck());
      const l = await look();
      expect(l.approveAs, theme).toEqual(l.widgetField);
      expect(l.language, theme).toEqual(l.widgetField);
      expect(l.selectedTab, theme).toBe(l.accent);
      expect(l.otherTab, theme).toBe('rgba(0, 0, 0, 0)');
      expect(l.tabs, theme).toBe(l.surface);
      seen.push(l.surface);
      await page.screenshot({ path: join(resultsDir, `dashboard-approvals-${theme}.png`), fullPage: true });
    }
    expect(new Set(seen).size).toBe(2);
    await dark.uncheck();
  });

  it('a forced theme wins over the system one for every widget inside it (one light-dark() palette)', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme: 'dark' });
    try {
      await page.goto(h.backend.url);
      await page.getByRole('listbox', { name: 'Cards' }).waitFor();
      const surface = () =>
        page.evaluate(
          () => getComputedStyle(document.querySelector('.oi-card-list') as Element).backgroundColor,
        );
      const dark = page.getByLabel('Dark theme');
      expect(await dark.isChecked()).toBe(true); // the dashboard starts from the system's preference
      expect(await surface()).toBe('rgb(21, 27, 35)');
      await dark.uncheck(); // data-oi-theme="light" on the dashboard, the system still dark
      expect(await surface()).toBe('rgb(255, 255, 255)');
    } finally {
      await page.close();
    }
  });
});

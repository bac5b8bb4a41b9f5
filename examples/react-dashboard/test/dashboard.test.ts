import { join } from 'node:path';
import { OpenIssuing } from '@openissuing/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type Harness, pixelDifference, resultsDir, startHarness } from './harness.ts';

let h: Harness;
/** Bodies of every response the dashboard's own (top) frame received. */
const parentResponses: string[] = [];

/**
 * Records, from the first byte on, every text and attribute value that ever enters the parent
 * document — so "never contained the PAN" covers transient DOM states, not just the final one.
 */
function recordParentDom() {
  if (window.top !== window) return;
  const seen: string[] = [];
  (window as unknown as { __oiSeen: string[] }).__oiSeen = seen;
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) seen.push(node.textContent ?? '');
      if (record.type === 'characterData') seen.push(record.target.textContent ?? '');
      if (record.type === 'attributes' && record.attributeName) {
        seen.push((record.target as Element).getAttribute(record.attributeName) ?? '');
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

beforeAll(async () => {
  h = await startHarness();
  await h.page.addInitScript(recordParentDom);
  h.page.on('response', (response) => {
    if (response.frame() !== h.page.mainFrame()) return;
    response.text().then(
      (body) => parentResponses.push(body),
      () => {},
    );
  });
  await h.page.goto(h.backend.url);
  await h.page.getByRole('listbox', { name: 'Cards' }).waitFor();
});

afterAll(async () => {
  await h?.close();
});

async function selectCard(nickname: string) {
  await h.page.getByRole('option', { name: new RegExp(nickname) }).click();
  await h.page.getByRole('heading', { name: nickname, level: 2 }).waitFor();
}

async function simulate(merchant: string, amount: string) {
  const form = h.page.getByRole('form', { name: 'Simulate a purchase (sandbox)' });
  await form.getByLabel('Merchant').selectOption({ label: merchant });
  await form.getByLabel(/Amount/).fill(amount);
  await form.getByRole('button', { name: 'Simulate purchase' }).click();
  await form
    .getByRole('status')
    .filter({ hasText: `${merchant} $${amount}` })
    .waitFor();
}

/** The authorization row for one simulated purchase (merchant and amount are unique per test). */
function authorizationRow(merchant: string, amount: string) {
  return authorizationsTable().getByRole('row', {
    name: new RegExp(`${merchant}.*\\$${amount.replace('.', '\\.')}`),
  });
}

function authorizationsTable() {
  return h.page.getByRole('table', { name: 'Authorizations' });
}

describe('react-dashboard in Chromium against a running platform', () => {
  it('reveals the PAN in secure mode without the parent document ever containing it', async () => {
    await selectCard('Ad spend');
    const cardId = h.cards[0] as string;
    // The PAN, read the way only an ephemeral key can.
    const server = new OpenIssuing({ apiKey: h.platform.apiKey, baseUrl: h.platform.url });
    const key = await server.ephemeralKeys.create({ card: cardId });
    const details = await new OpenIssuing({ apiKey: key.secret, baseUrl: h.platform.url }).cards.details(
      cardId,
    );
    const pan = details.number;
    const panPattern = new RegExp(pan.split('').join('\\s*'));

    await h.page.getByRole('button', { name: 'Show details' }).click();
    const frameElement = h.page.frameLocator('iframe[title^="Card details"]');
    await expect
      .poll(async () => ((await frameElement.locator('body').textContent()) ?? '').replace(/\s/g, ''), {
        timeout: 10_000,
      })
      .toContain(pan);
    await h.page.screenshot({ path: join(resultsDir, 'secure-reveal.png'), fullPage: true });

    // Nothing that ever entered the parent DOM, and no response the parent frame received, held it.
    const everSeen = await h.page.evaluate(() =>
      (window as unknown as { __oiSeen: string[] }).__oiSeen.join('\n'),
    );
    expect(everSeen.length).toBeGreaterThan(1000);
    expect(everSeen).not.toMatch(panPattern);
    expect(parentResponses.length).toBeGreaterThan(3);
    expect(parentResponses.join('\n')).not.toMatch(panPattern);
    const parentHtml = await h.page.evaluate(() => document.documentElement.outerHTML);
    const parentText = await h.page.evaluate(() => document.body.textContent ?? '');
    expect(parentHtml).not.toMatch(panPattern);
    expect(parentText).not.toMatch(panPattern);
    expect(parentHtml).not.toContain(`>${details.cvc}<`);
    // The iframe is cross-origin: the parent page cannot read into it either.
    const canRead = await h.page.evaluate(() => {
      try {
        return Boolean(document.querySelector('iframe')?.contentDocument?.body);
      } catch {
        return false;
      }
    });
    expect(canRead).toBe(false);
  });

  it('outside secure mode reveals PAN and CVC through the ephemeral key and copies them', async () => {
    await selectCard('Ad spend');
    const secure = h.page.getByRole('checkbox', { name: /hosted iframe/ });
    await secure.uncheck();
    const card = h.page.getByRole('region', { name: /card ending in/ });
    await card.getByRole('button', { name: 'Show details' }).click();
    const server = new OpenIssuing({ apiKey: h.platform.apiKey, baseUrl: h.platform.url });
    const key = await server.ephemeralKeys.create({ card: h.cards[0] as string });
    const details = await new OpenIssuing({ apiKey: key.secret, baseUrl: h.platform.url }).cards.details(
      h.cards[0] as string,
    );
    await expect
      .poll(async () => ((await card.textContent()) ?? '').replace(/\s/g, ''), { timeout: 10_000 })
      .toContain(details.number);
    // Control for the secure-mode test: here the parent does hold the PAN, and the recorders see it.
    const everSeen = await h.page.evaluate(() =>
      (window as unknown as { __oiSeen: string[] }).__oiSeen.join(''),
    );
    expect(everSeen.replace(/\s/g, '')).toContain(details.number);
    expect(parentResponses.join('\n')).toContain(details.number);
    await h.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.backend.url });
    await card.getByRole('button', { name: 'Copy card number' }).click();
    await card.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await h.page.evaluate(() => navigator.clipboard.readText())).toBe(details.number);
    await card.getByRole('button', { name: 'Hide details' }).click();
    expect(((await card.textContent()) ?? '').replace(/\s/g, '')).not.toContain(details.number);
    await secure.check();
  });

  it('draws the revealed card in secure mode exactly like the widget outside it (en, zh-CN, light, dark)', async () => {
    await selectCard('Ad spend');
    // Chromium warns about a sandbox that can escape itself (allow-scripts + allow-same-origin).
    const consoleMessages: string[] = [];
    const onConsole = (message: { text(): string }) => consoleMessages.push(message.text());
    h.page.on('console', onConsole);
    // By structure, not by name: the names change with the language.
    const secure = h.page.locator('.detail__secure input[type="checkbox"]');
    const art = () => h.page.locator('section.oi-card .oi-card__art');
    const revealButton = () => h.page.locator('section.oi-card button[aria-pressed="false"]');
    const hideButton = () => h.page.locator('section.oi-card button[aria-pressed="true"]');
    for (const [locale, dark] of [
      ['en', false],
      ['en', true],
      ['zh-CN', false],
      ['zh-CN', true],
    ] as const) {
      await h.page.locator('header select').selectOption(locale);
      await h.page.locator('header input[type="checkbox"]').setChecked(dark);
      const name = `card-${locale}-${dark ? 'dark' : 'light'}`;
      await secure.uncheck();
      const masked = await art().screenshot();
      await revealButton().click();
      await expect
        .poll(async () => /\d{4} \d{4} \d{4} \d{4}/.test((await art().textContent()) ?? ''))
        .toBe(true);
      const plain = await art().screenshot({ path: join(resultsDir, `${name}-revealed.png`) });
      await hideButton().click();
      await secure.check();
      await revealButton().click();
      await art().locator('iframe[data-state="rendered"]').waitFor({ timeout: 10_000 });
      const hosted = await art().screenshot({ path: join(resultsDir, `${name}-secure-revealed.png`) });
      await hideButton().click();

      // Control: the comparison sees the PAN and CVC appear (so a match below means something).
      const revealing = await pixelDifference(h.browser, masked, plain);
      expect(revealing.sameSize, name).toBe(true);
      expect(revealing.differing, name).toBeGreaterThan(150);
      // Same card art, brand, badge, labels, positions and digits: at most a few stray pixels.
      const difference = await pixelDifference(h.browser, plain, hosted);
      expect(difference.sameSize, name).toBe(true);
      expect(
        difference.differing,
        `${name}: ${difference.differing} of ${difference.total} pixels differ`,
      ).toBeLessThan(revealing.differing / 20);
    }
    await h.page.locator('header select').selectOption('en');
    await h.page.locator('header input[type="checkbox"]').setChecked(false);
    h.page.off('console', onConsole);
    expect(consoleMessages.filter((text) => /sandbox/i.test(text))).toEqual([]);
  }, 180_000);

  it('the hosted page applies only listed CSS properties with plain values from appearance', async () => {
    await selectCard('Ad spend');
    const cardId = h.cards[0] as string;
    await h.page.locator('section.oi-card button[aria-pressed="false"]').click();
    const frameElement = h.page.locator('section.oi-card iframe[data-state="rendered"]');
    await frameElement.waitFor({ timeout: 10_000 });
    const frame = await (await frameElement.elementHandle())?.contentFrame();
    if (!frame) throw new Error('no hosted card frame');
    const snapshot = () =>
      frame.evaluate(() => {
        const card = document.getElementById('card') as HTMLElement;
        const part = (selector: string) => card.querySelector(selector) as HTMLElement;
        return {
          color: card.style.getPropertyValue('color'),
          backgroundImage: getComputedStyle(card).backgroundImage,
          label: part('dt').getAttribute('style'),
          valueFont: part('[data-field="expiry"]').style.getPropertyValue('font-family'),
          valueMargin: part('[data-field="expiry"]').style.getPropertyValue('margin-top'),
          numberSpacing: part('[data-field="number"]').style.getPropertyValue('letter-spacing'),
          cvcLabel: part('[data-label="cvc"]').innerHTML,
          images: document.images.length,
        };
      });
    // What the widget's own appearance message set.
    const before = await snapshot();
    expect(before.label).toContain('text-transform: uppercase');
    const server = new OpenIssuing({ apiKey: h.platform.apiKey, baseUrl: h.platform.url });
    const key = await server.ephemeralKeys.create({ card: cardId });
    // The parent (the allowed origin) sends a key with a hostile appearance next to two plain values.
    await h.page.evaluate(
      ({ secret }) => {
        document.querySelector<HTMLIFrameElement>('section.oi-card iframe')?.contentWindow?.postMessage(
          {
            type: 'openissuing:ephemeral_key',
            secret,
            appearance: {
              labels: { number: 'N', expiry: 'E', cvc: '<img src=x onerror=alert(1)>' },
              styles: {
                fields: { color: 'rgb(255, 0, 0)', 'background-image': 'url(https://attacker.example/x)' },
                label: { 'font-size': '20px; background: url(https://attacker.example/y)' },
                value: { 'font-family': 'monospace', 'margin-top': 'expression(alert(1))' },
                number: { 'letter-spacing': 'var(--x, url(https://attacker.example/z))' },
              },
            },
          },
          '*',
        );
      },
      { secret: key.secret },
    );
    await expect.poll(async () => (await snapshot()).color).toBe('rgb(255, 0, 0)');
    // The listed properties with plain values applied; everything else kept what it had; labels are text.
    expect(await snapshot()).toEqual({
      ...before,
      color: 'rgb(255, 0, 0)',
      valueFont: 'monospace',
      cvcLabel: '&lt;img src=x onerror=alert(1)&gt;',
    });
    expect(before.backgroundImage).toBe('none');
    await h.page.locator('section.oi-card button[aria-pressed="true"]').click();
  });

  it('issues a card through the backend and selects it', async () => {
    const form = h.page.getByRole('form', { name: 'Issue a card' });
    await form.getByRole('combobox', { name: 'Cardholder' }).selectOption({ label: 'Ada Lovelace' });
    await form.getByRole('textbox', { name: 'Monthly limit (USD)' }).fill('750');
    await form.getByRole('textbox', { name: 'Nickname' }).fill('Conference travel');
    await form.getByRole('button', { name: 'Issue card' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: /Card ending in \d{4} issued/ })
      .waitFor();
    await h.page.getByRole('option', { name: /Conference travel/ }).waitFor();
    await h.page.getByRole('heading', { name: 'Conference travel', level: 2 }).waitFor();
    const editor = h.page.getByRole('form', { name: 'Spending controls' });
    expect(await editor.getByRole('textbox', { name: 'Limit 1: amount (USD)' }).inputValue()).toBe('750.00');
  });

  it('freezes a card and shows the next simulated authorization declined', async () => {
    await selectCard('Cloud hosting');
    const toggle = h.page.getByRole('switch', { name: 'Freeze card' });
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    await h.page.getByText('Card is frozen').waitFor();
    // The switch flips at once; the platform has confirmed when it is no longer busy.
    await expect.poll(() => toggle.getAttribute('aria-busy')).toBeNull();

    await simulate('Amazon Web Services', '42.00');
    const row = authorizationRow('Amazon Web Services', '42.00');
    await expect.poll(() => row.getAttribute('data-state')).toBe('declined');
    expect(await row.textContent()).toContain('Card frozen');
    await h.page.screenshot({ path: join(resultsDir, 'frozen-decline.png'), fullPage: true });

    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await expect.poll(() => toggle.getAttribute('aria-busy')).toBeNull();
  });

  it('saves edited spend controls and the platform enforces them', async () => {
    await selectCard('Cloud hosting');
    const editor = h.page.getByRole('form', { name: 'Spending controls' });
    await editor.getByRole('button', { name: 'Add limit' }).click();
    await editor.getByRole('textbox', { name: 'Limit 1: amount (USD)' }).fill('100');
    await editor.getByRole('combobox', { name: 'Limit 1: interval' }).selectOption({ label: 'Per purchase' });
    // The live preview already predicts the decline.
    const previewRow = editor.getByRole('row', { name: /Amazon Web Services/ });
    await expect.poll(() => previewRow.getAttribute('data-state')).toBe('declined');
    await editor.getByRole('button', { name: 'Save controls' }).click();
    await editor.getByText('Spending controls saved.').waitFor();

    const server = new OpenIssuing({ apiKey: h.platform.apiKey, baseUrl: h.platform.url });
    const card = await server.cards.retrieve(h.cards[1] as string);
    expect(card.spending_controls?.spending_limits).toEqual([
      { amount: 10_000, interval: 'per_authorization' },
    ]);

    await simulate('Amazon Web Services', '250.00');
    const declined = authorizationRow('Amazon Web Services', '250.00');
    await expect.poll(() => declined.getAttribute('data-state')).toBe('declined');
    expect(await declined.textContent()).toContain('Spending limit reached');

    await simulate('Figma', '45.00');
    const approved = authorizationRow('Figma', '45.00');
    await expect.poll(() => approved.getAttribute('data-state')).toBe('closed');
    expect(await approved.textContent()).not.toContain('Declined');
    await h.page.screenshot({ path: join(resultsDir, 'spend-controls-enforced.png'), fullPage: true });
  });

  it('works from the keyboard: arrow keys pick a card, Space toggles the freeze switch', async () => {
    const options = h.page.getByRole('listbox', { name: 'Cards' }).getByRole('option');
    const count = await options.count();
    const isFocused = (index: number) =>
      options.nth(index).evaluate((element) => element === document.activeElement);
    await options.first().click();
    await h.page.keyboard.press('End');
    await expect.poll(() => isFocused(count - 1)).toBe(true);
    expect(await options.nth(count - 1).getAttribute('aria-selected')).toBe('true');
    await h.page.keyboard.press('ArrowUp');
    await expect.poll(() => isFocused(count - 2)).toBe(true);
    expect(await options.nth(count - 2).getAttribute('aria-selected')).toBe('true');
    // The detail pane follows the selection.
    const name = ((await options.nth(count - 2).textContent()) ?? '').split('••••')[0]?.trim() ?? '';
    await h.page.getByRole('heading', { name, level: 2, exact: true }).waitFor();
    await h.page.keyboard.press('Home');
    await expect.poll(() => isFocused(0)).toBe(true);
    // Only the selected option is in the tab order (roving tabindex).
    expect(await h.page.getByRole('listbox', { name: 'Cards' }).locator('[tabindex="0"]').count()).toBe(1);

    const toggle = h.page.getByRole('switch', { name: 'Freeze card' });
    const before = await toggle.getAttribute('aria-checked');
    await toggle.focus();
    await h.page.keyboard.press('Space');
    await expect.poll(() => toggle.getAttribute('aria-checked')).not.toBe(before);
    // A press while the platform call is pending is ignored (aria-busy), so wait for it to settle.
    await expect.poll(() => toggle.getAttribute('aria-busy')).toBeNull();
    await h.page.keyboard.press('Space');
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe(before);
    await expect.poll(() => toggle.getAttribute('aria-busy')).toBeNull();
    await expect.poll(() => toggle.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it("the Budgets view shows each budget's usage and spend by department, as a chart and as a table", async () => {
    await h.page.getByRole('button', { name: 'Budgets' }).click();
    const marketing = h.page.getByRole('region', { name: 'Budget Marketing' });
    await marketing.waitFor();
    // The seed captured $120.00 + $84.00 of ads; the casino purchase was declined by the card.
    const meter = marketing.getByRole('meter');
    expect(await meter.getAttribute('aria-valuetext')).toBe('$204.00 of $2,500.00 used (8%)');
    expect(await marketing.textContent()).toContain('Remaining$2,296.00');
    const cloud = h.page.getByRole('region', { name: 'Budget Engineering cloud' });
    expect(await cloud.getByRole('region', { name: /Weekly limit/ }).getAttribute('data-state')).toBe('ok');
    const chart = h.page.getByRole('img', { name: /Spend by department, last 14 days/ });
    await chart.waitFor();
    expect(await h.page.locator('rect.oi-chart__bar').count()).toBeGreaterThanOrEqual(2);
    await h.page.screenshot({ path: join(resultsDir, 'budgets-chart.png'), fullPage: true });
    await h.page.getByRole('button', { name: 'Show as table' }).click();
    const table = h.page.getByRole('table').filter({ hasText: 'marketing' });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining(['Period', 'marketing', 'engineering', 'Total']),
    );
    await h.page.screenshot({ path: join(resultsDir, 'budgets-view.png'), fullPage: true });
    expect(await axeViolations(h.page)).toEqual([]);
    await h.page.getByLabel('Language').selectOption('zh-CN');
    await h.page.getByRole('region', { name: '预算 Marketing' }).waitFor();
    expect(await axeViolations(h.page)).toEqual([]);
    await h.page.getByLabel('语言').selectOption('en');
    await h.page.getByRole('button', { name: 'Cards', exact: true }).click();
    await h.page.getByRole('listbox', { name: 'Cards' }).waitFor();
  });

  it('has no serious or critical axe-core violations, in English and Chinese', async () => {
    expect(await axeViolations(h.page)).toEqual([]);
    await h.page.getByLabel('Language').selectOption('zh-CN');
    await h.page.getByRole('listbox', { name: '卡片' }).waitFor();
    await h.page.screenshot({ path: join(resultsDir, 'dashboard-zh-CN.png'), fullPage: true });
    expect(await axeViolations(h.page)).toEqual([]);
    await h.page.getByLabel('语言').selectOption('en');
    // Theming is CSS variables only; the dark palette must keep every contrast ratio.
    await h.page.getByRole('checkbox', { name: 'Dark theme' }).check();
    await h.page.screenshot({ path: join(resultsDir, 'dashboard-dark.png'), fullPage: true });
    expect(await axeViolations(h.page)).toEqual([]);
    await h.page.getByRole('checkbox', { name: 'Dark theme' }).uncheck();
  });
});
